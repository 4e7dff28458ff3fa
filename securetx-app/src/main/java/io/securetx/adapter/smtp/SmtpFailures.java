package io.securetx.adapter.smtp;

import io.securetx.mail.MailException;
import io.securetx.mail.PermanentMailException;
import io.securetx.mail.TransientMailException;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.IdentityHashMap;
import java.util.Map;
import javax.net.ssl.SSLHandshakeException;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.smtp.SMTPSenderFailedException;
import org.jspecify.annotations.Nullable;

/**
 * Sorts a failed send into transient and permanent.
 *
 * <ul>
 *   <li>An SMTP reply code decides when there is one: 4xx is transient, 5xx permanent (RFC 5321
 *       section 4.2.1). Recipient, sender and data replies come from the exception chain; a bad
 *       greeting or a failed command from the transport's last reply.
 *   <li>Without a reply: a refused, unreachable or timed-out connection, an unknown host and other
 *       I/O failures are transient; a TLS handshake that fails (an untrusted or mismatched
 *       certificate), a server that does not offer the required STARTTLS, and failed authentication
 *       are permanent: trying again changes nothing until the configuration does.
 * </ul>
 *
 * Messages carry the server's {@code host:port} and its reply, never credentials.
 */
final class SmtpFailures {

  private static final int MAX_REPLY = 200;

  private SmtpFailures() {}

  /**
   * Classifies a failure.
   *
   * @param server {@code host:port}, for the message
   * @param failure what Jakarta Mail threw
   * @param lastReplyCode the transport's last reply code, or -1 if unknown
   * @param lastReply the transport's last reply line, or null
   */
  static MailException classify(
      String server, MessagingException failure, int lastReplyCode, @Nullable String lastReply) {
    int code = -1;
    String reply = null;
    Map<Throwable, Boolean> seen = new IdentityHashMap<>();
    for (Throwable t = failure; t != null && seen.put(t, true) == null; t = next(t)) {
      int found = replyCode(t);
      if (found > 0) {
        code = found;
        reply = t.getMessage();
        break;
      }
    }
    if (code < 0 && lastReplyCode >= 400) {
      code = lastReplyCode;
      reply = lastReply;
    }
    Throwable cause = sanitisedCause(failure);
    if (code >= 400 && code < 500) {
      return new TransientMailException(
          "SMTP server " + server + " answered " + shown(code, reply) + "; will try again",
          code,
          cause);
    }
    if (code >= 500) {
      return new PermanentMailException(
          "SMTP server " + server + " refused: " + shown(code, reply), code, cause);
    }
    if (failure instanceof AuthenticationFailedException) {
      return new PermanentMailException(
          "SMTP server "
              + server
              + " refused the credentials (SMTP_URL, SMTP_USERNAME,"
              + " SMTP_PASSWORD)",
          0,
          null);
    }
    IOException io = find(failure, IOException.class);
    if (io instanceof SSLHandshakeException) {
      return new PermanentMailException(
          "TLS handshake with SMTP server "
              + server
              + " failed (is its certificate valid for this host name?): "
              + clean(io.getMessage()),
          0,
          cause);
    }
    if (io instanceof ConnectException
        || io instanceof SocketTimeoutException
        || io instanceof UnknownHostException
        || io instanceof NoRouteToHostException) {
      return new TransientMailException(
          "cannot reach SMTP server " + server + ": " + describe(io) + "; will try again", cause);
    }
    if (io != null) {
      // Includes TLS failures after the handshake (a connection reset under TLS).
      return new TransientMailException(
          "connection to SMTP server " + server + " failed: " + describe(io) + "; will try again",
          cause);
    }
    return new PermanentMailException(
        "cannot send through SMTP server " + server + ": " + clean(failure.getMessage()), 0, cause);
  }

  private static int replyCode(Throwable t) {
    if (t instanceof SMTPAddressFailedException e) {
      return e.getReturnCode();
    }
    if (t instanceof SMTPSenderFailedException e) {
      return e.getReturnCode();
    }
    if (t instanceof SMTPSendFailedException e) {
      return e.getReturnCode();
    }
    return -1;
  }

  private static @Nullable Throwable next(Throwable t) {
    if (t instanceof MessagingException m && m.getNextException() != null) {
      return m.getNextException();
    }
    return t.getCause();
  }

  private static <T extends Throwable> @Nullable T find(Throwable failure, Class<T> type) {
    Map<Throwable, Boolean> seen = new IdentityHashMap<>();
    for (Throwable t = failure; t != null && seen.put(t, true) == null; t = next(t)) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    return null;
  }

  /**
   * The I/O failure underneath, if any, as the cause: it says what happened on the network and
   * carries no credentials. Jakarta Mail's own exceptions are left out, since their messages can
   * echo whatever the server sent back.
   */
  private static @Nullable Throwable sanitisedCause(MessagingException failure) {
    return find(failure, IOException.class);
  }

  private static String describe(IOException io) {
    String kind =
        io instanceof ConnectException
            ? "connection refused"
            : io instanceof SocketTimeoutException
                ? "timed out"
                : io instanceof UnknownHostException
                    ? "unknown host"
                    : io.getClass().getSimpleName();
    String message = clean(io.getMessage());
    return message.isEmpty() ? kind : kind + " (" + message + ")";
  }

  private static String shown(int code, @Nullable String reply) {
    String text = clean(reply);
    return text.startsWith(Integer.toString(code)) ? text : (code + " " + text).strip();
  }

  /** One line, printable, bounded: a server's reply is not trusted to be any of these. */
  static String clean(@Nullable String text) {
    if (text == null) {
      return "";
    }
    StringBuilder out = new StringBuilder(Math.min(text.length(), MAX_REPLY));
    for (int i = 0; i < text.length() && out.length() < MAX_REPLY; i++) {
      char c = text.charAt(i);
      out.append(Character.isISOControl(c) ? ' ' : c);
    }
    return out.toString().strip();
  }
}
