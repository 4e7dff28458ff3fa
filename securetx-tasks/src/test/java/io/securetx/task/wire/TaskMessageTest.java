package io.securetx.task.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class TaskMessageTest {

  @Test
  void build_plainCall_hasCeleryDefaults() {
    TaskMessage m = TaskMessage.builder("add").args(2, 3).build();

    assertThat(UUID.fromString(m.id()).version()).isEqualTo(4);
    assertThat(m.rootId()).isEqualTo(m.id());
    assertThat(m.lang()).isEqualTo("py");
    assertThat(m.retries()).isZero();
    assertThat(m.embed()).isEqualTo(Embed.NONE);
    assertThat(m.argsrepr()).isEqualTo("[2, 3]");
    assertThat(m.kwargsrepr()).isEqualTo("{}");
    assertThat(m.eta()).isNull();
  }

  @Test
  void build_sameArgumentsAsCapture_computesPythonRepr() {
    TaskMessage m =
        TaskMessage.builder("send_welcome_email")
            .args("alice@example.com")
            .kwarg("name", "Alice")
            .build();

    // celery-wire.md §2.2
    assertThat(m.argsrepr()).isEqualTo("['alice@example.com']");
    assertThat(m.kwargsrepr()).isEqualTo("{'name': 'Alice'}");
  }

  @Test
  void build_nanosecondEta_truncatesToMicroseconds() {
    TaskMessage m =
        TaskMessage.builder("t").eta(Instant.parse("2030-01-02T03:04:05.123456789Z")).build();

    assertThat(m.eta()).isEqualTo(Instant.parse("2030-01-02T03:04:05.123456Z"));
  }

  @Test
  void build_etaBeyondPythonRange_throws() {
    assertThatThrownBy(() -> TaskMessage.builder("t").eta(Instant.MAX).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("eta");
  }

  @Test
  void build_blankTask_throws() {
    assertThatThrownBy(() -> TaskMessage.builder(" ").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("task");
  }

  @Test
  void build_negativeRetries_throws() {
    assertThatThrownBy(() -> TaskMessage.builder("t").retries(-1).build())
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void build_nanArgument_throws() {
    assertThatThrownBy(() -> TaskMessage.builder("t").args(Double.NaN).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("non-finite");
  }

  @Test
  void build_unpairedSurrogateInArgument_throws() {
    assertThatThrownBy(() -> TaskMessage.builder("t").args("a\ud800b").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unpaired surrogate");
  }

  @Test
  void build_unpairedSurrogateInOrigin_throws() {
    assertThatThrownBy(() -> TaskMessage.builder("t").origin("\udc00").build())
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void build_emojiArgument_isEscapedAsPythonDoes() {
    TaskMessage m = TaskMessage.builder("t").args("\ud83d\ude00").build();
    String json = CeleryCodec.create().encode(Envelope.of(m, "q", 0));
    String body =
        new String(
            java.util.Base64.getDecoder().decode(Golden.tree(json).get("body").textValue()),
            java.nio.charset.StandardCharsets.UTF_8);

    // Python writes lowercase hex (\\ud83d); JSON readers treat both cases alike.
    assertThat(body).startsWith("[[\"\\uD83D\\uDE00\"], {}, ");
  }

  @Test
  void build_extraHeaderNamedLikeKnownHeader_throws() {
    ObjectNode extra = Json.NODES.objectNode().put("eta", "x");

    assertThatThrownBy(() -> TaskMessage.builder("t").extraHeaders(extra).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("\"eta\"");
  }

  @Test
  void args_mutatedByCaller_leavesMessageUnchanged() {
    ArrayNode given = Json.NODES.arrayNode().add(1);
    TaskMessage m = TaskMessage.builder("t").args(given).build();

    given.add(2);
    m.args().add(3);

    assertThat(m.args()).hasSize(1);
  }

  @Test
  void toBuilder_retry_keepsEverythingElse() {
    TaskMessage first = TaskMessage.builder("t").args(1).origin("java@h").build();
    TaskMessage retry = first.toBuilder().retries(1).parentId(first.id()).build();

    assertThat(retry.id()).isEqualTo(first.id());
    assertThat(retry.rootId()).isEqualTo(first.rootId());
    assertThat(retry.args()).isEqualTo(first.args());
    assertThat(retry.retries()).isEqualTo(1);
    assertThat(retry.parentId()).isEqualTo(first.id());
  }

  @Test
  void embed_callbackNotAnObject_throws() {
    ArrayNode callbacks = Json.NODES.arrayNode().add("not a signature");

    assertThatThrownBy(() -> new Embed(callbacks, null, null, null))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void envelope_priorityOutOfRange_throws() {
    TaskMessage m = TaskMessage.builder("t").build();

    assertThatThrownBy(() -> Envelope.of(m, "celery", 256))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Envelope.of(m, "celery", -1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void envelope_of_usesTaskIdAsCorrelationIdAndFreshDeliveryTag() {
    TaskMessage m = TaskMessage.builder("t").build();
    Envelope a = Envelope.of(m, "celery", 0);
    Envelope b = Envelope.of(m, "celery", 0);

    assertThat(a.correlationId()).isEqualTo(m.id());
    assertThat(a.deliveryTag()).isNotEqualTo(b.deliveryTag());
    assertThat(a.replyTo()).isEmpty();
    assertThat(a.deliveryMode()).isEqualTo(2);
  }

  @Test
  void encode_redeliveredEnvelope_flagsHeaderAndDeliveryInfo() {
    CeleryCodec codec = CeleryCodec.create();
    Envelope e = Envelope.of(TaskMessage.builder("t").build(), "celery", 0).markedRedelivered();

    var tree = Golden.tree(codec.encode(e));

    assertThat(tree.get("headers").get("redelivered").booleanValue()).isTrue();
    assertThat(tree.get("properties").get("delivery_info").get("redelivered").booleanValue())
        .isTrue();
    assertThat(codec.decode(codec.encode(e))).isEqualTo(e);
  }
}
