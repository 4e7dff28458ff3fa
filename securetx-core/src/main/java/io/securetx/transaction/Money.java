package io.securetx.transaction;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.Currency;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * An amount of money as an integer count of a currency's minor units (cents for USD, yen for JPY).
 * Never a binary float: amounts come in as decimal text or {@link BigDecimal} and are refused,
 * never rounded, when they do not fit the currency exactly.
 *
 * @param minorUnits the amount in minor units, always positive
 * @param currency the ISO 4217 currency
 */
public record Money(long minorUnits, Currency currency) {

  /** Longer amount text than this is refused before any parsing happens. */
  static final int MAX_TEXT_LENGTH = 40;

  /** Validates the invariants; use {@link #parse} or {@link #of} to build from user input. */
  public Money {
    if (minorUnits <= 0) {
      throw new ValidationException("amount", "amount.positive", "must be greater than zero");
    }
    fractionDigits(currency);
  }

  /**
   * Parses user text such as {@code "100.00"}: digits with an optional fraction, nothing else.
   *
   * @param text the amount as the user wrote it
   * @param currency the currency it is in
   * @param limits the maximum allowed amount
   * @return the amount
   * @throws ValidationException naming the rule the text breaks
   */
  public static Money parse(String text, Currency currency, TransactionLimits limits) {
    Money plain = parsePlain(text, currency, limits);
    if (plain != null) {
      return plain;
    }
    String trimmed = text.strip();
    if (trimmed.isEmpty()) {
      throw new ValidationException("amount", "amount.required", "must not be empty");
    }
    if (trimmed.length() > MAX_TEXT_LENGTH) {
      throw new ValidationException(
          "amount", "amount.format", "is longer than " + MAX_TEXT_LENGTH + " characters");
    }
    String lower = trimmed.toLowerCase(Locale.ROOT);
    if (lower.contains("nan") || lower.contains("inf")) {
      throw new ValidationException(
          "amount", "amount.finite", "must be a finite number (NaN and Infinity are refused)");
    }
    if (trimmed.startsWith("-")) {
      throw new ValidationException("amount", "amount.positive", "must be greater than zero");
    }
    if (lower.indexOf('e') >= 0) {
      throw new ValidationException(
          "amount", "amount.format", "must be a plain decimal such as 100.00, not exponent form");
    }
    if (!isPlainDecimal(trimmed)) {
      throw new ValidationException(
          "amount", "amount.format", "must be a plain decimal such as 100.00 (digits and one dot)");
    }
    return of(new BigDecimal(trimmed), currency, limits);
  }

