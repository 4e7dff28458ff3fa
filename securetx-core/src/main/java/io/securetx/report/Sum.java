package io.securetx.report;

import java.math.BigDecimal;
import java.math.BigInteger;
import org.jspecify.annotations.Nullable;

/**
 * An exact running sum of positive minor-unit amounts: a {@code long} while it fits, carrying into
 * a {@link BigInteger} only when it would overflow, so the common case allocates nothing.
 */
final class Sum implements Comparable<Sum> {

  private long low;
  private @Nullable BigInteger high;

  /** Adds a non-negative amount. */
  void add(long amount) {
    long result = low + amount;
    if (((low ^ result) & (amount ^ result)) < 0) {
      high = high == null ? BigInteger.valueOf(low) : high.add(BigInteger.valueOf(low));
      low = amount;
    } else {
      low = result;
    }
  }

  /** Adds another sum. */
  void add(Sum other) {
    add(other.low);
    if (other.high != null) {
      high = high == null ? other.high : high.add(other.high);
    }
  }

  /** Replaces this sum's value with another's. */
  void set(Sum other) {
    low = other.low;
    high = other.high;
  }

  BigInteger value() {
    return high == null ? BigInteger.valueOf(low) : high.add(BigInteger.valueOf(low));
  }

  /** The sum in major units of a currency with {@code fractionDigits} minor digits. */
  BigDecimal toDecimal(int fractionDigits) {
    return new BigDecimal(value(), fractionDigits);
  }

  @Override
  public int compareTo(Sum other) {
    if (high == null && other.high == null) {
      return Long.compare(low, other.low);
    }
    return value().compareTo(other.value());
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof Sum other && compareTo(other) == 0;
  }

  @Override
  public int hashCode() {
    return value().hashCode();
  }

  @Override
  public String toString() {
    return value().toString();
  }
}
