package io.securetx.report;

import io.securetx.transaction.ValidationException;
import java.time.Clock;
import java.time.Instant;
import java.time.Month;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.TextStyle;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The calendar month a report covers, in UTC: from the first instant of its first day up to, not
 * including, the first instant of the next month.
 *
 * <p>{@link #parse} accepts three forms, case-insensitively and ignoring surrounding spaces:
 *
 * <ul>
 *   <li>{@code 2026-08}: ISO year and month;
 *   <li>{@code August 2026} or {@code Aug 2026}: an English month name or its three-letter
 *       abbreviation, then the year;
 *   <li>{@code August} or {@code Aug}: the seed's bare month name, meaning the most recent such
 *       month that has begun (by the clock, in UTC). In November 2026, {@code August} is 2026-08
 *       and {@code November} is 2026-11 (still in progress), but {@code December} is 2025-12.
 * </ul>
 *
 * A month that has not begun yet is refused: there is nothing to report.
 *
 * @param value the year and month
 */
public record ReportMonth(YearMonth value) {

  /** The earliest year accepted; nothing in a vault can be older than the epoch. */
  static final int MIN_YEAR = 1970;

  /** The latest year accepted (four digits, as {@code YYYY-MM} allows). */
  static final int MAX_YEAR = 9999;

  private static final int MAX_ECHO = 40;
  private static final Pattern NUMERIC = Pattern.compile("(\\d{4})-(\\d{2})");
  private static final Pattern NAMED = Pattern.compile("(\\p{Alpha}+)(?:\\s+(\\d{4}))?");
  private static final String FORMS =
      "use YYYY-MM (2026-08), a month name and year (August 2026, Aug 2026) or a month name alone"
          + " (August: the most recent August that has begun)";

  /**
   * Validates the year.
   *
   * @throws ValidationException if the year is before 1970 or after 9999
   */
  public ReportMonth {
    if (value.getYear() < MIN_YEAR || value.getYear() > MAX_YEAR) {
      throw new ValidationException(
          "month",
          "month.range",
          "the year must be between " + MIN_YEAR + " and " + MAX_YEAR + ", got " + value.getYear());
    }
  }

  /**
   * Parses a month as a caller names it (see the class comment for the forms).
   *
   * @param text {@code 2026-08}, {@code August 2026}, {@code Aug 2026}, {@code August} or {@code
   *     Aug}
   * @param clock decides what "the most recent August" is and which months have begun (UTC)
   * @return the month
   * @throws ValidationException naming the accepted forms when the text is none of them, or when
   *     the month has not begun yet
   */
  public static ReportMonth parse(String text, Clock clock) {
    YearMonth now = YearMonth.now(clock.withZone(ZoneOffset.UTC));
    String trimmed = text.strip();
    YearMonth month = null;
    Matcher numeric = NUMERIC.matcher(trimmed);
    Matcher named = NAMED.matcher(trimmed);
    if (numeric.matches()) {
      int number = Integer.parseInt(numeric.group(2));
      if (number >= 1 && number <= 12) {
        month = YearMonth.of(Integer.parseInt(numeric.group(1)), number);
      }
    } else if (named.matches()) {
      Month name = monthNamed(named.group(1));
      if (name != null) {
        String year = named.group(2);
        if (year != null) {
          month = YearMonth.of(Integer.parseInt(year), name);
        } else {
          month = now.withMonth(name.getValue());
          if (month.isAfter(now)) {
            month = month.minusYears(1);
          }
        }
      }
    }
    if (month == null) {
      throw new ValidationException(
          "month", "month.format", echo(text) + " is not a month; " + FORMS);
    }
    ReportMonth parsed = new ReportMonth(month);
    if (month.isAfter(now)) {
      throw new ValidationException(
          "month",
          "month.future",
          month
              + " has not begun yet (it is "
              + now
              + " in UTC); a report covers a month that"
              + " has begun");
    }
    return parsed;
  }

  private static @Nullable Month monthNamed(String word) {
    String lower = word.toLowerCase(Locale.ROOT);
    for (Month month : Month.values()) {
      String full = month.getDisplayName(TextStyle.FULL, Locale.ENGLISH).toLowerCase(Locale.ROOT);
      if (lower.equals(full) || lower.equals(full.substring(0, 3))) {
        return month;
      }
    }
    return null;
  }

  /** Repeats short printable input so the caller sees what was refused; never anything else. */
  private static String echo(String text) {
    if (text.isEmpty()) {
      return "an empty value";
    }
    if (text.length() <= MAX_ECHO && text.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
      return "'" + text + "'";
    }
    return "the value given";
  }

  /** The first instant of the month, UTC. */
  public Instant start() {
    return value.atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
  }

  /** The first instant after the month, UTC. */
  public Instant end() {
    return value.plusMonths(1).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
  }

  /** The month for people: {@code August 2026}. */
  public String displayName() {
    return value.getMonth().getDisplayName(TextStyle.FULL, Locale.ENGLISH) + " " + value.getYear();
  }

  /** The ISO form, {@code 2026-08}, also used in file names. */
  @Override
  public String toString() {
    return value.toString();
  }
}
