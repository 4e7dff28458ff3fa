package io.securetx.task.wire;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Messages and results captured from Celery 5.2.6 / kombu 5.2.4 (celery-wire.md §2.2, §4.2). */
class GoldenMessagesTest {

  private final CeleryCodec codec = CeleryCodec.create();

  // celery-wire.md §2.2: send_task('send_welcome_email', countdown=10, expires=3600, priority=6,
  // queue='emails')
  private static final String SEND_WELCOME_EMAIL = Golden.text("envelope-send-welcome-email.json");

  @Test
  void decode_capturedSendTask_givesEveryField() {
    Envelope e = codec.decode(SEND_WELCOME_EMAIL);
    TaskMessage m = e.message();

    assertThat(m.id()).isEqualTo("ba403b09-02fd-4a84-9aa6-508f3bca3e44");
    assertThat(m.task()).isEqualTo("send_welcome_email");
    assertThat(m.args()).isEqualTo(Golden.tree("[\"alice@example.com\"]"));
    assertThat(m.kwargs()).isEqualTo(Golden.tree("{\"name\": \"Alice\"}"));
    assertThat(m.embed()).isEqualTo(Embed.NONE);
    assertThat(m.eta()).isEqualTo(Instant.parse("2026-11-27T00:50:04.809576Z"));
    assertThat(m.expires()).isEqualTo(Instant.parse("2026-11-27T01:49:54.809576Z"));
    assertThat(m.retries()).isZero();
    assertThat(m.hardTimeLimit()).isNull();
    assertThat(m.softTimeLimit()).isNull();
    assertThat(m.rootId()).isEqualTo(m.id());
    assertThat(m.parentId()).isNull();
    assertThat(m.group()).isNull();
    assertThat(m.groupIndex()).isNull();
    assertThat(m.shadow()).isNull();
    assertThat(m.origin()).isEqualTo("gen13855@vm");
    assertThat(m.lang()).isEqualTo("py");
    assertThat(m.argsrepr()).isEqualTo("['alice@example.com']");
    assertThat(m.kwargsrepr()).isEqualTo("{'name': 'Alice'}");
    assertThat(m.ignoreResult()).isFalse();
    assertThat(m.extraHeaders()).isEmpty();

    assertThat(e.exchange()).isEmpty();
    assertThat(e.routingKey()).isEqualTo("emails");
    assertThat(e.priority()).isEqualTo(6);
    assertThat(e.listName()).isEqualTo("emails\u0006\u00166");
    assertThat(e.deliveryTag()).isEqualTo("a3c10083-1b66-4f93-993a-aa6604145f55");
    assertThat(e.correlationId()).isEqualTo(m.id());
    assertThat(e.replyTo()).isEqualTo("13b620bd-7086-35ce-97b3-06d2caf287fc");
    assertThat(e.deliveryMode()).isEqualTo(2);
    assertThat(e.expiration()).isEqualTo("3600000");
    assertThat(e.redelivered()).isFalse();
    assertThat(e.extraProperties()).isEmpty();
  }

  @Test
  void encode_decodedCapturedSendTask_isJsonEqualToCapture() {
    String reencoded = codec.encode(codec.decode(SEND_WELCOME_EMAIL));

    assertThat(Golden.tree(reencoded)).isEqualTo(Golden.tree(SEND_WELCOME_EMAIL));
  }

  @Test
  void encode_decodedCapturedSendTask_writesBodyByteForByteAsPython() {
    JsonNode reencoded = Golden.tree(codec.encode(codec.decode(SEND_WELCOME_EMAIL)));
    String body =
        new String(
            Base64.getDecoder().decode(reencoded.get("body").textValue()), StandardCharsets.UTF_8);

    // celery-wire.md §2.2 "Decoded body"
    assertThat(body).isEqualTo(Golden.text("envelope-send-welcome-email.body.json").strip());
    assertThat(reencoded.get("body").textValue())
        .isEqualTo(Golden.tree(SEND_WELCOME_EMAIL).get("body").textValue());
  }

  @Test
  void encode_sameCallBuiltInJava_matchesCaptureExceptPerMessageRandomness() {
    TaskMessage m =
        TaskMessage.builder("send_welcome_email")
            .id("ba403b09-02fd-4a84-9aa6-508f3bca3e44")
            .args("alice@example.com")
            .kwarg("name", "Alice")
            .eta(Instant.parse("2026-11-27T00:50:04.809576Z"))
            .expires(Instant.parse("2026-11-27T01:49:54.809576Z"))
            .origin("gen13855@vm")
            .build();
    Envelope e = Envelope.of(m, "emails", 6);

    ObjectNode ours = (ObjectNode) Golden.tree(codec.encode(e));
    ObjectNode theirs = (ObjectNode) Golden.tree(SEND_WELCOME_EMAIL);
    // Random per publish (celery-wire.md §2.3): delivery_tag (fresh UUID4), reply_to (the client
    // app's oid); expiration is derived from the clock at publish time and ignored by Redis.
    for (ObjectNode o : List.of(ours, theirs)) {
      ObjectNode p = (ObjectNode) o.get("properties");
      p.remove(List.of("delivery_tag", "reply_to", "expiration"));
    }
    assertThat(ours).isEqualTo(theirs);
  }

  static List<String> capturedResults() {
    // celery-wire.md §4.2, the lines given in full
    return Golden.lines("results-captured.jsonl");
  }

  @ParameterizedTest
  @MethodSource("capturedResults")
  void encodeResult_decodedCapturedResult_isByteForByteThePythonJson(String captured) {
    assertThat(codec.encodeResult(codec.decodeResult(captured))).isEqualTo(captured);
  }

