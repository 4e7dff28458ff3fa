package io.securetx.mail;

/**
 * The welcome e-mail of the seed's {@code send_welcome_email(user_id, email)}: a plain-text and an
 * HTML alternative saying that the account is ready. Every user-derived value (the user id and the
 * address) is HTML-escaped in the HTML part.
 */
public final class WelcomeEmail {

  /** The {@link MessageId} kind of welcome e-mails. */
  public static final String KIND = "welcome";

  /** The subject; the dash makes every client decode an encoded (RFC 2047) subject. */
  static final String SUBJECT = "Welcome \u2013 your account is ready";

  private WelcomeEmail() {}

  /**
   * Composes the welcome e-mail.
   *
   * @param id the message id, see {@link MessageId#forTask}
   * @param from the sender
   * @param to the new user's address
   * @param userId the new user's id
   * @return the message
   */
  public static OutgoingMail compose(
      MessageId id, EmailAddress from, EmailAddress to, long userId) {
    String text =
        "Hello,\r\n"
            + "\r\n"
            + "welcome! Your account (user id "
            + userId
            + ") is ready.\r\n"
            + "\r\n"
            + "This message was sent to "
            + to
            + " because an account was opened with this address.\r\n"
            + "If that was not you, you can ignore it.\r\n";
    String html =
        "<!DOCTYPE html>\r\n"
            + "<html><head><meta charset=\"utf-8\"><title>"
            + escape(SUBJECT)
            + "</title></head>\r\n"
            + "<body>\r\n"
            + "<p>Hello,</p>\r\n"
            + "<p>welcome! Your account (user id <strong>"
            + escape(Long.toString(userId))
            + "</strong>) is ready.</p>\r\n"
            + "<p>This message was sent to <strong>"
            + escape(to.toString())
            + "</strong> because an account was opened with this address."
            + " If that was not you, you can ignore it.</p>\r\n"
            + "</body></html>\r\n";
    return new OutgoingMail(id, from, to, SUBJECT, text, html);
  }

  /** Escapes text for HTML element content and quoted attribute values. */
  static String escape(String text) {
    StringBuilder out = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }
}
