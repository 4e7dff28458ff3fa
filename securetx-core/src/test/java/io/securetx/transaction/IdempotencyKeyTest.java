package io.securetx.transaction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.InstanceOfAssertFactories.type;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IdempotencyKeyTest {

  private static void assertRefused(String value, String rule) {
    assertThatThrownBy(() -> new IdempotencyKey(value))
        .isInstanceOf(ValidationException.class)
        .hasMessageStartingWith("idempotency_key: ")
        .asInstanceOf(type(ValidationException.class))
        .satisfies(
            e -> {
              assertThat(e.field()).isEqualTo("idempotency_key");
              assertThat(e.rule()).isEqualTo(rule);
            });
  }

  @ParameterizedTest
  @ValueSource(strings = {"a", "order-42", "2024.01.01:retry_3", "A-Z.a_z:0-9"})
  void create_allowedCharacters_accepted(String value) {
    assertThat(new IdempotencyKey(value)).hasToString(value);
  }

  @Test
  void create_empty_refusedWithRequiredRule() {
    assertRefused("", "idempotency_key.required");
  }

  @Test
  void create_exactlyMaxLength_accepted() {
    assertThat(new IdempotencyKey("k".repeat(IdempotencyKey.MAX_LENGTH)).value()).hasSize(128);
  }

  @Test
  void create_overMaxLength_refusedWithLengthRule() {
    assertRefused("k".repeat(IdempotencyKey.MAX_LENGTH + 1), "idempotency_key.length");
  }

  @ParameterizedTest
  @ValueSource(strings = {" ", "a b", "key/1", "ключ", "a\u0000", "k\n", "١٢", "a+b", "a=="})
  void create_disallowedCharacter_refusedWithFormatRule(String value) {
    assertRefused(value, "idempotency_key.format");
  }
}
