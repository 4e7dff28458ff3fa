package io.securetx.mail;

/**
 * Sends e-mail: over SMTP, or into a file outbox when no server is configured. One call sends one
 * message and returns once the server (or the outbox) has accepted it.
 */
public interface Mailer {

  /**
   * Sends one message. Sending the same {@link MessageId} again may deliver it again; callers that
   * must send at most once check {@link SentMarkers} first.
   *
   * @param mail the message
   * @throws TransientMailException if the server could not be reached, did not answer in time or
   *     answered 4xx: trying again later may succeed
   * @throws PermanentMailException if the server refused the message or the recipient (5xx),
   *     authentication failed, or the connection cannot be secured as configured
   */
  void send(OutgoingMail mail);
}