  static List<String> abbreviatedResults() {
    // celery-wire.md §4.2, the lines the document shortened with "..."; concrete values stand in.
    return Golden.lines("results-abbreviated.jsonl").stream()
        .map(
            l ->
                l.replace("\"date_done\": \"...\"", "\"date_done\": \"2026-11-27T00:36:11.5\"")
                    .replace(
                        "\"task_id\": \"...\"",
                        "\"task_id\": \"0d1f3c9e-7777-4a2b-9c3d-1e2f3a4b5c6d\""))
        .toList();
  }

  @ParameterizedTest
  @MethodSource("abbreviatedResults")
  void decodeResult_abbreviatedCapture_givesReadyExceptionState(String captured) {
    ResultMeta meta = codec.decodeResult(captured);

    assertThat(meta.state().isReady()).isTrue();
    assertThat(meta.exception()).isPresent();
    assertThat(meta.dateDone()).isEqualTo(Instant.parse("2026-11-27T00:36:11.500Z"));
    assertThat(Golden.tree(codec.encodeResult(meta)))
        .isEqualTo(Golden.tree(captured.replace("00:36:11.5\"", "00:36:11.500000\"")));
  }

  @Test
  void decodeResult_capturedSuccess_givesFields() {
    ResultMeta meta = codec.decodeResult(capturedResults().get(0));

    assertThat(meta.state()).isEqualTo(TaskState.SUCCESS);
    assertThat(meta.result()).isEqualTo(Golden.tree("5"));
    assertThat(meta.traceback()).isNull();
    assertThat(meta.children()).isEmpty();
    assertThat(meta.dateDone()).isEqualTo(Instant.parse("2026-11-27T00:36:10.740354Z"));
    assertThat(meta.taskId()).isEqualTo("f7e0150c-823f-4dd2-b762-09057ca9caf8");
    assertThat(meta.exception()).isEmpty();
  }

  @Test
  void decodeResult_capturedFailure_givesCeleryException() {
    ResultMeta meta = codec.decodeResult(capturedResults().get(2));

    assertThat(meta.state()).isEqualTo(TaskState.FAILURE);
    ExceptionInfo error = meta.exception().orElseThrow();
    assertThat(error.type()).isEqualTo("ValueError");
    assertThat(error.module()).isEqualTo("builtins");
    assertThat(error.args()).isEqualTo(Golden.tree("[\"boom\", 42]"));
    assertThat(meta.traceback()).startsWith("Traceback (most recent call last):\n");
  }

  @Test
  void decodeResult_capturedRetryAndLaterSuccess_giveChildrenAndParent() {
    ResultMeta retry = codec.decodeResult(capturedResults().get(3));
    ResultMeta success = codec.decodeResult(capturedResults().get(4));

    assertThat(retry.state()).isEqualTo(TaskState.RETRY);
    assertThat(retry.state().isReady()).isFalse();
    assertThat(retry.dateDone()).isNull();
    assertThat(retry.exception().orElseThrow().args()).isEqualTo(Golden.tree("[\"try 0\"]"));
    assertThat(success.parentId()).isEqualTo("eb2bf365-f592-4aa2-825c-5153a71aa7e9");
  }

  @Test
  void decodeResult_capturedStarted_givesPidAndHost() {
    ResultMeta meta = codec.decodeResult(capturedResults().get(1));

    assertThat(meta.state()).isEqualTo(TaskState.STARTED);
    assertThat(meta.result()).isEqualTo(Golden.tree("{\"pid\": 5981, \"hostname\": \"w1@vm\"}"));
    assertThat(meta.dateDone()).isNull();
  }

  @Test
  void factories_sameValuesAsCaptured_encodeByteForByteAsCelery() {
    List<String> captured = capturedResults();
    String success =
        codec.encodeResult(
            ResultMeta.success(
                "f7e0150c-823f-4dd2-b762-09057ca9caf8",
                Golden.tree("5"),
                Instant.parse("2026-11-27T00:36:10.740354Z")));
    String started =
        codec.encodeResult(
            ResultMeta.started("d5d6a5e9-1d35-485b-8aad-5194436b6886", 5981, "w1@vm"));
    ExceptionInfo boom =
        new ExceptionInfo(
            "ValueError",
            "builtins",
            (com.fasterxml.jackson.databind.node.ArrayNode) Golden.tree("[\"boom\", 42]"));
    String failure =
        codec.encodeResult(
            ResultMeta.failure(
                "8a44a3ff-cc41-42c3-a2bf-c3dca45c1c1b",
                boom,
                "Traceback (most recent call last):\n ...\nValueError: ('boom', 42)\n",
                Instant.parse("2026-11-27T00:36:10.747350Z")));
    String retry =
        codec.encodeResult(
            ResultMeta.retry(
                "eb2bf365-f592-4aa2-825c-5153a71aa7e9",
                ExceptionInfo.of("RuntimeError", "builtins", "try 0"),
                "...celery.exceptions.Retry: Retry in 1s: RuntimeError('try 0')\n"));
    String retried =
        codec.encodeResult(
            ResultMeta.success(
                    "eb2bf365-f592-4aa2-825c-5153a71aa7e9",
                    Golden.tree("\"done after 2 retries\""),
                    Instant.parse("2026-11-27T00:36:12.932704Z"))
                .withLineage("eb2bf365-f592-4aa2-825c-5153a71aa7e9", null));

    assertThat(List.of(success, started, failure, retry, retried)).isEqualTo(captured);
  }
}
