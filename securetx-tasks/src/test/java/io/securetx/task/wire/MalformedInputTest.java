package io.securetx.task.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.securetx.task.wire.WireFormatException.Reason;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Every row of celery-wire.md §3.4 ("Unknown tasks and malformed messages"), plus the wrong types,
 * encodings and sizes the brief lists. Rows that crash or silently drop in Python must fail here
 * with a {@link WireFormatException} that names the reason; rows a Python worker handles as a task
 * outcome (unknown name, expired) must decode, because the worker decides what to store.
 */
class MalformedInputTest {

  private final CeleryCodec codec = CeleryCodec.create();
  private static final String GOLDEN = Golden.text("envelope-send-welcome-email.json");

  private static String mutate(Consumer<ObjectNode> change) {
    ObjectNode root = (ObjectNode) Golden.tree(GOLDEN);
    change.accept(root);
    return root.toString();
  }

  private static ObjectNode headers(ObjectNode root) {
    return (ObjectNode) root.get("headers");
  }

  private static ObjectNode properties(ObjectNode root) {
    return (ObjectNode) root.get("properties");
  }

  private static String withBody(String bodyJson) {
    return mutate(
        r ->
            r.put(
                "body",
                Base64.getEncoder().encodeToString(bodyJson.getBytes(StandardCharsets.UTF_8))));
  }

  private WireFormatException decodeFails(String json, Reason reason) {
    WireFormatException e =
        catchThrowableOfType(WireFormatException.class, () -> codec.decode(json));
    assertThat(e).as("decode must throw WireFormatException").isNotNull();
    assertThat(e.reason()).isEqualTo(reason);
    assertThat(e.getMessage()).startsWith(reason.name() + ": ");
    return e;
  }

  // ---- rows of §3.4 -----------------------------------------------------------------------------

  @Test
  void decode_unknownTaskName_decodesSoTheWorkerCanStoreNotRegistered() {
    Envelope e = codec.decode(mutate(r -> headers(r).put("task", "no.such.task")));

    assertThat(e.message().task()).isEqualTo("no.such.task");
    assertThat(
            codec.encodeResult(
                ResultMeta.failure("t1", ExceptionInfo.notRegistered("x"), null, Instant.EPOCH)))
        .contains(
            "\"result\": {\"exc_type\": \"NotRegistered\", \"exc_message\": [\"x\"],"
                + " \"exc_module\": \"celery.exceptions\"}, \"traceback\": null");
  }

  @Test
  void decode_bodyBase64OfInvalidJson_throwsNotJson() {
    assertThat(decodeFails(withBody("[[1, 2], {}, "), Reason.NOT_JSON))
        .hasMessageContaining("body");
  }

  @Test
  void decode_bodyAnObject_throwsBadBodyShape() {
    assertThat(decodeFails(withBody("{\"a\": 1}"), Reason.BAD_BODY_SHAPE))
        .hasMessageContaining("was an object");
  }

  @Test
  void decode_bodyTwoElements_throwsBadBodyShape() {
    assertThat(decodeFails(withBody("[[1, 2], {}]"), Reason.BAD_BODY_SHAPE))
        .hasMessageContaining("array of 2");
  }

  @Test
  void decode_bodyFourElements_throwsBadBodyShape() {
    decodeFails(withBody("[[], {}, null, 1]"), Reason.BAD_BODY_SHAPE);
  }

  @Test
  void decode_headerIdMissing_throwsMissingField() {
    assertThat(decodeFails(mutate(r -> headers(r).remove("id")), Reason.MISSING_FIELD))
        .hasMessageContaining("headers.id");
  }

  @Test
  void decode_headerIdNull_throwsMissingField() {
    decodeFails(mutate(r -> headers(r).putNull("id")), Reason.MISSING_FIELD);
  }

  @Test
  void decode_headerTaskMissing_throwsMissingField() {
    assertThat(decodeFails(mutate(r -> headers(r).remove("task")), Reason.MISSING_FIELD))
        .hasMessageContaining("headers.task");
  }

  @Test
  void decode_bodyNotBase64_throwsBadBase64() {
    decodeFails(mutate(r -> r.put("body", "not base64!")), Reason.BAD_BASE64);
  }

  @Test
  void decode_bodyBase64Truncated_throwsBadBase64() {
    decodeFails(mutate(r -> r.put("body", "W1siYWxp Y2")), Reason.BAD_BASE64);
  }

  @Test
  void decode_listItemNotJson_throwsNotJson() {
    decodeFails("{\"body\": \"W1s", Reason.NOT_JSON);
  }

  @Test
  void decode_listItemWithTrailingGarbage_throwsNotJson() {
    decodeFails(GOLDEN + " x", Reason.NOT_JSON);
  }

  @Test
  void decode_listItemEmpty_throwsMissingField() {
    decodeFails("", Reason.MISSING_FIELD);
  }

  @Test
  void decode_listItemAnArray_throwsWrongType() {
    decodeFails("[1, 2, 3]", Reason.WRONG_TYPE);
  }

