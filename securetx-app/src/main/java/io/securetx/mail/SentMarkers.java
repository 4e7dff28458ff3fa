package io.securetx.mail;

import java.time.Instant;

/**
 * Remembers which messages a mail server has accepted, by {@link MessageId}, for every worker of a
 * deployment. A task checks {@link #isSent} before it sends and calls {@link #markSent} after the
 * server accepted the message, so a redelivered task does not send again. A crash between the two
 * leaves the message unmarked and the task sends it once more, with the same message id.
 */
public interface SentMarkers {

  /**
   * Tells whether a message was marked as sent.
   *
   * @param id the message id
   * @return true if {@link #markSent} was called for it
   * @throws TransientMailException if the store cannot be read
   */
  boolean isSent(MessageId id);

  /**
   * Marks a message as sent. Marking it again keeps the first time.
   *
   * @param id the message id
   * @param sentAt when the server accepted it
   * @throws TransientMailException if the store cannot be written
   */
  void markSent(MessageId id, Instant sentAt);
}
