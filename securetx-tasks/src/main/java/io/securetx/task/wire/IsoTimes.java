package io.securetx.task.wire;

import io.securetx.task.wire.WireFormatException.Reason;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAccessor;

/**
 * Date-times as Python's {@code datetime.isoformat()} writes them (microseconds, omitted when zero)
 * and as Celery reads them (with or without an offset; naive means UTC).
 */
final class IsoTimes {

  /** Python's {@code datetime} covers years 1 to 9999. */
  static final Instant MIN = Instant.parse("0001-01-01T00:00:00Z");

  static final Instant MAX = Instant.parse("9999-12-31T23:59:59.999999Z");

  private IsoTimes() {}

  /**
   * Truncates to what Python keeps and checks the range.
   *
   * @throws IllegalArgumentException outside years 1 to 9999
   */
  static Instant toPython(Instant t, String what) {
    if (t.isBefore(MIN) || t.isAfter(MAX)) {
      throw new IllegalArgumentException(what + " must be within years 1 to 9999, was " + t);
    }
    return t.truncatedTo(ChronoUnit.MICROS);
  }

  /** {@code 2026-11-27T00:50:04.809576+00:00}, as Celery writes {@code eta} and {@code expires}. */
  static String withOffset(Instant t) {
    return naive(t) + "+00:00";
  }

  /** {@code 2026-11-27T00:36:10.740354}, as Celery 5.2 writes {@code date_done}. */
  static String naive(Instant t) {
    // Written by hand: this runs once per stored result, and the formatter allocated ten times as
    // much as the result's JSON.
    LocalDateTime d = LocalDateTime.ofEpochSecond(t.getEpochSecond(), t.getNano(), ZoneOffset.UTC);
    StringBuilder out = new StringBuilder(26);
    pad(out, d.getYear(), 4).append('-');
    pad(out, d.getMonthValue(), 2).append('-');
    pad(out, d.getDayOfMonth(), 2).append('T');
    pad(out, d.getHour(), 2).append(':');
    pad(out, d.getMinute(), 2).append(':');
    pad(out, d.getSecond(), 2);
    int micros = t.getNano() / 1000;
    if (micros != 0) {
      pad(out.append('.'), micros, 6);
    }
    return out.toString();
  }

  private static StringBuilder pad(StringBuilder out, int value, int width) {
    String digits = Integer.toString(value);
    for (int i = digits.length(); i < width; i++) {
      out.append('0');
    }
    return out.append(digits);
  }

  static Instant parse(String text, String what) {
    String s = text.strip();
    // Celery's own parser also takes a space between date and time.
    if (s.length() > 10 && s.charAt(10) == ' ') {
      s = s.substring(0, 10) + 'T' + s.substring(11);
    }
    try {
      TemporalAccessor parsed =
          DateTimeFormatter.ISO_DATE_TIME.parseBest(s, OffsetDateTime::from, LocalDateTime::from);
      Instant instant =
          parsed instanceof OffsetDateTime odt
              ? odt.toInstant()
              : ((LocalDateTime) parsed).toInstant(ZoneOffset.UTC);
      return toPython(instant, what);
    } catch (DateTimeException | IllegalArgumentException | ArithmeticException e) {
      throw new WireFormatException(
          Reason.BAD_TIME, what + " is not an ISO-8601 date-time: " + Json.quote(text), e);
    }
  }
}
