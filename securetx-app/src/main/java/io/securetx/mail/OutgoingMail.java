package io.securetx.mail;

import static java.util.Objects.requireNonNull;

/**
 * One composed e-mail, ready for a {@link Mailer}: a plain-text and an HTML alternative of the same
 * content. The subject is checked for control characters, so it cannot inject a header.
 *
 * @param id the deterministic message id
 * @param from the sender ({@code MAIL_DEFAULT_SENDER})
 * @param to the one recipient
 * @param subject the subject line, without control characters
 * @param text the plain-text body
 * @param html the HTML body, every user-derived value already escaped
 */
public record OutgoingMail(
    MessageId id, EmailAddress from, EmailAddress to, String subject, String text, String html) {

  /** The longest subject accepted; RFC 5322 recommends lines of at most 78 characters. */
  static final int MAX_SUBJECT = 200;

  /**
   * Validates the message.
   *
   * @throws IllegalArgumentException if the subject is blank, too long or has a control character
   * @throws NullPointerException if a part is null
   */
  public OutgoingMail {
    requireNonNull(id, "id");
    requireNonNull(from, "from");
    requireNonNull(to, "to");
    requireNonNull(subject, "subject");
    requireNonNull(text, "text");
    requireNonNull(html, "html");
    if (subject.isBlank() || subject.length() > MAX_SUBJECT) {
      throw new IllegalArgumentException(
          "a subject must be non-blank and at most " + MAX_SUBJECT + " characters");
    }
    if (subject.chars().anyMatch(Character::isISOControl)) {
      throw new IllegalArgumentException("a subject must not contain control characters");
    }
  }
}
