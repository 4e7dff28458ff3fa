package io.securetx.task.worker;

import io.securetx.task.TaskArgumentException;
import io.securetx.task.wire.ExceptionInfo;
import java.io.IOException;
import java.net.ConnectException;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * Turns a Java failure into the exception a Celery client raises. Common Java exceptions map to the
 * Python builtin a Python caller would catch ({@code IllegalArgumentException} is a {@code
 * ValueError}); anything else keeps its simple name under its package, which Python turns into a
 * synthesized {@code celery.exceptions.<Name>} (celery-wire.md §4.2).
 */
final class Failures {

  private static final int MAX_FRAMES = 30;

  /** Java failures and the Python builtin a caller would catch; the first match wins. */
  private static final List<Map.Entry<Class<? extends Throwable>, String>> BUILTINS =
      List.of(
          Map.entry(TaskArgumentException.class, "TypeError"),
          Map.entry(IllegalArgumentException.class, "ValueError"),
          Map.entry(ArithmeticException.class, "ArithmeticError"),
          Map.entry(IndexOutOfBoundsException.class, "IndexError"),
          Map.entry(NoSuchElementException.class, "LookupError"),
          Map.entry(UnsupportedOperationException.class, "NotImplementedError"),
          Map.entry(TimeoutException.class, "TimeoutError"),
          Map.entry(ConnectException.class, "ConnectionRefusedError"),
          Map.entry(IOException.class, "OSError"),
          Map.entry(IllegalStateException.class, "RuntimeError"));

  private Failures() {}

  static ExceptionInfo describe(Throwable failure) {
    String message = failure.getMessage();
    String[] args = message == null ? new String[0] : new String[] {message};
    if (failure instanceof Worker.SoftTimeLimitExceeded) {
      return ExceptionInfo.of("SoftTimeLimitExceeded", "celery.exceptions", args);
    }
    String builtin = builtinFor(failure);
    if (builtin != null) {
      return ExceptionInfo.of(builtin, "builtins", args);
    }
    Package pkg = failure.getClass().getPackage();
    String module = pkg == null || pkg.getName().isEmpty() ? "java" : pkg.getName();
    return ExceptionInfo.of(failure.getClass().getSimpleName(), module, args);
  }

  /** A Python-style traceback: the last line names the exception, as Python's does. */
  static String traceback(Throwable failure) {
    StringBuilder text = new StringBuilder("Traceback (most recent call last):\n");
    StackTraceElement[] frames = failure.getStackTrace();
    int shown = Math.min(frames.length, MAX_FRAMES);
    for (int i = shown - 1; i >= 0; i--) {
      StackTraceElement frame = frames[i];
      text.append("  File \"")
          .append(frame.getFileName() == null ? frame.getClassName() : frame.getFileName())
          .append("\", line ")
          .append(Math.max(frame.getLineNumber(), 0))
          .append(", in ")
          .append(frame.getClassName())
          .append('.')
          .append(frame.getMethodName())
          .append('\n');
    }
    ExceptionInfo info = describe(failure);
    text.append(info.type());
    if (failure.getMessage() != null) {
      text.append(": ").append(failure.getMessage());
    }
    return text.append('\n').toString();
  }

  private static @Nullable String builtinFor(Throwable failure) {
    for (Map.Entry<Class<? extends Throwable>, String> e : BUILTINS) {
      if (e.getKey().isInstance(failure)) {
        return e.getValue();
      }
    }
    return null;
  }
}
