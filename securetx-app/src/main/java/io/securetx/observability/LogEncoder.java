package io.securetx.observability;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.encoder.EncoderBase;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.event.KeyValuePair;

/**
 * Writes each log event as one line: a JSON object ({@code SECURETX_LOG_FORMAT=json}) or text
 * ({@code text}). A JSON line holds {@code ts}, {@code level}, {@code logger}, {@code thread},
 * {@code msg}, then every MDC entry (the correlation ids: {@code request_id}, {@code key_id},
 * {@code tx_id}, {@code task_id}, {@code task_name}) and every key-value pair of the event (audit
 * fields) as top-level members, and {@code error} with the stack trace when there is one. A text
 * line is {@code LEVEL Logger: message} followed by the same pairs as {@code key=value}.
 *
 * <p>Without a format, production ({@code SECURETX_ENV=production}) writes JSON, for log
 * collectors, and development writes text, for people at a terminal.
 */
public final class LogEncoder extends EncoderBase<ILoggingEvent> {

  /** Members a pair cannot overwrite. */
  private static final Set<String> RESERVED =
      Set.of("ts", "level", "logger", "thread", "msg", "error");

  private static final JsonFactory JSON = new JsonFactory();

  private volatile boolean json;
  private String environment = "development";
  private @Nullable String format;

  /**
   * Sets the format from logback.xml: {@code json}, {@code text}, or empty for the environment's
   * default.
   *
   * @param format the format
   */
  public void setFormat(@Nullable String format) {
    this.format = format;
    decide();
  }

  /**
   * Sets the environment whose default applies when no format is set.
   *
   * @param environment {@code production} or {@code development}
   */
  public void setEnvironment(@Nullable String environment) {
    this.environment = environment == null ? "development" : environment;
    decide();
  }

  private void decide() {
    json = isJson(format, environment);
  }

  /**
   * Whether a format and environment mean JSON.
   *
   * @param format {@code json}, {@code text}, or null or empty for the default
   * @param environment the value of {@code SECURETX_ENV}
   * @return true for JSON
   */
  public static boolean isJson(@Nullable String format, String environment) {
    if (format == null || format.isBlank()) {
      return environment.strip().equals("production");
    }
    return format.strip().toLowerCase(Locale.ROOT).equals("json");
  }

  /**
   * Switches between JSON and text.
   *
   * @param json true for JSON lines
   */
  public void json(boolean json) {
    this.json = json;
  }

  /** Whether this encoder writes JSON. */
  public boolean json() {
    return json;
  }

  @Override
  public byte @Nullable [] headerBytes() {
    return null;
  }

  @Override
  public byte @Nullable [] footerBytes() {
    return null;
  }

  @Override
  public byte[] encode(ILoggingEvent event) {
    return json ? jsonLine(event) : textLine(event);
  }

  static byte[] jsonLine(ILoggingEvent event) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    try (JsonGenerator gen = JSON.createGenerator(out)) {
      gen.writeStartObject();
      gen.writeStringField("ts", Instant.ofEpochMilli(event.getTimeStamp()).toString());
      gen.writeStringField("level", event.getLevel().toString());
      gen.writeStringField("logger", event.getLoggerName());
      gen.writeStringField("thread", String.valueOf(event.getThreadName()));
      gen.writeStringField("msg", String.valueOf(event.getFormattedMessage()));
      Set<String> written = new HashSet<>(RESERVED);
      for (Map.Entry<String, String> entry : mdc(event).entrySet()) {
        if (written.add(entry.getKey())) {
          gen.writeStringField(entry.getKey(), entry.getValue());
        }
      }
      for (KeyValuePair pair : pairs(event)) {
        if (written.add(pair.key)) {
          gen.writeFieldName(pair.key);
          Object value = pair.value;
          if (value == null) {
            gen.writeNull();
          } else if (value instanceof Number || value instanceof Boolean) {
            gen.writeRawValue(value.toString());
          } else {
            gen.writeString(value.toString());
          }
        }
      }
      IThrowableProxy thrown = event.getThrowableProxy();
      if (thrown != null) {
        gen.writeStringField("error", ThrowableProxyUtil.asString(thrown));
      }
      gen.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write a log line", e);
    }
    out.write('\n');
    return out.toByteArray();
  }

  static byte[] textLine(ILoggingEvent event) {
    StringBuilder line = new StringBuilder(128);
    String logger = event.getLoggerName();
    line.append(event.getLevel())
        .append(' ')
        .append(logger.substring(logger.lastIndexOf('.') + 1))
        .append(": ")
        .append(event.getFormattedMessage());
    for (KeyValuePair pair : pairs(event)) {
      line.append(' ').append(pair.key).append('=').append(pair.value);
    }
    for (Map.Entry<String, String> entry : mdc(event).entrySet()) {
      line.append(' ').append(entry.getKey()).append('=').append(entry.getValue());
    }
    line.append(CoreConstants.LINE_SEPARATOR);
    IThrowableProxy thrown = event.getThrowableProxy();
    if (thrown != null) {
      line.append(ThrowableProxyUtil.asString(thrown)).append(CoreConstants.LINE_SEPARATOR);
    }
    return line.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static Map<String, String> mdc(ILoggingEvent event) {
    Map<String, String> mdc = event.getMDCPropertyMap();
    return mdc == null ? Map.of() : new java.util.TreeMap<>(mdc);
  }

  private static List<KeyValuePair> pairs(ILoggingEvent event) {
    List<KeyValuePair> pairs = event.getKeyValuePairs();
    return pairs == null ? List.of() : pairs;
  }
}
