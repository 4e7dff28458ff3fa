package io.securetx.task.wire;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What real producers send that is not the full Celery 5.2 shape, but that Celery accepts. */
class TolerantDecodeTest {

  private final CeleryCodec codec = CeleryCodec.create();

  private static String mutate(Consumer<ObjectNode> change) {
    ObjectNode root = (ObjectNode) Golden.tree(Golden.text("envelope-send-welcome-email.json"));
    change.accept(root);
    return root.toString();
  }

  private static String base64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void decode_onlyTaskAndIdHeaders_givesDefaults() {
    // celery-wire.md §2.4: 5.2.6 tolerated a message with only task and id.
    String json =
        mutate(
            r -> {
              ObjectNode h = r.putObject("headers");
              h.put("task", "add");
              h.put("id", "i1");
              r.put("body", base64("[[2, 3], {}, {}]"));
            });

    TaskMessage m = codec.decode(json).message();

    assertThat(m.lang()).isEqualTo("py");
    assertThat(m.retries()).isZero();
    assertThat(m.rootId()).isNull();
    assertThat(m.eta()).isNull();
    assertThat(m.hardTimeLimit()).isNull();
    assertThat(m.argsrepr()).isEqualTo("[2, 3]");
    assertThat(m.embed()).isEqualTo(Embed.NONE);
  }

  @Test
  void decode_embedNull_givesNoEmbed() {
    // celery-wire.md §2.5: null or {} also worked as embed.
    assertThat(codec.decode(mutate(r -> r.put("body", base64("[[], {}, null]")))).message().embed())
        .isEqualTo(Embed.NONE);
  }

  @Test
  void decode_chainInEmbed_keepsSignatures() {
    String body =
        "[[1], {}, {\"callbacks\": null, \"errbacks\": null, \"chain\": [{\"task\": \"b\","
            + " \"args\": [], \"kwargs\": {}, \"options\": {\"task_id\": \"x\"}, \"subtask_type\":"
            + " null, \"immutable\": false}], \"chord\": null}]";

    Embed embed = codec.decode(mutate(r -> r.put("body", base64(body)))).message().embed();

    assertThat(embed.chain()).hasSize(1);
    assertThat(embed.chain().get(0).get("task").textValue()).isEqualTo("b");
  }

  @Test
  void decode_noBodyEncoding_takesBodyAsLiteralJson() {
    // celery-wire.md §2.3: without properties.body_encoding the body is the JSON text itself.
    String json =
        mutate(
            r -> {
              ((ObjectNode) r.get("properties")).remove("body_encoding");
              r.put("body", "[[\"x\"], {}, null]");
            });

    assertThat(codec.decode(json).message().args()).isEqualTo(Golden.tree("[\"x\"]"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"utf-8", "UTF-8", "binary"})
  void decode_contentEncodingCeleryAccepts_decodes(String encoding) {
    // celery-wire.md §2.3: UTF-8 and binary also worked.
    assertThat(codec.decode(mutate(r -> r.put("content-encoding", encoding))).message().task())
        .isEqualTo("send_welcome_email");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "2030-01-02T03:04:05.678901",
        "2030-01-02T03:04:05.678901Z",
        "2030-01-02T03:04:05.678901+00:00",
        "2030-01-02T05:04:05.678901+02:00"
      })
  void decode_etaWithOrWithoutOffset_givesSameInstant(String eta) {
    TaskMessage m =
        codec.decode(mutate(r -> ((ObjectNode) r.get("headers")).put("eta", eta))).message();

    assertThat(m.eta()).isEqualTo(Instant.parse("2030-01-02T03:04:05.678901Z"));
  }

  @Test
  void decode_priorityMissingOrNotANumber_givesZero() {
    Envelope missing =
        codec.decode(mutate(r -> ((ObjectNode) r.get("properties")).remove("priority")));
    Envelope text =
        codec.decode(mutate(r -> ((ObjectNode) r.get("properties")).put("priority", "9")));

    assertThat(missing.priority()).isZero();
    assertThat(text.priority()).isZero();
    assertThat(text.listName()).isEqualTo("emails");
  }

  @Test
  void decode_priorityAbove255_isClampedAndServedAsNine() {
    Envelope e =
        codec.decode(mutate(r -> ((ObjectNode) r.get("properties")).put("priority", 1000)));

    assertThat(e.priority()).isEqualTo(255);
    assertThat(e.listName()).isEqualTo("emails\u0006\u00169");
  }

