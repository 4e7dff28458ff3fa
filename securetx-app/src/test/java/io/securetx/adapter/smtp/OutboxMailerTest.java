package io.securetx.adapter.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import io.securetx.mail.OutgoingMail;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutboxMailerTest {

  @TempDir Path dataDir;

  private List<Path> files(Path dir) throws Exception {
    try (Stream<Path> listing = Files.list(dir)) {
      return listing.toList();
    }
  }

  @Test
  void send_noServer_writesParseableEmlNamedAfterTheMessageId() throws Exception {
    Path outbox = dataDir.resolve("outbox");
    OutboxMailer mailer = new OutboxMailer(outbox, TestMail.CLOCK);
    OutgoingMail mail = TestMail.welcome("6f1c9b2e-0d4e", "o'brien&co@b\u00fccher.example");

    mailer.send(mail);

    Path file = outbox.resolve("welcome.6f1c9b2e-0d4e@example.com.eml");
    assertThat(files(outbox)).containsExactly(file);
    assertThat(mailer.fileOf(mail)).isEqualTo(file);
    MimeMessage parsed;
    try (InputStream in = Files.newInputStream(file)) {
      parsed = new MimeMessage(Session.getInstance(new Properties()), in);
    }
    assertThat(parsed.getMessageID()).isEqualTo("<welcome.6f1c9b2e-0d4e@example.com>");
    assertThat(parsed.getRecipients(Message.RecipientType.TO))
        .extracting(Object::toString)
        .containsExactly("o'brien&co@xn--bcher-kva.example");
    assertThat(parsed.getSubject()).isEqualTo("Welcome \u2013 your account is ready");
    MimeMultipart parts = (MimeMultipart) parsed.getContent();
    assertThat(parts.getCount()).isEqualTo(2);
    assertThat((String) parts.getBodyPart(1).getContent())
        .contains("o&#39;brien&amp;co@b\u00fccher.example");
  }

  @Test
  void send_sameMessageTwice_oneFileUnchanged() throws Exception {
    Path outbox = dataDir.resolve("outbox");
    OutboxMailer mailer = new OutboxMailer(outbox, TestMail.CLOCK);
    OutgoingMail mail = TestMail.welcome("task-1", "user@example.com");
    mailer.send(mail);
    byte[] first = Files.readAllBytes(mailer.fileOf(mail));

    mailer.send(mail);
    new OutboxMailer(outbox, TestMail.CLOCK).send(mail);

    assertThat(files(outbox)).containsExactly(mailer.fileOf(mail));
    // The MIME boundary is random: an unchanged file proves it was not written again.
    assertThat(Files.readAllBytes(mailer.fileOf(mail))).isEqualTo(first);
  }

  @Test
  void send_manyMessages_noTemporaryFilesLeftAndOwnerOnly() throws Exception {
    Path outbox = dataDir.resolve("outbox");
    OutboxMailer mailer = new OutboxMailer(outbox, TestMail.CLOCK);

    for (int i = 0; i < 20; i++) {
      mailer.send(TestMail.welcome("task-" + i, "user" + i + "@example.com"));
    }

    assertThat(files(outbox))
        .hasSize(20)
        .allSatisfy(
            p ->
                assertThat(p.getFileName().toString())
                    .matches("welcome\\.task-\\d+@example\\.com\\.eml"));
    assertThat(Files.getPosixFilePermissions(outbox))
        .isEqualTo(
            Set.of(
                PosixFilePermission.OWNER_READ,
                PosixFilePermission.OWNER_WRITE,
                PosixFilePermission.OWNER_EXECUTE));
    assertThat(Files.getPosixFilePermissions(outbox.resolve("welcome.task-0@example.com.eml")))
        .isEqualTo(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
  }

  @Test
  void send_outboxCannotBeCreated_transientFailureNoFile() throws Exception {
    Path blocker = dataDir.resolve("not-a-directory");
    Files.writeString(blocker, "x");
    OutboxMailer mailer = new OutboxMailer(blocker.resolve("outbox"), TestMail.CLOCK);

    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> mailer.send(TestMail.welcome("task-1", "user@example.com")))
        .isInstanceOf(io.securetx.mail.TransientMailException.class)
        .hasMessageContaining("cannot write message <welcome.task-1@example.com> to the outbox");
    assertThat(files(dataDir)).containsExactly(blocker);
  }
}
