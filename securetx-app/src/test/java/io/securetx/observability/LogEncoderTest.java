package io.securetx.observability;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.event.KeyValuePair;

class LogEncoderTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static LoggingEvent event(String message, Object... args) {
    LoggerContext context = new LoggerContext();
    LoggingEvent event =
        new LoggingEvent(
            "x",
            context.getLogger("io.securetx.audit"),
            Level.WARN,
            message,
            new IllegalStateException("boom"),
            args);
    event.setMDCPropertyMap(Map.of("request_id", "r-1", "tx_id", "tx_1"));
    event.addKeyValuePair(new KeyValuePair("event", "auth.api_key"));
    event.addKeyValuePair(new KeyValuePair("entries", 3));
    event.addKeyValuePair(new KeyValuePair("msg", "cannot overwrite"));
    return event;
  }

  @Test
  void json_eventWithMdcPairsAndError_oneParsableLine() throws Exception {
    String line =
        new String(
            LogEncoder.jsonLine(event("quote \" and\nnewline {}", "arg")), StandardCharsets.UTF_8);

    assertThat(line).endsWith("\n");
    assertThat(line.strip()).doesNotContain("\n");
    JsonNode node = JSON.readTree(line);
    assertThat(node.path("msg").asText()).isEqualTo("quote \" and\nnewline arg");
    assertThat(node.path("level").asText()).isEqualTo("WARN");
    assertThat(node.path("logger").asText()).isEqualTo("io.securetx.audit");
    assertThat(node.path("request_id").asText()).isEqualTo("r-1");
    assertThat(node.path("tx_id").asText()).isEqualTo("tx_1");
    assertThat(node.path("event").asText()).isEqualTo("auth.api_key");
    assertThat(node.path("entries").isNumber()).isTrue();
    assertThat(node.path("error").asText()).contains("IllegalStateException: boom");
  }

  @Test
  void text_event_levelLoggerMessageThenPairs() {
    String line =
        new String(LogEncoder.textLine(event("hello {}", "world")), StandardCharsets.UTF_8);

    assertThat(line).startsWith("WARN audit: hello world event=auth.api_key entries=3");
    assertThat(line).contains("request_id=r-1").contains("IllegalStateException: boom");
  }

  @Test
  void text_lineBreaksAndControlsInMessagePairsAndMdc_escapedOnOneLine() {
    LoggerContext context = new LoggerContext();
    LoggingEvent event =
        new LoggingEvent(
            "x",
            context.getLogger("io.securetx.task.worker.Worker"),
            Level.INFO,
            "task {} received",
            null,
            new Object[] {"evil\nINFO Worker: forged"});
    event.setMDCPropertyMap(
        Map.of(
            "task_name", "send\r\nWARN Audit: forged\u2028\u2029\u0085",
            "task_id", "t\u001b[31m\u007f\u0000\t"));
    event.addKeyValuePair(new KeyValuePair("reason", "a\nb"));

    String line = new String(LogEncoder.textLine(event), StandardCharsets.UTF_8);

    assertThat(line.lines()).hasSize(1);
    assertThat(line)
        .startsWith("INFO Worker: task evil\\nINFO Worker: forged received reason=a\\nb ")
        .contains("task_name=send\\r\\nWARN Audit: forged\\u2028\\u2029\\u0085")
        .contains("task_id=t\\u001b[31m\\u007f\\u0000\\t")
        .doesNotContain("\r", "\u2028", "\u2029", "\u001b", "\u007f", "\u0000", "\t");
  }

  @Test
  void json_nanAndInfinityPairs_writtenAsStringsInValidJson() throws Exception {
    LoggerContext context = new LoggerContext();
    LoggingEvent event =
        new LoggingEvent("x", context.getLogger("x"), Level.INFO, "m", null, new Object[0]);
    event.setMDCPropertyMap(Map.of());
    event.addKeyValuePair(new KeyValuePair("nan", Double.NaN));
    event.addKeyValuePair(new KeyValuePair("inf", Double.NEGATIVE_INFINITY));
    event.addKeyValuePair(new KeyValuePair("finf", Float.POSITIVE_INFINITY));
    event.addKeyValuePair(new KeyValuePair("ratio", 0.25));
    event.addKeyValuePair(new KeyValuePair("count", 7L));
    event.addKeyValuePair(new KeyValuePair("ok", true));

    JsonNode node = JSON.readTree(LogEncoder.jsonLine(event));

    assertThat(node.path("nan").isTextual()).isTrue();
    assertThat(node.path("nan").asText()).isEqualTo("NaN");
    assertThat(node.path("inf").asText()).isEqualTo("-Infinity");
    assertThat(node.path("finf").asText()).isEqualTo("Infinity");
    assertThat(node.path("ratio").doubleValue()).isEqualTo(0.25);
    assertThat(node.path("count").isIntegralNumber()).isTrue();
    assertThat(node.path("ok").isBoolean()).isTrue();
  }

  @Test
  void json_mdcKeyNamedLikeAnEventField_eventFieldWins() throws Exception {
    LoggerContext context = new LoggerContext();
    LoggingEvent event =
        new LoggingEvent("x", context.getLogger("io.securetx.audit"), Level.INFO, "m", null, null);
    event.setMDCPropertyMap(Map.of("event", "forged.by_mdc", "tx_id", "tx_mdc"));
    event.addKeyValuePair(new KeyValuePair("event", "tx.created"));
    event.addKeyValuePair(new KeyValuePair("tx_id", "tx_event"));

    JsonNode node = JSON.readTree(LogEncoder.jsonLine(event));

    assertThat(node.path("event").asText()).isEqualTo("tx.created");
    assertThat(node.path("tx_id").asText()).isEqualTo("tx_event");
  }

  @Test
  void isJson_formatOrEnvironmentDefault() {
    assertThat(LogEncoder.isJson(null, "production")).isTrue();
    assertThat(LogEncoder.isJson("", "development")).isFalse();
    assertThat(LogEncoder.isJson("text", "production")).isFalse();
    assertThat(LogEncoder.isJson("json", "development")).isTrue();
  }
}
