package io.securetx.vault;

import io.securetx.SecureTxException;

/** An idempotency key was reused with a different request; nothing was stored. */
public final class IdempotencyConflictException extends SecureTxException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param key the reused key
   */
  public IdempotencyConflictException(String key) {
    super(
        "idempotency key '"
            + key
            + "' was already used with a different request; use a new key for a new transaction");
  }
}
