package io.securetx.ledger;

/** What happened to one {@link PendingEntry} handed to the ledger. */
public sealed interface AppendOutcome {

  /**
   * The entry was appended.
   *
   * @param entry the stored entry
   */
  record Appended(LedgerEntry entry) implements AppendOutcome {}

  /**
   * The idempotency key was seen before with the same request; nothing new was stored.
   *
   * @param entry the entry the first request stored
   */
  record Replayed(LedgerEntry entry) implements AppendOutcome {}

  /**
   * The idempotency key was seen before with a different request; nothing was stored.
   *
   * @param idempotencyKey the key
   */
  record Conflict(String idempotencyKey) implements AppendOutcome {}
}
