package io.securetx.crypto;

/**
 * Data failed an integrity check: a MAC, a signature or an authenticated decryption did not verify,
 * or stored records do not chain. Checked, so every caller decides what tampering means for it.
 */
public class IntegrityException extends Exception {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what failed to verify
   */
  public IntegrityException(String message) {
    super(message);
  }

  /**
   * Creates the exception with the underlying cryptographic failure.
   *
   * @param message what failed to verify
   * @param cause the library's exception
   */
  public IntegrityException(String message, Throwable cause) {
    super(message, cause);
  }
}
