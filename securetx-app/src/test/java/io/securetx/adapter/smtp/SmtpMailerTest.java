package io.securetx.adapter.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import io.securetx.mail.MailException;
import io.securetx.mail.OutgoingMail;
import io.securetx.mail.PermanentMailException;
import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Date;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

/** {@link SmtpMailer} against GreenMail, a real SMTP server running in the test JVM. */
class SmtpMailerTest {

  static {
    // GreenMail's SMTPS server presents the test certificate (made for localhost and 127.0.0.1),
    // so the client verifies the host name as it does in production. Read once per JVM.
    System.setProperty("greenmail.tls.keystore.file", TestCertificate.keystore().toString());
    System.setProperty("greenmail.tls.keystore.password", TestCertificate.PASSWORD);
    System.setProperty("greenmail.tls.key.password", TestCertificate.PASSWORD);
  }

  /** Distinctive, so that finding it anywhere can only mean a leak. */
  private static final String PASSWORD = "LEAKCHECK-smtp-pass-5150";

  private static final String TRICKY = "o'brien&co+tag@example.com";

  @Nested
  class PlainSmtp {

    @RegisterExtension
    final GreenMailExtension greenMail =
        new GreenMailExtension(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));

    private SmtpMailer mailer() {
      return new SmtpMailer(
          SmtpUrl.parse("smtp://127.0.0.1:" + greenMail.getSmtp().getPort() + "?starttls=false"),
          TestMail.CLOCK);
    }

    @Test
    void send_welcome_deliversHeadersAndBothParts() throws Exception {
      OutgoingMail mail = TestMail.welcome("6f1c9b2e-0d4e-4c1f-9a57-3b1e2f0c8d11", TRICKY);

      mailer().send(mail);

      MimeMessage[] received = greenMail.getReceivedMessages();
      assertThat(received).hasSize(1);
      MimeMessage message = received[0];
      assertThat(message.getFrom())
          .extracting(Object::toString)
          .containsExactly("noreply@example.com");
      assertThat(message.getRecipients(Message.RecipientType.TO))
          .extracting(Object::toString)
          .containsExactly(TRICKY);
      assertThat(message.getSubject()).isEqualTo("Welcome \u2013 your account is ready");
      assertThat(message.getHeader("Subject")[0]).as("encoded on the wire").startsWith("=?UTF-8?");
      assertThat(message.getMessageID())
          .isEqualTo("<welcome.6f1c9b2e-0d4e-4c1f-9a57-3b1e2f0c8d11@example.com>");
      assertThat(message.getSentDate()).isEqualTo(Date.from(TestMail.NOW));
      assertThat(message.getHeader("Auto-Submitted")).containsExactly("auto-generated");

      assertThat(message.getContentType()).startsWith("multipart/alternative");
      MimeMultipart parts = (MimeMultipart) message.getContent();
      assertThat(parts.getCount()).isEqualTo(2);
      assertThat(parts.getBodyPart(0).getContentType()).startsWith("text/plain; charset=UTF-8");
      assertThat(parts.getBodyPart(1).getContentType()).startsWith("text/html; charset=UTF-8");
      String text = (String) parts.getBodyPart(0).getContent();
      String html = (String) parts.getBodyPart(1).getContent();
      assertThat(text).contains("user id 42").contains(TRICKY);
      assertThat(html)
          .contains("<strong>42</strong>")
          .contains("o&#39;brien&amp;co+tag@example.com")
          .doesNotContain("o'brien&co");
    }

    @Test
    void send_sameMessageTwice_messageIdIdentical() throws Exception {
      OutgoingMail mail = TestMail.welcome("task-1", "user@example.com");

      mailer().send(mail);
      mailer().send(mail);

      MimeMessage[] received = greenMail.getReceivedMessages();
      assertThat(received).hasSize(2);
      assertThat(received[0].getMessageID())
          .isEqualTo(received[1].getMessageID())
          .isEqualTo("<welcome.task-1@example.com>");
    }
  }

  @Nested
  class ImplicitTls {

    @RegisterExtension
    final GreenMailExtension greenMail =
        new GreenMailExtension(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTPS))
            .withConfiguration(
                GreenMailConfiguration.aConfig()
                    .withUser("mailer@example.com", "mailer", PASSWORD));

    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
    private final Logger ours = (Logger) LoggerFactory.getLogger("io.securetx");
    private Level ourLevel;

    @BeforeEach
    void captureLogs() {
      ourLevel = ours.getLevel();
      ours.setLevel(Level.ALL);
      logs.start();
      root.addAppender(logs);
    }

    @AfterEach
    void releaseLogs() {
      root.detachAppender(logs);
      ours.setLevel(ourLevel);
    }

    private SmtpUrl url(String credentials) {
      return SmtpUrl.parse(
          "smtps://" + credentials + "127.0.0.1:" + greenMail.getSmtps().getPort() + "?timeout=5");
    }

    @Test
    void send_smtpsTrustedCertificate_delivered() {
      new SmtpMailer(url(""), TestMail.CLOCK, TestCertificate.trustingClient())
          .send(TestMail.welcome("tls-1", "user@example.com"));

      assertThat(greenMail.getReceivedMessages()).hasSize(1);
    }

    @Test
    void send_smtpsRightPassword_delivered() {
      new SmtpMailer(
              url("mailer:" + PASSWORD + "@"), TestMail.CLOCK, TestCertificate.trustingClient())
          .send(TestMail.welcome("auth-1", "user@example.com"));

      assertThat(greenMail.getReceivedMessages()).hasSize(1);
    }

    @Test
    void send_smtpsCertificateNotTrusted_permanentFailureNothingSent() {
      // The JVM's default trust store does not know the test certificate.
      SmtpMailer mailer = new SmtpMailer(url(""), TestMail.CLOCK);

      PermanentMailException e =
          catchThrowableOfType(
              PermanentMailException.class,
              () -> mailer.send(TestMail.welcome("tls-2", "user@example.com")));

      assertThat(e).isNotNull();
      assertThat(e.getMessage()).contains("TLS handshake").contains("127.0.0.1:");
      assertThat(greenMail.getReceivedMessages()).isEmpty();
    }

    @Test
    void send_wrongPassword_permanentAndThePasswordIsNowhere() {
      String wrong = PASSWORD + "-wrong";
      SmtpMailer mailer =
          new SmtpMailer(
              url("mailer:" + wrong + "@"), TestMail.CLOCK, TestCertificate.trustingClient());

      MailException e =
          catchThrowableOfType(
              MailException.class,
              () -> mailer.send(TestMail.welcome("auth-2", "user@example.com")));

      assertThat(e).isInstanceOf(PermanentMailException.class);
      assertThat(e.replyCode()).hasValue(535);
      assertThat(greenMail.getReceivedMessages()).isEmpty();
      StringWriter trace = new StringWriter();
      e.printStackTrace(new PrintWriter(trace));
      assertThat(trace.toString()).doesNotContain("LEAKCHECK");
      assertThat(mailer.toString()).doesNotContain("LEAKCHECK").contains("mailer:****@");
      // Every line securetx logs, down to TRACE; GreenMail's (the server side) are not ours.
      for (ILoggingEvent event : logs.list) {
        if (event.getLoggerName().startsWith("com.icegreen")) {
          continue;
        }
        assertThat(event.getFormattedMessage()).doesNotContain("LEAKCHECK");
        if (event.getThrowableProxy() != null) {
          assertThat(event.getThrowableProxy().getMessage()).doesNotContain("LEAKCHECK");
        }
      }
    }
  }
}
