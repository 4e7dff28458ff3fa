package io.securetx.adapter.smtp;

import io.securetx.mail.OutgoingMail;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;

/** Builds the MIME form of an {@link OutgoingMail}, shared by the SMTP and the outbox mailer. */
final class MimeMessages {

  private static final String UTF_8 = StandardCharsets.UTF_8.name();

  private MimeMessages() {}

  /**
   * Builds the message: {@code multipart/alternative} with a plain-text and an HTML part, the
   * deterministic {@code Message-ID}, and the date from the caller's clock.
   *
   * @throws MessagingException if Jakarta Mail refuses a part (not expected for validated mail)
   */
  static MimeMessage build(Session session, OutgoingMail mail, Instant date)
      throws MessagingException {
    MimeMessage message = new FixedIdMessage(session, mail.id().headerValue());
    message.setFrom(address(mail.from().ascii()));
    message.setRecipient(Message.RecipientType.TO, address(mail.to().ascii()));
    message.setSubject(mail.subject(), UTF_8);
    message.setSentDate(Date.from(date));
    // RFC 3834: no vacation or out-of-office replies to an automatic message.
    message.setHeader("Auto-Submitted", "auto-generated");

    MimeBodyPart text = new MimeBodyPart();
    text.setText(mail.text(), UTF_8, "plain");
    MimeBodyPart html = new MimeBodyPart();
    html.setText(mail.html(), UTF_8, "html");
    MimeMultipart alternatives = new MimeMultipart("alternative");
    alternatives.addBodyPart(text);
    alternatives.addBodyPart(html);
    message.setContent(alternatives);
    message.saveChanges();
    return message;
  }

  /** Both addresses were validated as ASCII dot-atoms; strict parsing checks that once more. */
  private static InternetAddress address(String ascii) throws AddressException {
    InternetAddress address = new InternetAddress(ascii, true);
    address.validate();
    return address;
  }

  /**
   * Keeps the given {@code Message-ID}: Jakarta Mail would otherwise replace it with a random one
   * in {@code saveChanges()}.
   */
  private static final class FixedIdMessage extends MimeMessage {
    private final String messageId;

    FixedIdMessage(Session session, String messageId) {
      super(session);
      this.messageId = messageId;
    }

    @Override
    protected void updateMessageID() throws MessagingException {
      setHeader("Message-ID", messageId);
    }
  }
}
