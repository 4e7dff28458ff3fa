package io.securetx.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import io.securetx.adapter.smtp.SmtpMailer;
import io.securetx.adapter.smtp.SmtpUrl;
import io.securetx.adapter.sql.DatabaseUrl;
import io.securetx.adapter.sql.SqlSentMarkers;
import io.securetx.mail.EmailAddress;
import io.securetx.mail.MessageId;
import io.securetx.mail.SentMarkers;
import io.securetx.mail.TransientMailException;
import io.securetx.task.TaskContext;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code send_welcome_email} against GreenMail, with the sent-markers in a SQLite vault file. */
class SendWelcomeEmailTest {

  private static final Instant NOW = Instant.parse("2026-11-27T10:15:30Z");
  private static final EmailAddress SENDER = EmailAddress.parse("noreply@example.com");

  @RegisterExtension
  final GreenMailExtension greenMail =
      new GreenMailExtension(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));

  @TempDir Path dataDir;

  private final TestClock clock = new TestClock(NOW);
  private SqlSentMarkers markers;

  @BeforeEach
  void openMarkers() {
    markers = SqlSentMarkers.open(DatabaseUrl.sqlite(dataDir.resolve("vault.db")));
  }

  @AfterEach
  void closeMarkers() {
    markers.close();
  }

  private SmtpMailer mailer() {
    return new SmtpMailer(
        SmtpUrl.parse("smtp://127.0.0.1:" + greenMail.getSmtp().getPort() + "?starttls=false"),
        clock);
  }

  private SendWelcomeEmail handler(SentMarkers sentMarkers) {
    return new SendWelcomeEmail(mailer(), sentMarkers, SENDER, clock);
  }

  private static TaskContext context(String taskId, int retries) {
    return new TaskContext(taskId, SendWelcomeEmail.NAME, retries);
  }

  @Test
  void run_validArguments_sendsAndReturnsTheSeedsShape() throws Exception {
    Map<String, Object> result =
        handler(markers)
            .run(new SendWelcomeEmail.Args(123, "user@example.com"), context("task-1", 0));

    assertThat(result)
        .containsExactly(
            Map.entry("status", "sent"),
            Map.entry("recipient", "user@example.com"),
            Map.entry("message_id", "<welcome.task-1@example.com>"),
            Map.entry("already_sent", false));
    MimeMessage[] received = greenMail.getReceivedMessages();
    assertThat(received).hasSize(1);
    assertThat(received[0].getMessageID()).isEqualTo("<welcome.task-1@example.com>");
    assertThat(markers.isSent(MessageId.forTask("welcome", "task-1", SENDER))).isTrue();
  }

  @Test
  void run_sameTaskIdAgain_noSecondEmailAndAlreadySent() {
    SendWelcomeEmail handler = handler(markers);
    SendWelcomeEmail.Args args = new SendWelcomeEmail.Args(123, "user@example.com");

    handler.run(args, context("task-1", 0));
    // Redelivered, or run by another worker sharing the vault's database.
    Map<String, Object> again =
        new SendWelcomeEmail(mailer(), markers, SENDER, clock).run(args, context("task-1", 0));
    Map<String, Object> other = handler.run(args, context("task-2", 0));

    assertThat(again)
        .containsEntry("status", "sent")
        .containsEntry("message_id", "<welcome.task-1@example.com>")
        .containsEntry("already_sent", true);
    assertThat(other).containsEntry("already_sent", false);
    assertThat(greenMail.getReceivedMessages())
        .extracting(m -> m.getMessageID())
        .containsExactly("<welcome.task-1@example.com>", "<welcome.task-2@example.com>");
  }

  @Test
  void run_headerInjectionInEmail_valueErrorNothingSentNothingMarked() {
    IllegalArgumentException e =
        catchThrowableOfType(
            IllegalArgumentException.class,
            () ->
                handler(markers)
                    .run(
                        new SendWelcomeEmail.Args(123, "user@example.com\r\nBcc: all@example.com"),
                        context("task-1", 0)));

    assertThat(e.getMessage())
        .isEqualTo(
            "send_welcome_email() argument 'email' is invalid: the e-mail address contains a"
                + " control character (such as CR or LF) at position 16");
    assertThat(greenMail.getReceivedMessages()).isEmpty();
    assertThat(markers.isSent(MessageId.forTask("welcome", "task-1", SENDER))).isFalse();
  }

  @Test
  void run_markerCannotBeWritten_stillSucceedsSinceTheServerAccepted() {
    SentMarkers markOnlyFails =
        new SentMarkers() {
          @Override
          public boolean isSent(MessageId id) {
            return markers.isSent(id);
          }

          @Override
          public void markSent(MessageId id, Instant sentAt) {
            throw new TransientMailException("the database is gone", null);
          }
        };

    Map<String, Object> result =
        handler(markOnlyFails)
            .run(new SendWelcomeEmail.Args(7, "user@example.com"), context("task-1", 0));

    assertThat(result).containsEntry("already_sent", false);
    assertThat(greenMail.getReceivedMessages()).hasSize(1);
  }

  @Test
  void retryPolicy_fiveAttemptsExponentialOnlyTransient() {
    var policy = handler(markers).retryPolicy();

    assertThat(policy.maxRetries()).isEqualTo(4);
    assertThat(policy.upperBound(0)).hasSeconds(2);
    assertThat(policy.upperBound(3)).hasSeconds(16);
    assertThat(policy.upperBound(20)).hasMinutes(5);
    assertThat(policy.isTransient(new TransientMailException("x", null))).isTrue();
    assertThat(policy.isTransient(new io.securetx.mail.PermanentMailException("x", 550, null)))
        .isFalse();
    assertThat(policy.isTransient(new IllegalArgumentException("x"))).isFalse();
  }
}
