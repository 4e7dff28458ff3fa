package io.securetx.mail;

import org.jspecify.annotations.Nullable;

/**
 * A failure that repeats however often the message is sent: a 5xx reply (unknown mailbox, refused
 * sender, rejected content), failed authentication, or a connection that cannot be secured as
 * configured. The task fails at once.
 */
public final class PermanentMailException extends MailException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what failed, without secrets
   * @param replyCode the server's SMTP reply code, or 0 when there was none
   * @param cause the underlying failure, or null
   */
  public PermanentMailException(String message, int replyCode, @Nullable Throwable cause) {
    super(message, replyCode, cause);
  }

  @Override
  public boolean isTransient() {
    return false;
  }
}
