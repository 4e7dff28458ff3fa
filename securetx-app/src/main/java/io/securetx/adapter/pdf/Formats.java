package io.securetx.adapter.pdf;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Currency;
import java.util.Locale;

/** How figures read in the report: grouped thousands, a dot for decimals, UTC times. */
final class Formats {

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT).withZone(ZoneOffset.UTC);

  private Formats() {}

  /** An amount at its currency's scale, e.g. {@code 1,000,588.48}; exact, never rounded. */
  static String amount(BigDecimal amount, Currency currency) {
    DecimalFormat format = new DecimalFormat("#,##0", DecimalFormatSymbols.getInstance(Locale.US));
    int digits = currency.getDefaultFractionDigits();
    format.setMinimumFractionDigits(digits);
    format.setMaximumFractionDigits(Math.max(digits, amount.scale()));
    format.setRoundingMode(RoundingMode.UNNECESSARY);
    return format.format(amount);
  }

  /** The average at the currency's scale, rounded half-even (the only rounded figure). */
  static String average(BigDecimal total, long count, Currency currency) {
    int digits = currency.getDefaultFractionDigits();
    return amount(
        total.divide(BigDecimal.valueOf(count), digits, RoundingMode.HALF_EVEN), currency);
  }

  /** A count with grouped thousands, e.g. {@code 1,000,000}. */
  static String count(long n) {
    return String.format(Locale.US, "%,d", n);
  }

  /** A UTC time to the second, e.g. {@code 2026-08-31 23:59:59}. */
  static String time(Instant instant) {
    return TIME.format(instant);
  }

  /** A short axis label: {@code 250}, {@code 2.5k}, {@code 1.2M}, {@code 3B}. */
  static String compact(double value) {
    double abs = Math.abs(value);
    if (abs >= 1e9) {
      return trim(value / 1e9) + "B";
    }
    if (abs >= 1e6) {
      return trim(value / 1e6) + "M";
    }
    if (abs >= 1e3) {
      return trim(value / 1e3) + "k";
    }
    return trim(value);
  }

  private static String trim(double value) {
    BigDecimal rounded = BigDecimal.valueOf(value).setScale(2, RoundingMode.HALF_EVEN);
    return rounded.stripTrailingZeros().toPlainString();
  }

  /** A "nice" axis step (1, 2, 2.5 or 5 times a power of ten) giving about {@code ticks} ticks. */
  static double niceStep(double max, int ticks) {
    if (max <= 0) {
      return 1;
    }
    double raw = max / ticks;
    double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
    for (double factor : new double[] {1, 2, 2.5, 5, 10}) {
      if (factor * magnitude >= raw) {
        return factor * magnitude;
      }
    }
    return 10 * magnitude;
  }
}
