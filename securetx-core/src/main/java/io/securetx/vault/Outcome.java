package io.securetx.vault;

/**
 * What became of one request of a batch (see {@link Vault#append}); a conflict in one request never
 * fails the others.
 */
public sealed interface Outcome {

  /**
   * The request is in the vault: appended now, or earlier under the same idempotency key with the
   * same request ({@link Receipt#replayed()}).
   *
   * @param receipt the receipt
   */
  record Processed(Receipt receipt) implements Outcome {}

  /**
   * The idempotency key was used before with a different request; nothing was stored.
   *
   * @param idempotencyKey the key
   */
  record Conflict(String idempotencyKey) implements Outcome {}
}
