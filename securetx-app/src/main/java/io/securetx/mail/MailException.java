package io.securetx.mail;

import io.securetx.SecureTxException;
import java.util.OptionalInt;
import org.jspecify.annotations.Nullable;

/**
 * Sending an e-mail failed. Exactly one of two kinds: {@link TransientMailException} (worth trying
 * again later: the server was unreachable, timed out or answered 4xx) or {@link
 * PermanentMailException} (trying again cannot help: a 5xx answer, a refused address, a broken
 * configuration). Messages name the server and its reply, never a password.
 */
public abstract sealed class MailException extends SecureTxException
    permits TransientMailException, PermanentMailException {
  private static final long serialVersionUID = 1L;

  private final int replyCode;

  MailException(String message, int replyCode, @Nullable Throwable cause) {
    super(message);
    this.replyCode = replyCode;
    if (cause != null) {
      initCause(cause);
    }
  }

  /** Whether trying again later may succeed. */
  public abstract boolean isTransient();

  /** The SMTP reply code that caused the failure, if a server answered with one. */
  public OptionalInt replyCode() {
    return replyCode > 0 ? OptionalInt.of(replyCode) : OptionalInt.empty();
  }
}
