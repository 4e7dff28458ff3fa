package io.securetx.ledger;

import io.securetx.SecureTxException;

/** The ledger's storage failed (connection, I/O, constraint); the operation stored nothing. */
public final class LedgerStoreException extends SecureTxException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what failed, without credentials
   * @param cause the driver's exception
   */
  public LedgerStoreException(String message, Throwable cause) {
    super(message, cause);
  }

  /**
   * Creates the exception.
   *
   * @param message what failed, without credentials
   */
  public LedgerStoreException(String message) {
    super(message);
  }
}
