package io.securetx.adapter.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.securetx.mail.MailException;
import io.securetx.mail.PermanentMailException;
import io.securetx.mail.TransientMailException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link SmtpMailer} against {@link ScriptedSmtpServer}, a real SMTP server whose replies the test
 * chooses: how each failure is classified, and STARTTLS required by default.
 */
class SmtpMailerFailuresTest {

  private static SmtpMailer plain(ScriptedSmtpServer server, String parameters) {
    return new SmtpMailer(
        SmtpUrl.parse("smtp://127.0.0.1:" + server.port() + "?starttls=false" + parameters),
        TestMail.CLOCK);
  }

  private static MailException failure(SmtpMailer mailer) {
    MailException e =
        catchThrowableOfType(
            MailException.class, () -> mailer.send(TestMail.welcome("t-1", "user@example.com")));
    assertThat(e).as("send should fail with a MailException").isNotNull();
    return e;
  }

  @ParameterizedTest(name = "{0} answered \"{1}\"")
  @CsvSource({
    "CONNECT, 421 4.3.2 service not available, true",
    "MAIL,    451 4.3.0 try again later,       true",
    "RCPT,    450 4.2.1 mailbox busy,           true",
    "DATA,    452 4.3.1 insufficient storage,   true",
    ".,       451 4.7.1 greylisted,             true",
    "CONNECT, 554 5.3.2 no service here,        false",
    "MAIL,    553 5.7.1 sender refused,         false",
    "RCPT,    550 5.1.1 no such user,           false",
    ".,       554 5.6.0 message rejected,       false",
  })
  void send_serverReply_classifiedByItsCode(String command, String reply, boolean transientFailure)
      throws IOException {
    try (ScriptedSmtpServer server =
        ScriptedSmtpServer.start((n, c) -> c.equals(command) ? reply : null)) {

      MailException e = failure(plain(server, ""));

      assertThat(e)
          .isInstanceOf(
              transientFailure ? TransientMailException.class : PermanentMailException.class);
      assertThat(e.isTransient()).isEqualTo(transientFailure);
      assertThat(e.replyCode()).hasValue(Integer.parseInt(reply.substring(0, 3)));
      assertThat(e.getMessage())
          .contains("127.0.0.1:" + server.port())
          .contains(reply.substring(0, 3));
      assertThat(server.delivered()).isEmpty();
    }
  }

  @Test
  void send_defaultReplies_deliveredWithAsciiEnvelope() throws IOException {
    try (ScriptedSmtpServer server = ScriptedSmtpServer.start((n, c) -> null)) {

      plain(server, "").send(TestMail.welcome("t-2", "user@b\u00fccher.example"));

      assertThat(server.delivered())
          .singleElement()
          .satisfies(
              d -> {
                assertThat(d.from()).isEqualTo("<noreply@example.com>");
                assertThat(d.to()).containsExactly("<user@xn--bcher-kva.example>");
                assertThat(d.data()).contains("To: user@xn--bcher-kva.example\r\n");
                assertThat(d.overTls()).isFalse();
              });
    }
  }

  @Test
  void send_connectionRefused_transient() throws IOException {
    int port;
    try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = free.getLocalPort();
    }
    SmtpMailer mailer =
        new SmtpMailer(
            SmtpUrl.parse("smtp://127.0.0.1:" + port + "?starttls=false&connect_timeout=2"),
            TestMail.CLOCK);

    MailException e = failure(mailer);

    assertThat(e).isInstanceOf(TransientMailException.class);
    assertThat(e.getMessage()).contains("cannot reach SMTP server 127.0.0.1:" + port);
    assertThat(e.replyCode()).isEmpty();
  }

  @Test
  void send_serverSilent_readTimeoutIsTransient() throws IOException {
    try (ScriptedSmtpServer server =
        ScriptedSmtpServer.start(
            (n, c) -> c.equals("CONNECT") ? ScriptedSmtpServer.SILENCE : null)) {

      MailException e = failure(plain(server, "&timeout=1"));

      assertThat(e).isInstanceOf(TransientMailException.class);
      assertThat(e.getMessage()).contains("timed out");
    }
  }

  @Test
  void send_startTlsOffered_deliveredOverTls() throws IOException {
    try (ScriptedSmtpServer server =
        ScriptedSmtpServer.startWithStartTls((n, c) -> null, TestCertificate.serverContext())) {
      SmtpMailer mailer =
          new SmtpMailer(
              SmtpUrl.parse("smtp://127.0.0.1:" + server.port()),
              TestMail.CLOCK,
              TestCertificate.trustingClient());

      mailer.send(TestMail.welcome("t-3", "user@example.com"));

      assertThat(server.commands()).contains("STARTTLS");
      assertThat(server.delivered())
          .singleElement()
          .satisfies(d -> assertThat(d.overTls()).isTrue());
    }
  }

  @Test
  void send_startTlsNotOfferedByDefault_permanentAndNoMailCommand() throws IOException {
    try (ScriptedSmtpServer server = ScriptedSmtpServer.start((n, c) -> null)) {
      SmtpMailer mailer =
          new SmtpMailer(
              SmtpUrl.parse("smtp://127.0.0.1:" + server.port()),
              TestMail.CLOCK,
              TestCertificate.trustingClient());

      MailException e = failure(mailer);

      assertThat(e).isInstanceOf(PermanentMailException.class);
      assertThat(e.getMessage()).contains("STARTTLS");
      assertThat(server.commands()).noneMatch(c -> c.startsWith("MAIL"));
      assertThat(server.delivered()).isEmpty();
    }
  }

  @Test
  void send_startTlsCertificateForAnotherHost_permanentAndNoMailCommand() throws IOException {
    // The certificate is trusted but names localhost and 127.0.0.1, not 127.0.0.2.
    InetAddress other = InetAddress.getByAddress(new byte[] {127, 0, 0, 2});
    try (ScriptedSmtpServer server =
        ScriptedSmtpServer.startWithStartTls(
            (n, c) -> null, TestCertificate.serverContext(), other)) {
      SmtpMailer mailer =
          new SmtpMailer(
              SmtpUrl.parse("smtp://127.0.0.2:" + server.port()),
              TestMail.CLOCK,
              TestCertificate.trustingClient());

      MailException e = failure(mailer);

      assertThat(e).isInstanceOf(PermanentMailException.class);
      assertThat(e.getMessage()).contains("TLS handshake");
      assertThat(server.commands()).contains("STARTTLS").noneMatch(c -> c.startsWith("MAIL"));
    }
  }

  @Test
  void send_startTlsCertificateNotTrusted_permanentAndNoMailCommand() throws IOException {
    try (ScriptedSmtpServer server =
        ScriptedSmtpServer.startWithStartTls((n, c) -> null, TestCertificate.serverContext())) {
      SmtpMailer mailer =
          new SmtpMailer(SmtpUrl.parse("smtp://127.0.0.1:" + server.port()), TestMail.CLOCK);

      MailException e = failure(mailer);

      assertThat(e).isInstanceOf(PermanentMailException.class);
      assertThat(e.getMessage()).contains("TLS handshake");
      assertThat(server.commands()).noneMatch(c -> c.startsWith("MAIL"));
    }
  }
}
