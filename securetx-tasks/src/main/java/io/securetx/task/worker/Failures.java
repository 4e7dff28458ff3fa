package io.securetx.task.worker;

import io.securetx.task.TaskArgumentException;
import io.securetx.task.wire.ExceptionInfo;
import java.io.IOException;
import java.net.ConnectException;
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
    if (failure instanceof TaskArgumentException) {
      return "TypeError";
    }
    if (failure instanceof NumberFormatException || failure instanceof IllegalArgumentException) {
      return "ValueError";
    }
    if (failure instanceof ArithmeticException) {
      return "ArithmeticError";
    }
    if (failure instanceof IndexOutOfBoundsException) {
      return "IndexError";
    }
    if (failure instanceof NoSuchElementException) {
      return "LookupError";
    }
    if (failure instanceof UnsupportedOperationException) {
      return "NotImplementedError";
    }
    if (failure instanceof TimeoutException) {
      return "TimeoutError";
    }
    if (failure instanceof ConnectException) {
      return "ConnectionRefusedError";
    }
    if (failure instanceof IOException) {
      return "OSError";
    }
    if (failure instanceof IllegalStateException) {
      return "RuntimeError";
    }
    return null;
  }
}
