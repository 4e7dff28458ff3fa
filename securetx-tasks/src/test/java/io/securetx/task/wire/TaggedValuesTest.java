package io.securetx.task.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.securetx.task.wire.WireFormatException.Reason;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * kombu >= 5.3 tagged values (celery-wire.md §2.9 [up]). The fixture is built from that
 * description, not captured: no kombu 5.3 was run.
 */
class TaggedValuesTest {

  private final CeleryCodec codec = CeleryCodec.create();

  @Test
  void decode_kombu53TaggedArguments_givesKombu52PlainJson() {
    Envelope e = codec.decode(Golden.text("envelope-kombu53-tagged.json"));
    TaskMessage m = e.message();

    assertThat(m.args())
        .isEqualTo(
            Golden.tree(
                "[\"2024-05-06T07:08:09.123456\", \"1.10\","
                    + " \"12345678-1234-5678-1234-567812345678\"]"));
    assertThat(m.kwargs())
        .isEqualTo(
            Golden.tree(
                "{\"raw\": \"h\u00e9llo\", \"blob\": \"AAEC/w==\", \"day\": \"2024-05-06\","
                    + " \"at\": \"07:08:09\"}"));
    assertThat(m.eta()).isEqualTo(Instant.parse("2030-01-02T03:04:05Z"));
    assertThat(m.hardTimeLimit()).isEqualTo(30.0);
    assertThat(m.softTimeLimit()).isEqualTo(20.0);
    // Celery >= 5.3 stamping headers are kept, not interpreted.
    assertThat(m.extraHeaders().properties())
        .extracting(java.util.Map.Entry::getKey)
        .containsExactly("replaced_task_nesting", "stamped_headers", "stamps");
  }

  @Test
  void encode_decodedKombu53Message_keepsExtraHeadersAndIntegerTimeLimits() {
    String out = codec.encode(codec.decode(Golden.text("envelope-kombu53-tagged.json")));

    ObjectNode headers = (ObjectNode) Golden.tree(out).get("headers");
    assertThat(headers.get("timelimit").toString()).isEqualTo("[30,20]");
    assertThat(headers.get("replaced_task_nesting").intValue()).isZero();
    assertThat(headers.get("eta").textValue()).isEqualTo("2030-01-02T03:04:05+00:00");
  }

  @Test
  void decode_uuidTagWithoutHex_throwsBadTaggedValue() {
    String body = "[[{\"__type__\": \"uuid\", \"__value__\": {\"version\": 4}}], {}, null]";
    assertThatThrownBy(() -> codec.decode(withBody(body)))
        .isInstanceOfSatisfying(
            WireFormatException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.BAD_TAGGED_VALUE));
  }

  @Test
  void decode_datetimeTagWithNumberValue_throwsBadTaggedValue() {
    String body = "[[{\"__type__\": \"datetime\", \"__value__\": 5}], {}, null]";
    assertThatThrownBy(() -> codec.decode(withBody(body)))
        .isInstanceOfSatisfying(
            WireFormatException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.BAD_TAGGED_VALUE));
  }

  @Test
  void decode_objectWithThreeKeysIncludingTypeTag_isPlainObject() {
    String body = "[[{\"__type__\": \"x\", \"__value__\": 1, \"other\": 2}], {}, null]";

    assertThat(codec.decode(withBody(body)).message().args().get(0).size()).isEqualTo(3);
  }

  @Test
  void build_argumentThatLooksTagged_throws() {
    ObjectNode lookalike = Json.NODES.objectNode().put("__type__", "x").put("__value__", 1);
    ArrayNode args = Json.NODES.arrayNode().add(lookalike);

    assertThatThrownBy(() -> TaskMessage.builder("t").args(args).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("__type__");
  }

  private static String bodyOf(String json) {
    return java.util.Base64.getEncoder()
        .encodeToString(json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  private static String withBody(String body) {
    ObjectNode root = (ObjectNode) Golden.tree(Golden.text("envelope-send-welcome-email.json"));
    root.put("body", bodyOf(body));
    return root.toString();
  }
}
