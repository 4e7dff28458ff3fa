package io.securetx.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MessageIdTest {

  private static final EmailAddress SENDER = EmailAddress.parse("noreply@B\u00fccher.example");

  @Test
  void forTask_celeryUuid_usedAsItIsWithTheSendersAsciiDomain() {
    MessageId id = MessageId.forTask("welcome", "6f1c9b2e-0d4e-4c1f-9a57-3b1e2f0c8d11", SENDER);

    assertThat(id.value())
        .isEqualTo("welcome.6f1c9b2e-0d4e-4c1f-9a57-3b1e2f0c8d11@xn--bcher-kva.example");
    assertThat(id.headerValue()).isEqualTo("<" + id.value() + ">");
    assertThat(id).hasToString(id.headerValue());
  }

  @Test
  void forTask_sameTask_sameId() {
    assertThat(MessageId.forTask("welcome", "task-1", SENDER))
        .isEqualTo(MessageId.forTask("welcome", "task-1", SENDER))
        .isNotEqualTo(MessageId.forTask("welcome", "task-2", SENDER));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "task/../../etc/passwd",
        "a>b\r\nBcc: x@example.com",
        "task id with spaces",
        "t\u00e4sk",
        "a.b",
        "h.0123"
      })
  void forTask_unsafeTaskId_hashedIntoASafeDotAtom(String taskId) {
    MessageId id = MessageId.forTask("welcome", taskId, SENDER);

    assertThat(id.value()).matches("welcome\\.h\\.[0-9a-f]{64}@xn--bcher-kva\\.example");
  }

  @Test
  void forTask_differentUnsafeIds_differentHashes() {
    assertThat(MessageId.forTask("welcome", "a/b", SENDER))
        .isNotEqualTo(MessageId.forTask("welcome", "a_b", SENDER))
        .isNotEqualTo(MessageId.forTask("welcome", "a b", SENDER));
  }

  @Test
  void forTask_longTaskId_hashed() {
    assertThat(MessageId.forTask("welcome", "x".repeat(100), SENDER).value())
        .startsWith("welcome.xxxx");
    assertThat(MessageId.forTask("welcome", "x".repeat(101), SENDER).value())
        .startsWith("welcome.h.");
  }

  @Test
  void forTask_badKindOrEmptyTask_refused() {
    assertThatThrownBy(() -> MessageId.forTask("Wel come", "t", SENDER))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> MessageId.forTask("welcome", "", SENDER))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
