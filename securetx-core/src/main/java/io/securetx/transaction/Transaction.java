package io.securetx.transaction;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * A validated transaction, the plaintext that is signed and sealed into the ledger.
 *
 * @param id the transaction id
 * @param userId the user it belongs to
 * @param amount the amount and currency
 * @param createdAt when it was created, at microsecond precision
 */
public record Transaction(TransactionId id, UserId userId, Money amount, Instant createdAt) {

  /** Validates that the creation time has no sub-microsecond part (the encoding keeps micros). */
  public Transaction {
    if (!createdAt.truncatedTo(ChronoUnit.MICROS).equals(createdAt)) {
      throw new IllegalArgumentException("createdAt must be truncated to microseconds");
    }
  }
}
