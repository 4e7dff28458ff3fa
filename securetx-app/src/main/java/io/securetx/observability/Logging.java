package io.securetx.observability;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.FileAppender;
import ch.qos.logback.core.OutputStreamAppender;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

/**
 * Applies the logging part of the configuration to Logback at start-up: the format of the standard
 * error log ({@code SECURETX_LOG_FORMAT}) and the audit file ({@code AUDIT_LOG}). logback.xml
 * already reads both variables from the process environment; this makes the loaded configuration
 * win, so that what {@code securetx config} shows is what happens.
 */
public final class Logging {

  /** The name of logback.xml's appender on standard error. */
  static final String STDERR_APPENDER = "STDERR";

  /** The name of the appender that writes the audit stream to {@code AUDIT_LOG}. */
  static final String AUDIT_APPENDER = "AUDIT_FILE";

  private Logging() {}

  /**
   * Sets the format of logback.xml's standard error appender, and sends the audit stream to a file
   * as JSON lines (appended, never truncated) or stops sending it. Does nothing when Logback is not
   * the SLF4J backend.
   *
   * @param json true for JSON lines on standard error
   * @param auditLog the audit file, or null for none
   */
  public static synchronized void apply(boolean json, @Nullable Path auditLog) {
    ILoggerFactory factory = LoggerFactory.getILoggerFactory();
    if (!(factory instanceof LoggerContext context)) {
      return;
    }
    if (context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getAppender(STDERR_APPENDER)
            instanceof OutputStreamAppender<ILoggingEvent> stream
        && stream.getEncoder() instanceof LogEncoder encoder) {
      encoder.json(json);
    }
    Logger audit = context.getLogger(Audit.LOGGER);
    Appender<ILoggingEvent> old = audit.getAppender(AUDIT_APPENDER);
    if (old instanceof FileAppender<ILoggingEvent> file
        && auditLog != null
        && auditLog.toAbsolutePath().toString().equals(file.getFile())) {
      return;
    }
    if (old != null) {
      audit.detachAppender(old);
      old.stop();
    }
    if (auditLog == null) {
      return;
    }
    LogEncoder encoder = new LogEncoder();
    encoder.setContext(context);
    encoder.json(true);
    encoder.start();
    FileAppender<ILoggingEvent> file = new FileAppender<>();
    file.setName(AUDIT_APPENDER);
    file.setContext(context);
    file.setFile(auditLog.toAbsolutePath().toString());
    file.setAppend(true);
    file.setImmediateFlush(true);
    file.setEncoder(encoder);
    file.start();
    if (!file.isStarted()) {
      throw new IllegalStateException("AUDIT_LOG: cannot open " + auditLog + " for appending");
    }
    audit.addAppender(file);
  }
}
