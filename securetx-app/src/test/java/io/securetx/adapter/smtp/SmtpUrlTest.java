package io.securetx.adapter.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SmtpUrlTest {

  private static final String SECRET = "LEAKCHECK-pw";

  @Test
  void parse_smtp_startTlsRequiredOnPort587WithDefaultTimeouts() {
    SmtpUrl url = SmtpUrl.parse("smtp://mail.example.com");

    assertThat(url.security()).isEqualTo(SmtpUrl.Security.STARTTLS);
    assertThat(url.host()).isEqualTo("mail.example.com");
    assertThat(url.port()).isEqualTo(587);
    assertThat(url.username()).isNull();
    assertThat(url.connectTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(url.timeout()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void parse_smtps_implicitTlsOnPort465() {
    SmtpUrl url = SmtpUrl.parse("SMTPS://mail.example.com/");

    assertThat(url.security()).isEqualTo(SmtpUrl.Security.IMPLICIT_TLS);
    assertThat(url.port()).isEqualTo(465);
  }

  @Test
  void parse_credentialsAndParameters_decoded() {
    SmtpUrl url =
        SmtpUrl.parse(
            "smtp://mailer%40example.com:p%40ss:w@rd+1@[::1]:2525?connect_timeout=3&timeout=7");

    assertThat(url.username()).isEqualTo("mailer@example.com");
    assertThat(url.insecurePassword()).isEqualTo("p@ss:w@rd+1");
    assertThat(url.host()).isEqualTo("::1");
    assertThat(url.port()).isEqualTo(2525);
    assertThat(url.server()).isEqualTo("[::1]:2525");
    assertThat(url.connectTimeout()).isEqualTo(Duration.ofSeconds(3));
    assertThat(url.timeout()).isEqualTo(Duration.ofSeconds(7));
    assertThat(url.toString()).isEqualTo("smtp://mailer@example.com:****@[::1]:2525");
  }

  @Test
  void parse_startTlsFalse_noEncryption() {
    SmtpUrl url = SmtpUrl.parse("smtp://localhost:1025?starttls=false");

    assertThat(url.security()).isEqualTo(SmtpUrl.Security.NONE);
    assertThat(url).hasToString("smtp://localhost:1025?starttls=false");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "http://mail.example.com|must start with smtp:// or smtps://",
        "smtp://|no valid host",
        "smtp://mail.example.com:0|port outside",
        "smtp://mail.example.com:99999|port outside",
        "smtp://mail.example.com/path|must not have a path",
        "smtp://u:" + SECRET + "@mail example.com|spaces",
        "smtp://u:" + SECRET + "@mail.example.com#frag|fragment",
        "smtp://u:" + SECRET + "%zz@mail.example.com|malformed %-escape",
        "smtp://:" + SECRET + "@mail.example.com|without a user name",
        "smtp://user@mail.example.com|no password",
        "smtp://u:" + SECRET + "@localhost?starttls=false|clear text",
        "smtps://u:" + SECRET + "@mail.example.com?starttls=false|not to smtps",
        "smtp://u:" + SECRET + "@mail.example.com?starttls=maybe|starttls must be",
        "smtp://u:" + SECRET + "@mail.example.com?timeout=0|whole seconds",
        "smtp://u:" + SECRET + "@mail.example.com?timeout=5s|whole seconds",
        "smtp://u:" + SECRET + "@mail.example.com?connect_timeout=601|whole seconds",
        "smtp://u:" + SECRET + "@mail.example.com?password=x|unknown parameter"
      })
  void parse_invalid_messageNamesVariableNeverThePassword(String text, String reason) {
    IllegalArgumentException e =
        catchThrowableOfType(IllegalArgumentException.class, () -> SmtpUrl.parse(text));

    assertThat(e).as(text).isNotNull();
    assertThat(e.getMessage()).contains("SMTP_URL").contains(reason).doesNotContain(SECRET);
  }

  @Test
  void withCredentials_fromVariables_added() {
    SmtpUrl url = SmtpUrl.parse("smtps://mail.example.com").withCredentials("mailer", SECRET);

    assertThat(url.username()).isEqualTo("mailer");
    assertThat(url.insecurePassword()).isEqualTo(SECRET);
    assertThat(url.toString()).doesNotContain(SECRET);
  }

  @Test
  void withCredentials_urlHasSomeAlready_refused() {
    SmtpUrl url = SmtpUrl.parse("smtp://a:" + SECRET + "@mail.example.com");

    IllegalArgumentException e =
        catchThrowableOfType(
            IllegalArgumentException.class, () -> url.withCredentials("b", "other"));

    assertThat(e.getMessage()).contains("one place only").doesNotContain(SECRET);
  }

  @Test
  void withCredentials_unencrypted_refused() {
    SmtpUrl url = SmtpUrl.parse("smtp://localhost:1025?starttls=false");

    IllegalArgumentException e =
        catchThrowableOfType(
            IllegalArgumentException.class, () -> url.withCredentials("b", SECRET));

    assertThat(e.getMessage()).contains("clear text").doesNotContain(SECRET);
  }
}
