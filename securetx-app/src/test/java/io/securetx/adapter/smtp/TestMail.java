package io.securetx.adapter.smtp;

import io.securetx.mail.EmailAddress;
import io.securetx.mail.MessageId;
import io.securetx.mail.OutgoingMail;
import io.securetx.mail.WelcomeEmail;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

/** Messages for mailer tests. */
final class TestMail {

  static final Instant NOW = Instant.parse("2026-11-27T10:15:30Z");
  static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  static final EmailAddress SENDER = EmailAddress.parse("noreply@example.com");

  private TestMail() {}

  static OutgoingMail welcome(String taskId, String to) {
    return WelcomeEmail.compose(
        MessageId.forTask(WelcomeEmail.KIND, taskId, SENDER), SENDER, EmailAddress.parse(to), 42);
  }
}