  @Test
  void decode_deliveryTagMissing_throwsMissingField() {
    assertThat(decodeFails(mutate(r -> properties(r).remove("delivery_tag")), Reason.MISSING_FIELD))
        .hasMessageContaining("properties.delivery_tag");
  }

  @Test
  void decode_deliveryInfoMissing_throwsMissingField() {
    assertThat(
            decodeFails(mutate(r -> properties(r).remove("delivery_info")), Reason.MISSING_FIELD))
        .hasMessageContaining("properties.delivery_info");
  }

  @Test
  void decode_deliveryInfoWithoutExchange_throwsMissingField() {
    decodeFails(
        mutate(r -> ((ObjectNode) properties(r).get("delivery_info")).remove("exchange")),
        Reason.MISSING_FIELD);
  }

  @Test
  void decode_deliveryInfoWithoutRoutingKey_throwsMissingField() {
    decodeFails(
        mutate(r -> ((ObjectNode) properties(r).get("delivery_info")).remove("routing_key")),
        Reason.MISSING_FIELD);
  }

  @Test
  void decode_contentTypeWithCharset_throwsUnsupportedContentType() {
    // Python rejects this exact value too ("Refusing to deserialize untrusted content").
    decodeFails(
        mutate(r -> r.put("content-type", "application/json; charset=utf-8")),
        Reason.UNSUPPORTED_CONTENT_TYPE);
  }

  @Test
  void decode_contentTypePickle_throwsUnsupportedContentType() {
    decodeFails(
        mutate(r -> r.put("content-type", "application/x-python-serialize")),
        Reason.UNSUPPORTED_CONTENT_TYPE);
  }

  @Test
  void decode_contentTypeMissing_throwsMissingField() {
    decodeFails(mutate(r -> r.remove("content-type")), Reason.MISSING_FIELD);
  }

  @Test
  void decode_kwargsNotAnObject_throwsWrongType() {
    assertThat(decodeFails(withBody("[[], [1, 2], null]"), Reason.WRONG_TYPE))
        .hasMessageContaining("kwargs");
  }

  @Test
  void decode_badEtaString_throwsBadTime() {
    assertThat(decodeFails(mutate(r -> headers(r).put("eta", "tomorrow")), Reason.BAD_TIME))
        .hasMessageContaining("headers.eta");
  }

  @Test
  void decode_badExpiresString_throwsBadTime() {
    decodeFails(mutate(r -> headers(r).put("expires", "2026-13-01T00:00:00")), Reason.BAD_TIME);
  }

  @Test
  void decode_expiresInThePast_decodesSoTheWorkerCanStoreRevoked() {
    Envelope e = codec.decode(mutate(r -> headers(r).put("expires", "2000-01-01T00:00:00+00:00")));

    assertThat(e.message().expires()).isEqualTo(Instant.parse("2000-01-01T00:00:00Z"));
  }

  @Test
  void decode_wrongArgumentCount_decodesSoTheWorkerCanStoreFailure() {
    Envelope e = codec.decode(withBody("[[1, 2, 3, 4, 5], {}, null]"));

    assertThat(e.message().args()).hasSize(5);
  }

  // ---- wrong types and values -------------------------------------------------------------------

  @Test
  void decode_argsNotAnArray_throwsWrongType() {
    assertThat(decodeFails(withBody("[\"abc\", {}, null]"), Reason.WRONG_TYPE))
        .hasMessageContaining("args");
  }

  @Test
  void decode_embedNotAnObject_throwsWrongType() {
    decodeFails(withBody("[[], {}, []]"), Reason.WRONG_TYPE);
  }

  @Test
  void decode_callbacksNotSignatures_throwsWrongType() {
    decodeFails(withBody("[[], {}, {\"callbacks\": [1]}]"), Reason.WRONG_TYPE);
  }

  @Test
  void decode_idANumber_throwsWrongType() {
    decodeFails(mutate(r -> headers(r).put("id", 42)), Reason.WRONG_TYPE);
  }

  @Test
  void decode_idBlank_throwsInvalidValue() {
    decodeFails(mutate(r -> headers(r).put("id", " ")), Reason.INVALID_VALUE);
  }

  @Test
  void decode_retriesAString_throwsWrongType() {
    decodeFails(mutate(r -> headers(r).put("retries", "1")), Reason.WRONG_TYPE);
  }

  @Test
  void decode_retriesNegative_throwsInvalidValue() {
    decodeFails(mutate(r -> headers(r).put("retries", -1)), Reason.INVALID_VALUE);
  }

  @Test
  void decode_etaANumber_throwsWrongType() {
    decodeFails(mutate(r -> headers(r).put("eta", 1700000000)), Reason.WRONG_TYPE);
  }

  @Test
  void decode_timelimitOneElement_throwsWrongType() {
    decodeFails(mutate(r -> headers(r).putArray("timelimit").add(1)), Reason.WRONG_TYPE);
  }

  @Test
  void decode_timelimitNegative_throwsInvalidValue() {
    decodeFails(
        mutate(r -> headers(r).putArray("timelimit").add(-1).addNull()), Reason.INVALID_VALUE);
  }

