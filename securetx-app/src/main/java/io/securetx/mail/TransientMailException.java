package io.securetx.mail;

import org.jspecify.annotations.Nullable;

/**
 * A failure that may pass: the server could not be reached, did not answer in time, or answered
 * with a 4xx reply. The task that sent the message retries it with backoff.
 */
public final class TransientMailException extends MailException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what failed, without secrets
   * @param replyCode the server's SMTP reply code, or 0 when there was none
   * @param cause the underlying failure, or null
   */
  public TransientMailException(String message, int replyCode, @Nullable Throwable cause) {
    super(message, replyCode, cause);
  }

  /**
   * Creates the exception without a reply code.
   *
   * @param message what failed, without secrets
   * @param cause the underlying failure, or null
   */
  public TransientMailException(String message, @Nullable Throwable cause) {
    super(message, 0, cause);
  }

  @Override
  public boolean isTransient() {
    return true;
  }
}