  @Test
  void decode_retryCopyFromNewerCelery_keepsExtraPropertiesAndHeaders() {
    // celery-wire.md §3.2: a retry's properties gain replaced_task_nesting and origin.
    String json =
        mutate(
            r -> {
              ((ObjectNode) r.get("properties"))
                  .put("replaced_task_nesting", 0)
                  .put("origin", "gen1@h");
              ((ObjectNode) r.get("headers")).put("custom", "kept").put("retries", 1);
            });

    Envelope e = codec.decode(json);

    assertThat(e.extraProperties().get("origin").textValue()).isEqualTo("gen1@h");
    assertThat(e.message().extraHeaders().get("custom").textValue()).isEqualTo("kept");
    assertThat(e.message().retries()).isEqualTo(1);
    assertThat(Golden.tree(codec.encode(e))).isEqualTo(Golden.tree(json));
  }

  @Test
  void decode_redeliveredByKombu_setsFlag() {
    // celery-wire.md §2.3: restore adds headers.redelivered and delivery_info.redelivered.
    String json =
        mutate(
            r -> {
              ((ObjectNode) r.get("headers")).put("redelivered", true);
              ((ObjectNode) r.get("properties").get("delivery_info")).put("redelivered", true);
            });

    Envelope e = codec.decode(json);

    assertThat(e.redelivered()).isTrue();
    assertThat(Golden.tree(codec.encode(e))).isEqualTo(Golden.tree(json));
  }

  @Test
  void decodeResult_awareDateDoneOfNewerCelery_givesSameInstant() {
    // celery-wire.md §2.8 [up]: newer Celery writes date_done with +00:00.
    ResultMeta meta =
        codec.decodeResult(
            "{\"status\": \"SUCCESS\", \"result\": 5, \"traceback\": null, \"children\": [],"
                + " \"date_done\": \"2026-11-27T00:36:10.740354+00:00\", \"task_id\": \"t\"}");

    assertThat(meta.dateDone()).isEqualTo(Instant.parse("2026-11-27T00:36:10.740354Z"));
  }

  @Test
  void decodeResult_extendedFieldsAndCustomState_decodes() {
    ResultMeta meta =
        codec.decodeResult(
            "{\"status\": \"PROGRESS\", \"result\": {\"done\": 3}, \"traceback\": null,"
                + " \"children\": [], \"date_done\": null, \"name\": \"t\", \"args\": [],"
                + " \"kwargs\": {}, \"worker\": \"w\", \"retries\": 0, \"queue\": \"celery\","
                + " \"task_id\": \"t\"}");

    assertThat(meta.state().name()).isEqualTo("PROGRESS");
    assertThat(meta.state().isReady()).isFalse();
    assertThat(meta.exception()).isEmpty();
  }

  @Test
  void decodeResult_stringExcMessageOfOldProducer_givesOneArgument() {
    ResultMeta meta =
        codec.decodeResult(
            "{\"status\": \"FAILURE\", \"result\": {\"exc_type\": \"E\", \"exc_message\": \"m\"},"
                + " \"task_id\": \"t\"}");

    ExceptionInfo e = meta.exception().orElseThrow();
    assertThat(e.module()).isNull();
    assertThat(e.args()).isEqualTo(Golden.tree("[\"m\"]"));
  }

  @Test
  void keys_taskId_givesCeleryKeyAndSameChannel() {
    assertThat(ResultMeta.keyFor("abc")).isEqualTo("celery-task-meta-abc");
    assertThat(ResultMeta.channelFor("abc")).isEqualTo("celery-task-meta-abc");
  }

  @Test
  void encodeResult_revokedExpired_matchesCeleryRow() {
    String json =
        codec.encodeResult(
            ResultMeta.revoked(
                "t", ExceptionInfo.revoked("expired"), Instant.parse("2026-11-27T00:00:00Z")));

    // celery-wire.md §4.2 REVOKED line (date and id were abbreviated there).
    assertThat(json)
        .isEqualTo(
            "{\"status\": \"REVOKED\", \"result\": {\"exc_type\": \"TaskRevokedError\","
                + " \"exc_message\": [\"expired\"], \"exc_module\": \"celery.exceptions\"},"
                + " \"traceback\": null, \"children\": [], \"date_done\": \"2026-11-27T00:00:00\","
                + " \"task_id\": \"t\"}");
  }

  @Test
  void encodeResult_pending_hasNullResultAndNoDate() {
    assertThat(codec.encodeResult(ResultMeta.pending("t")))
        .isEqualTo(
            "{\"status\": \"PENDING\", \"result\": null, \"traceback\": null, \"children\": [],"
                + " \"date_done\": null, \"task_id\": \"t\"}");
  }
}
