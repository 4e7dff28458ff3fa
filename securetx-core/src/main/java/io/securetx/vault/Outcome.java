package io.securetx.vault;

import io.securetx.ledger.LedgerEntry;

/**
 * What became of one request of a batch (see {@link Vault#append}); a conflict in one request never
 * fails the others.
 */
public sealed interface Outcome {

  /**
   * The request is in the vault: appended now, or earlier under the same idempotency key with the
   * same request. Its receipt is made when asked for, so a bulk caller that only counts pays
   * nothing for it.
   */
  final class Processed implements Outcome {
    private final LedgerEntry entry;
    private final boolean replayed;

    Processed(LedgerEntry entry, boolean replayed) {
      this.entry = entry;
      this.replayed = replayed;
    }

    /** Whether an earlier request with the same idempotency key stored it. */
    public boolean replayed() {
      return replayed;
    }

    /** The receipt, as {@link Vault#process} returns it. */
    public Receipt receipt() {
      return Vault.receiptOf(entry, replayed);
    }
  }

  /**
   * The idempotency key was used before with a different request; nothing was stored.
   *
   * @param idempotencyKey the key
   */
  record Conflict(String idempotencyKey) implements Outcome {}
}
