package io.securetx.observability;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Captures every log line of the process, at every level (DEBUG included), as written by the
 * production {@link LogEncoder} in JSON, while open. Restores the levels when closed.
 */
public final class LogCapture implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final OutputStreamAppender<ILoggingEvent> appender = new OutputStreamAppender<>();
  private final Logger root;
  private final Level rootLevel;

  private LogCapture() {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    rootLevel = root.getLevel();
    LogEncoder encoder = new LogEncoder();
    encoder.setContext(context);
    encoder.json(true);
    encoder.start();
    appender.setName("CAPTURE");
    appender.setContext(context);
    appender.setEncoder(encoder);
    appender.setOutputStream(bytes);
    appender.start();
    root.addAppender(appender);
    root.setLevel(Level.DEBUG);
  }

  /** Starts capturing at DEBUG. */
  public static LogCapture start() {
    return new LogCapture();
  }

  /** Everything captured so far, as written. */
  public synchronized String text() {
    return bytes.toString(StandardCharsets.UTF_8);
  }

  /** Each captured line, parsed; fails if one is not a JSON object. */
  public List<JsonNode> lines() {
    List<JsonNode> lines = new ArrayList<>();
    for (String line : text().split("\n")) {
      if (line.isEmpty()) {
        continue;
      }
      try {
        JsonNode node = JSON.readTree(line);
        if (!node.isObject()) {
          throw new AssertionError("not a JSON object: " + line);
        }
        lines.add(node);
      } catch (IOException e) {
        throw new AssertionError("not JSON: " + line, e);
      }
    }
    return lines;
  }

  /** The audit events captured so far. */
  public List<JsonNode> audit(String event) {
    List<JsonNode> found = new ArrayList<>();
    for (JsonNode line : lines()) {
      if (line.path("logger").asText().equals(Audit.LOGGER)
          && line.path("event").asText().equals(event)) {
        found.add(line);
      }
    }
    return found;
  }

  @Override
  public void close() {
    root.detachAppender(appender);
    appender.stop();
    root.setLevel(rootLevel);
  }
}
