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
import java.math.BigDecimal;
import java.math.BigInteger;
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
 * {@code msg}, then every key-value pair of the event (audit fields) and every MDC entry (the
 * correlation ids: {@code request_id}, {@code key_id}, {@code tx_id}, {@code task_id}, {@code
 * task_name}) as top-level members, and {@code error} with the stack trace when there is one; a
 * pair wins over an MDC entry of the same name. A text line is {@code LEVEL Logger: message}
 * followed by the same pairs as {@code key=value}, with line breaks and other control characters
 * escaped (a line feed as {@code \n}, an escape character as backslash-{@code u001b}) so that
 * nothing in a message, a pair or an MDC value can start a line of its own; the stack trace, when
 * there is one, follows on its own lines.
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
      // The event's own pairs (an audit event's fields) first: an MDC entry of the same name,
      // which may come from a broker message, must not replace them.
      Set<String> written = new HashSet<>(RESERVED);
      for (KeyValuePair pair : pairs(event)) {
        if (written.add(pair.key)) {
          gen.writeFieldName(pair.key);
          writeValue(gen, pair.value);
        }
      }
      for (Map.Entry<String, String> entry : mdc(event).entrySet()) {
        if (written.add(entry.getKey())) {
          gen.writeStringField(entry.getKey(), entry.getValue());
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

  /**
   * Writes a pair's value: integers and finite decimals as JSON numbers, booleans as booleans, and
   * everything else (NaN and the infinities too, which JSON has no number for) as a string.
   */
  private static void writeValue(JsonGenerator gen, @Nullable Object value) throws IOException {
    if (value == null) {
      gen.writeNull();
    } else if (value instanceof Boolean bool) {
      gen.writeBoolean(bool);
    } else if (value instanceof Integer
        || value instanceof Long
        || value instanceof Short
        || value instanceof Byte) {
      gen.writeNumber(((Number) value).longValue());
    } else if (value instanceof BigInteger big) {
      gen.writeNumber(big);
    } else if (value instanceof BigDecimal decimal) {
      gen.writeNumber(decimal);
    } else if ((value instanceof Double || value instanceof Float)
        && Double.isFinite(((Number) value).doubleValue())) {
      gen.writeNumber(((Number) value).doubleValue());
    } else {
      gen.writeString(value.toString());
    }
  }

  static byte[] textLine(ILoggingEvent event) {
    StringBuilder line = new StringBuilder(128);
    String logger = event.getLoggerName();
    line.append(event.getLevel())
        .append(' ')
        .append(logger.substring(logger.lastIndexOf('.') + 1))
        .append(": ")
        .append(escape(event.getFormattedMessage()));
    // Messages, pairs and MDC values can hold text from outside (a task name from a broker
    // message): a line break in them would let it forge a log line of its own.
    for (KeyValuePair pair : pairs(event)) {
      line.append(' ').append(escape(pair.key)).append('=').append(escape(pair.value));
    }
    for (Map.Entry<String, String> entry : mdc(event).entrySet()) {
      line.append(' ').append(escape(entry.getKey())).append('=').append(escape(entry.getValue()));
    }
    line.append(CoreConstants.LINE_SEPARATOR);
    IThrowableProxy thrown = event.getThrowableProxy();
    if (thrown != null) {
      line.append(ThrowableProxyUtil.asString(thrown)).append(CoreConstants.LINE_SEPARATOR);
    }
    return line.toString().getBytes(StandardCharsets.UTF_8);
  }

  /**
   * The text with CR, LF and tab as {@code \r}, {@code \n}, {@code \t}, and every other control
   * character (below U+0020, U+007F to U+009F) and the Unicode line and paragraph separators
   * (U+2028, U+2029) as a backslash-{@code uXXXX} escape, so that one event stays one line.
   */
  static String escape(@Nullable Object value) {
    String text = String.valueOf(value);
    StringBuilder out = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      String replacement = escaped(c);
      if (replacement != null && out == null) {
        out = new StringBuilder(text.length() + 16).append(text, 0, i);
      }
      if (out != null) {
        if (replacement != null) {
          out.append(replacement);
        } else {
          out.append(c);
        }
      }
    }
    return out == null ? text : out.toString();
  }

  private static @Nullable String escaped(char c) {
    switch (c) {
      case '\n':
        return "\\n";
      case '\r':
        return "\\r";
      case '\t':
        return "\\t";
      default:
        if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == '\u2028' || c == '\u2029') {
          return String.format(Locale.ROOT, "\\u%04x", (int) c);
        }
        return null;
    }
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
