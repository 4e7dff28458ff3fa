package io.securetx.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class EmailAddressTest {

  private static final String LOCAL_64 = "a".repeat(64);
  private static final String LABEL_63 = "b".repeat(63);

  static Stream<Arguments> invalid() {
    return Stream.of(
        Arguments.of("", "is empty"),
        Arguments.of("user@example.com\r\nBcc: victim@example.com", "control character"),
        Arguments.of("user@example.com\nBcc: victim@example.com", "control character"),
        Arguments.of("user\r@example.com", "control character"),
        Arguments.of("user@exa\rmple.com", "control character"),
        Arguments.of("user\u0000@example.com", "control character"),
        Arguments.of("user\t@example.com", "control character"),
        Arguments.of("user\u007f@example.com", "control character"),
        Arguments.of("user\u0085@example.com", "control character"),
        Arguments.of("user@example.com\u2028", "control character"),
        Arguments.of("user\u202e@example.com", "control character"),
        Arguments.of("user@exam\u200bple.com", "control character"),
        Arguments.of("user name@example.com", "whitespace"),
        Arguments.of(" user@example.com", "whitespace"),
        Arguments.of("user@example.com ", "whitespace"),
        Arguments.of("user\u00a0@example.com", "whitespace"),
        Arguments.of("userexample.com", "no @"),
        Arguments.of("@example.com", "empty local part"),
        Arguments.of("user@", "empty domain"),
        Arguments.of("a@b@example.com", "more than one @"),
        Arguments.of("\"john.doe\"@example.com", "quoted local part"),
        Arguments.of("j\u00f6rg@example.com", "non-ASCII local part"),
        Arguments.of("user<script>@example.com", "not allowed"),
        Arguments.of("user,other@example.com", "not allowed"),
        Arguments.of("us(er)@example.com", "not allowed"),
        Arguments.of(".user@example.com", "dot"),
        Arguments.of("user.@example.com", "dot"),
        Arguments.of("us..er@example.com", "dot"),
        Arguments.of(LOCAL_64 + "a@example.com", "local part longer than 64"),
        Arguments.of("user@[192.0.2.1]", "address literal"),
        Arguments.of("user@example.com.", "dot"),
        Arguments.of("user@.example.com", "dot"),
        Arguments.of("user@exa..mple.com", "dot"),
        Arguments.of("user@exa_mple.com", "host name"),
        Arguments.of("user@-example.com", "host name"),
        Arguments.of("user@example-.com", "host name"),
        Arguments.of("user@exa mple.com", "whitespace"),
        Arguments.of("user@" + "c".repeat(64) + ".com", "host name"),
        Arguments.of("user@" + (LABEL_63 + ".").repeat(4) + "com", "domain longer than 255 octets"),
        Arguments.of(
            LOCAL_64 + "@" + (LABEL_63 + ".").repeat(3) + "example", "longer than 254 octets"),
        Arguments.of("u".repeat(5000) + "@example.com", "longer than 254"));
  }

  @ParameterizedTest(name = "{1}: {0}")
  @MethodSource("invalid")
  void parse_invalid_refusedWithReasonButNotTheAddress(String text, String reason) {
    IllegalArgumentException e =
        catchThrowableOfType(IllegalArgumentException.class, () -> EmailAddress.parse(text));

    assertThat(e).as("%s should be refused", text).isNotNull();
    assertThat(e.getMessage()).startsWith("the e-mail address ").contains(reason);
    if (text.length() > 3) {
      assertThat(e.getMessage()).doesNotContain(text);
    }
    assertThat(e.getMessage()).doesNotContain("\r").doesNotContain("\n");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "user@example.com",
        "first.last@example.com",
        "o'brien&co+tag@example.com",
        "!#$%&'*+-/=?^_`{|}~@example.com",
        "user@localhost",
        "USER@Example.COM",
        "x@a.b"
      })
  void parse_valid_accepted(String text) {
    EmailAddress address = EmailAddress.parse(text);

    assertThat(address.ascii()).isEqualToIgnoringCase(text);
    assertThat(address.localPart()).isEqualTo(text.substring(0, text.lastIndexOf('@')));
  }

  @Test
  void parse_atTheLimits_accepted() {
    String domain = LABEL_63 + "." + LABEL_63 + "." + LABEL_63 + "." + "c".repeat(50);
    String maxAddress = "a".repeat(254 - 1 - domain.length()) + "@" + domain;
    assertThat(domain).hasSize(242);

    assertThat(EmailAddress.parse(maxAddress).ascii()).hasSize(254);
    assertThat(EmailAddress.parse(LOCAL_64 + "@example.com").localPart()).hasSize(64);
  }

  @Test
  void parse_internationalisedDomain_asciiForTheEnvelopeUnicodeForPeople() {
    EmailAddress address = EmailAddress.parse("user@B\u00fccher.Example");

    assertThat(address.asciiDomain()).isEqualTo("xn--bcher-kva.example");
    assertThat(address.ascii()).isEqualTo("user@xn--bcher-kva.example");
    assertThat(address.unicodeDomain()).isEqualTo("b\u00fccher.example");
    assertThat(address).hasToString("user@b\u00fccher.example");
  }

  @Test
  void parse_punycodeAndUnicodeForms_equal() {
    assertThat(EmailAddress.parse("user@xn--bcher-kva.example"))
        .isEqualTo(EmailAddress.parse("user@b\u00fccher.example"))
        .hasSameHashCodeAs(EmailAddress.parse("user@B\u00dcCHER.example"));
    assertThat(EmailAddress.parse("User@example.com"))
        .isNotEqualTo(EmailAddress.parse("user@example.com"));
  }

  @Test
  void parse_nonLatinDomain_converted() {
    EmailAddress address = EmailAddress.parse("info@\u4f8b\u3048.\u30c6\u30b9\u30c8");

    assertThat(address.asciiDomain()).isEqualTo("xn--r8jz45g.xn--zckzah");
  }
}
