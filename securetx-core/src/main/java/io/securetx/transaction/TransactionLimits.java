package io.securetx.transaction;

import java.math.BigDecimal;

/**
 * Limits every transaction must respect.
 *
 * @param maxAmount the largest accepted amount, in major units of any currency
 */
public record TransactionLimits(BigDecimal maxAmount) {

  // Must stay above DEFAULT: statics initialise in order and the constructor reads CEILING.
  /** The largest maximum that still fits every currency's minor units in a {@code long}. */
  static final BigDecimal CEILING = new BigDecimal("1000000000000");

  /** The default maximum: one million major units. */
  public static final TransactionLimits DEFAULT =
      new TransactionLimits(new BigDecimal("1000000.00"));

  /** Validates that the maximum is positive and small enough for integer minor units. */
  public TransactionLimits {
    if (maxAmount.signum() <= 0 || maxAmount.compareTo(CEILING) > 0) {
      throw new IllegalArgumentException(
          "maximum amount must be in (0, " + CEILING.toPlainString() + "], got " + maxAmount);
    }
  }
}