  @Test
  void decode_headersAString_throwsWrongType() {
    decodeFails(mutate(r -> r.put("headers", "x")), Reason.WRONG_TYPE);
  }

  @Test
  void decode_propertiesMissing_throwsMissingField() {
    decodeFails(mutate(r -> r.remove("properties")), Reason.MISSING_FIELD);
  }

  @Test
  void decode_ignoreResultAString_throwsWrongType() {
    decodeFails(mutate(r -> headers(r).put("ignore_result", "no")), Reason.WRONG_TYPE);
  }

  @Test
  void decode_contentEncodingLatin1_throwsUnsupportedEncoding() {
    decodeFails(mutate(r -> r.put("content-encoding", "latin-1")), Reason.UNSUPPORTED_ENCODING);
  }

  @Test
  void decode_bodyEncodingGzip_throwsUnsupportedEncoding() {
    decodeFails(
        mutate(r -> properties(r).put("body_encoding", "gzip")), Reason.UNSUPPORTED_ENCODING);
  }

  @Test
  void decode_bodyNotUtf8_throwsNotJson() {
    byte[] latin1 = "[[\"caf\u00e9\"], {}, null]".getBytes(StandardCharsets.ISO_8859_1);
    decodeFails(
        mutate(r -> r.put("body", Base64.getEncoder().encodeToString(latin1))), Reason.NOT_JSON);
  }

  @Test
  void decode_bodyWithNaN_throwsNotJson() {
    decodeFails(withBody("[[NaN], {}, null]"), Reason.NOT_JSON);
  }

  @Test
  void decode_bodyWithOverflowingFloat_throwsInvalidValue() {
    decodeFails(withBody("[[1e400], {}, null]"), Reason.INVALID_VALUE);
  }

  @Test
  void decode_bodyNestedTooDeep_throwsNotJson() {
    String deep = "[".repeat(5000) + "]".repeat(5000);
    decodeFails(withBody("[" + deep + ", {}, null]"), Reason.NOT_JSON);
  }

  @Test
  void decode_unknownTaggedType_throwsBadTaggedValue() {
    decodeFails(
        withBody("[[{\"__type__\": \"pickle\", \"__value__\": \"x\"}], {}, null]"),
        Reason.BAD_TAGGED_VALUE);
  }

  @Test
  void decode_overLimit_throwsTooLarge() {
    CeleryCodec small = CeleryCodec.withMaxChars(100);

    assertThatThrownBy(() -> small.decode(GOLDEN))
        .isInstanceOfSatisfying(
            WireFormatException.class, e -> assertThat(e.reason()).isEqualTo(Reason.TOO_LARGE));
  }

  @Test
  void encode_overLimit_throwsTooLarge() {
    CeleryCodec small = CeleryCodec.withMaxChars(1000);
    Envelope big = Envelope.of(TaskMessage.builder("t").args("x".repeat(2000)).build(), "q", 0);

    assertThatThrownBy(() -> small.encode(big))
        .isInstanceOfSatisfying(
            WireFormatException.class, e -> assertThat(e.reason()).isEqualTo(Reason.TOO_LARGE));
  }

  // ---- results ----------------------------------------------------------------------------------

  private WireFormatException decodeResultFails(String json, Reason reason) {
    WireFormatException e =
        catchThrowableOfType(WireFormatException.class, () -> codec.decodeResult(json));
    assertThat(e).as("decodeResult must throw WireFormatException").isNotNull();
    assertThat(e.reason()).isEqualTo(reason);
    return e;
  }

  @Test
  void decodeResult_withoutTaskId_throwsMissingField() {
    // Python's get() raises KeyError('task_id') on this (celery-wire.md §4.3).
    decodeResultFails("{\"status\": \"SUCCESS\", \"result\": 5}", Reason.MISSING_FIELD);
  }

  @Test
  void decodeResult_withoutStatus_throwsMissingField() {
    decodeResultFails("{\"result\": 5, \"task_id\": \"t\"}", Reason.MISSING_FIELD);
  }

  @Test
  void decodeResult_minimalSuccess_decodes() {
    ResultMeta meta =
        codec.decodeResult("{\"status\": \"SUCCESS\", \"result\": 5, \"task_id\": \"t\"}");

    assertThat(meta.children()).isEmpty();
    assertThat(meta.dateDone()).isNull();
  }

  @Test
  void decodeResult_notJson_throwsNotJson() {
    decodeResultFails("{\"status\":", Reason.NOT_JSON);
  }

  @Test
  void decodeResult_badDateDone_throwsBadTime() {
    decodeResultFails(
        "{\"status\": \"SUCCESS\", \"date_done\": \"...\", \"task_id\": \"t\"}", Reason.BAD_TIME);
  }

  @Test
  void decodeResult_childrenNotArray_throwsWrongType() {
    decodeResultFails(
        "{\"status\": \"SUCCESS\", \"children\": {}, \"task_id\": \"t\"}", Reason.WRONG_TYPE);
  }

  @Test
  void decodeResult_blankStatus_throwsInvalidValue() {
    decodeResultFails("{\"status\": \"\", \"task_id\": \"t\"}", Reason.INVALID_VALUE);
  }
}