  /**
   * The common case without {@link BigDecimal}: up to 18 ASCII digits with at most one dot, no more
   * decimals than the currency has, within the limit. Anything else returns null and takes the
   * general path, which names the rule it breaks.
   */
  private static @Nullable Money parsePlain(
      String text, Currency currency, TransactionLimits limits) {
    int n = text.length();
    if (n == 0 || n > 19) {
      return null;
    }
    int digits = currency.getDefaultFractionDigits();
    long unscaled = 0;
    int dot = -1;
    int significant = 0;
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      if (c == '.') {
        if (dot >= 0 || i == 0 || i == n - 1) {
          return null;
        }
        dot = i;
      } else if (c >= '0' && c <= '9') {
        unscaled = unscaled * 10 + (c - '0');
        significant++;
      } else {
        return null;
      }
    }
    int scale = dot < 0 ? 0 : n - dot - 1;
    while (scale > 0 && unscaled % 10 == 0) {
      unscaled /= 10;
      scale--;
    }
    if (digits < 0 || scale > digits || significant > 18 || unscaled == 0) {
      return null;
    }
    long minor = unscaled;
    for (int i = scale; i < digits; i++) {
      if (minor > Long.MAX_VALUE / 10) {
        return null;
      }
      minor *= 10;
    }
    if (BigDecimal.valueOf(minor, digits).compareTo(limits.maxAmount()) > 0) {
      return null;
    }
    return new Money(minor, currency);
  }

  /** Digits, optionally one dot followed by more digits; ASCII only. */
  private static boolean isPlainDecimal(String text) {
    int dot = text.indexOf('.');
    if (dot == 0 || dot == text.length() - 1 || text.indexOf('.', dot + 1) >= 0) {
      return false;
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (i != dot && (c < '0' || c > '9')) {
        return false;
      }
    }
    return true;
  }

  /**
   * Builds an amount from a decimal value, e.g. one read from JSON.
   *
   * @param amount the amount in major units
   * @param currency the currency it is in
   * @param limits the maximum allowed amount
   * @return the amount
   * @throws ValidationException naming the rule the amount breaks
   */
  public static Money of(BigDecimal amount, Currency currency, TransactionLimits limits) {
    int digits = fractionDigits(currency);
    if (amount.signum() <= 0) {
      throw new ValidationException("amount", "amount.positive", "must be greater than zero");
    }
    if (amount.compareTo(limits.maxAmount()) > 0) {
      throw tooLarge(limits, currency);
    }
    BigDecimal normalized = amount.stripTrailingZeros();
    if (normalized.scale() > digits) {
      throw tooPrecise(currency, digits, ", got " + normalized.scale());
    }
    BigInteger minor = normalized.movePointRight(digits).toBigIntegerExact();
    return new Money(minor.longValueExact(), currency);
  }

  private static ValidationException tooLarge(TransactionLimits limits, Currency currency) {
    return new ValidationException(
        "amount",
        "amount.maximum",
        "must not exceed " + limits.maxAmount().toPlainString() + " " + currency);
  }

  private static ValidationException tooPrecise(Currency currency, int digits, String what) {
    return new ValidationException(
        "amount",
        "amount.scale",
        currency
            + " allows at most "
            + digits
            + " decimal place"
            + (digits == 1 ? "" : "s")
            + what);
  }

  /**
   * Builds an amount from a binary floating-point number, such as a Python {@code float} that
   * arrived as a JSON number. A float is accepted only when it is exactly the float nearest to a
   * decimal with at most the currency's minor digits: {@code 100.0} and {@code 0.1} are {@code
   * 100.00} and {@code 0.10}, but {@code 0.1 + 0.2} (which is {@code 0.30000000000000004}) is
   * refused, never rounded. Within {@link TransactionLimits}' ceiling that decimal is unique, so no
   * two amounts can be confused.
   *
   * @param amount the amount in major units
   * @param currency the currency it is in
   * @param limits the maximum allowed amount
   * @return the amount
   * @throws ValidationException naming the rule the amount breaks
   */
  public static Money ofBinaryFloat(double amount, Currency currency, TransactionLimits limits) {
    int digits = fractionDigits(currency);
    if (Double.isNaN(amount) || Double.isInfinite(amount)) {
      throw new ValidationException(
          "amount", "amount.finite", "must be a finite number (NaN and Infinity are refused)");
    }
    if (amount <= 0) {
      throw new ValidationException("amount", "amount.positive", "must be greater than zero");
    }
    BigDecimal exact = new BigDecimal(amount);
    if (exact.compareTo(limits.maxAmount()) > 0) {
      throw tooLarge(limits, currency);
    }
    BigDecimal nearest = exact.setScale(digits, RoundingMode.HALF_EVEN);
    if (nearest.doubleValue() != amount) {
      throw tooPrecise(
          currency, digits, " and this number has more (send the amount as a decimal string)");
    }
    return of(nearest, currency, limits);
  }

  /**
   * Resolves an ISO 4217 code such as {@code USD}.
   *
   * @param code three upper-case letters
   * @return the currency
   * @throws ValidationException if the code is not a known ISO 4217 currency with minor units
   */
  public static Currency currency(String code) {
    if (!isCurrencyCode(code)) {
      throw new ValidationException(
          "currency", "currency.format", "must be an ISO 4217 code of three capital letters");
    }
    Currency currency;
    try {
      currency = Currency.getInstance(code);
    } catch (IllegalArgumentException e) {
      throw new ValidationException("currency", "currency.unknown", "is not an ISO 4217 currency");
    }
    fractionDigits(currency);
    return currency;
  }

  private static boolean isCurrencyCode(String code) {
    if (code.length() != 3) {
      return false;
    }
    for (int i = 0; i < 3; i++) {
      char c = code.charAt(i);
      if (c < 'A' || c > 'Z') {
        return false;
      }
    }
    return true;
  }

  private static int fractionDigits(Currency currency) {
    int digits = currency.getDefaultFractionDigits();
    if (digits < 0) {
      throw new ValidationException(
          "currency",
          "currency.unsupported",
          currency.getCurrencyCode() + " has no minor unit (not a money currency)");
    }
    return digits;
  }

  /** The amount in major units, at the currency's scale ({@code 100.00}, {@code 1500}). */
  public BigDecimal toDecimal() {
    return BigDecimal.valueOf(minorUnits, currency.getDefaultFractionDigits());
  }

  @Override
  public String toString() {
    return toDecimal().toPlainString() + " " + currency.getCurrencyCode();
  }
}
