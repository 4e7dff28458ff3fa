package io.securetx.transaction;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Currency;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * An amount of money as an integer count of a currency's minor units (cents for USD, yen for JPY).
 * Never a binary float: amounts come in as decimal text or {@link BigDecimal} and are refused,
 * never rounded, when they do not fit the currency exactly.
 *
 * @param minorUnits the amount in minor units, always positive
 * @param currency the ISO 4217 currency
 */
public record Money(long minorUnits, Currency currency) {

  /** An ISO 4217 code: compiled once, as every record read back from the vault checks one. */
  private static final Pattern CURRENCY_CODE = Pattern.compile("[A-Z]{3}");

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
      throw new ValidationException(
          "amount",
          "amount.maximum",
          "must not exceed " + limits.maxAmount().toPlainString() + " " + currency);
    }
    BigDecimal normalized = amount.stripTrailingZeros();
    if (normalized.scale() > digits) {
      throw new ValidationException(
          "amount",
          "amount.scale",
          currency
              + " allows at most "
              + digits
              + " decimal place"
              + (digits == 1 ? "" : "s")
              + ", got "
              + normalized.scale());
    }
    BigInteger minor = normalized.movePointRight(digits).toBigIntegerExact();
    return new Money(minor.longValueExact(), currency);
  }

  /**
   * Resolves an ISO 4217 code such as {@code USD}.
   *
   * @param code three upper-case letters
   * @return the currency
   * @throws ValidationException if the code is not a known ISO 4217 currency with minor units
   */
  public static Currency currency(String code) {
    if (!CURRENCY_CODE.matcher(code).matches()) {
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
