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

  // The codec and the ledger convert with ChronoUnit.MICROS.between, which counts nanoseconds in
  // a long: outside these bounds (about 1677 to 2262) it overflows.
  static final Instant MIN_CREATED_AT = Instant.ofEpochSecond(-9_223_372_036L);
  static final Instant MAX_CREATED_AT =
      Instant.EPOCH.plusNanos(Long.MAX_VALUE).truncatedTo(ChronoUnit.MICROS);

  /**
   * Validates that the creation time has no sub-microsecond part (the encoding keeps micros) and
   * that it lies between {@code MIN_CREATED_AT} and {@code MAX_CREATED_AT}.
   */
  public Transaction {
    if (!createdAt.truncatedTo(ChronoUnit.MICROS).equals(createdAt)) {
      throw new IllegalArgumentException("createdAt must be truncated to microseconds");
    }
    if (createdAt.isBefore(MIN_CREATED_AT) || createdAt.isAfter(MAX_CREATED_AT)) {
      throw new IllegalArgumentException(
          "createdAt must be between " + MIN_CREATED_AT + " and " + MAX_CREATED_AT);
    }
  }
}
