package io.securetx.transaction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.InstanceOfAssertFactories.type;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UserIdTest {

  private static void assertRefused(String value, String rule) {
    assertThatThrownBy(() -> new UserId(value))
        .isInstanceOf(ValidationException.class)
        .hasMessageStartingWith("user_id: ")
        .asInstanceOf(type(ValidationException.class))
        .satisfies(
            e -> {
              assertThat(e.field()).isEqualTo("user_id");
              assertThat(e.rule()).isEqualTo(rule);
            });
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "\t", "\n", "\u2003\u3000"})
  void create_blank_refusedWithRequiredRule(String value) {
    assertRefused(value, "user_id.required");
  }

  @Test
  void create_129CodePoints_refusedWithLengthRule() {
    assertRefused("a".repeat(UserId.MAX_LENGTH + 1), "user_id.length");
    assertRefused("😀".repeat(UserId.MAX_LENGTH + 1), "user_id.length");
  }

  @Test
  void create_exactly128CodePoints_accepted() {
    String ascii = "a".repeat(UserId.MAX_LENGTH);
    // 128 code points but 256 UTF-16 chars: the limit counts code points.
    String astral = "😀".repeat(UserId.MAX_LENGTH);

    assertThat(new UserId(ascii).value()).hasSize(128);
    assertThat(new UserId(astral).value()).hasSize(256);
  }

  @ParameterizedTest
  @ValueSource(strings = {" alice", "alice ", "\talice", "alice\n", "alice\u2028", "\u3000alice"})
  void create_leadingOrTrailingWhitespace_refusedWithWhitespaceRule(String value) {
    assertRefused(value, "user_id.whitespace");
  }

  @Test
  void create_controlCharacter_refusedWithPrintableRuleNamingCodePoint() {
    assertRefused("ali\u0007ce", "user_id.printable");
    assertThatThrownBy(() -> new UserId("ali\u0007ce")).hasMessageContaining("U+0007");
  }

  @Test
  void create_bidiOverride_refusedWithPrintableRule() {
    assertRefused("alice\u202Egpj.exe", "user_id.printable");
    assertThatThrownBy(() -> new UserId("alice\u202Egpj.exe")).hasMessageContaining("U+202E");
  }

  @Test
  void create_zeroWidthSpace_refusedWithPrintableRule() {
    assertRefused("ali\u200Bce", "user_id.printable");
  }

  @Test
  void create_lineSeparatorInside_refusedWithPrintableRule() {
    assertRefused("ali\u2028ce", "user_id.printable");
    assertRefused("ali\u2029ce", "user_id.printable");
  }

  @Test
  void create_loneSurrogateOrPrivateUse_refusedWithPrintableRule() {
    assertRefused("ali\uD800ce", "user_id.printable");
    assertRefused("ali\uE000ce", "user_id.printable");
    assertRefused("ali\u0378ce", "user_id.printable"); // unassigned
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"alice", "user-😀", "🦊", "用户张伟", "ユーザー", "José Müller", "o'brien@example.com"})
  void create_printableUnicode_accepted(String value) {
    UserId id = new UserId(value);

    assertThat(id.value()).isEqualTo(value);
    assertThat(id).hasToString(value);
  }
}
