package io.securetx.crypto;

import io.securetx.SecureTxException;

/** Keys could not be created, loaded, stored or used (as opposed to data failing to verify). */
public final class CryptoException extends SecureTxException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what failed, without key material
   */
  public CryptoException(String message) {
    super(message);
  }

  /**
   * Creates the exception with its cause.
   *
   * @param message what failed, without key material
   * @param cause the library's exception
   */
  public CryptoException(String message, Throwable cause) {
    super(message, cause);
  }
}
