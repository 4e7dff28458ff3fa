package io.securetx;

/**
 * The root of every unchecked exception securetx throws, so a caller can catch "anything from
 * securetx" in one place. Each area has its own subclass; integrity failures are checked instead
 * ({@link io.securetx.crypto.IntegrityException}) because a caller must decide what tampering
 * means.
 */
public class SecureTxException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates an exception with a message meant for the operator; it must never contain a secret.
   *
   * @param message what went wrong and, where possible, what to do about it
   */
  public SecureTxException(String message) {
    super(message);
  }

  /**
   * Creates an exception that wraps a lower-level cause.
   *
   * @param message what went wrong, without secrets
   * @param cause the underlying failure
   */
  public SecureTxException(String message, Throwable cause) {
    super(message, cause);
  }
}
