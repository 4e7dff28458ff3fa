package io.securetx.task.beat;

import static java.util.Objects.requireNonNull;

import java.time.DayOfWeek;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A five-field cron expression: minute, hour, day of month, month, day of week, each a {@code *},
 * a number, a range {@code a-b}, a step {@code * /n} or {@code a-b/n}, or a comma list of these;
 * months and days may be named ({@code JAN}, {@code MON}); Sunday is 0 or 7. The macros {@code
 * @hourly}, {@code @daily}, {@code @weekly}, {@code @monthly} and {@code @yearly} are understood.
 * As in Vixie cron, when both day fields are restricted a day matches if either does.
 *
 * <p>Example: {@code CronSchedule.parse("0 0 1 * *", ZoneOffset.UTC)} fires at midnight UTC on the
 * first of every month.
 */
public final class CronSchedule {

  private static final Map<String, String> MACROS =
      Map.of(
          "@hourly", "0 * * * *",
          "@daily", "0 0 * * *",
          "@midnight", "0 0 * * *",
          "@weekly", "0 0 * * 0",
          "@monthly", "0 0 1 * *",
          "@yearly", "0 0 1 1 *",
          "@annually", "0 0 1 1 *");
  private static final List<String> MONTHS =
      List.of("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC");
  private static final List<String> DAYS = List.of("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT");

  /** A search never needs to look further than this: every valid expression fires within it. */
  private static final int MAX_YEARS = 8;

  private final String expression;
  private final ZoneId zone;
  private final BitSet minutes;
  private final BitSet hours;
  private final BitSet daysOfMonth;
  private final BitSet months;
  private final BitSet daysOfWeek;
  private final boolean anyDayOfMonth;
  private final boolean anyDayOfWeek;

  private CronSchedule(String expression, ZoneId zone, String[] fields) {
    this.expression = expression;
    this.zone = zone;
    this.minutes = field(fields[0], 0, 59, List.of(), "minute");
    this.hours = field(fields[1], 0, 23, List.of(), "hour");
    this.daysOfMonth = field(fields[2], 1, 31, List.of(), "day of month");
    this.months = field(fields[3], 1, 12, MONTHS, "month");
    BitSet dow = field(fields[4], 0, 7, DAYS, "day of week");
    if (dow.get(7)) {
      dow.set(0);
      dow.clear(7);
    }
    this.daysOfWeek = dow;
    this.anyDayOfMonth = fields[2].equals("*") || fields[2].equals("?");
    this.anyDayOfWeek = fields[4].equals("*") || fields[4].equals("?");
  }

  /**
   * Parses an expression.
   *
   * @param expression five fields or a macro such as {@code @monthly}
   * @param zone the time zone the fields are read in
   * @return the schedule
   * @throws IllegalArgumentException if the expression is malformed, out of range, or never fires
   *     (such as 30 February)
   */
  public static CronSchedule parse(String expression, ZoneId zone) {
    requireNonNull(expression, "expression");
    requireNonNull(zone, "zone");
    String text = expression.trim();
    String expanded = MACROS.getOrDefault(text.toLowerCase(Locale.ROOT), text);
    String[] fields = expanded.split("\\s+");
    if (fields.length != 5) {
      throw new IllegalArgumentException(
          "a cron expression has 5 fields (minute hour day-of-month month day-of-week), '"
              + text
              + "' has "
              + fields.length);
    }
    CronSchedule schedule = new CronSchedule(text, zone, fields);
    schedule.next(ZonedDateTime.of(2000, 1, 1, 0, 0, 0, 0, zone));
    return schedule;
  }

  /**
   * The first time strictly after {@code after} that the schedule fires.
   *
   * @param after the time to start from
   * @return the next firing time, in the schedule's zone, at a whole minute
   * @throws IllegalArgumentException if the schedule never fires
   */
  public ZonedDateTime next(ZonedDateTime after) {
    ZonedDateTime t =
        after.withZoneSameInstant(zone).truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
    ZonedDateTime limit = t.plusYears(MAX_YEARS);
    while (t.isBefore(limit)) {
      if (!months.get(t.getMonthValue())) {
        t = t.withDayOfMonth(1).truncatedTo(ChronoUnit.DAYS).plusMonths(1);
      } else if (!dayMatches(t)) {
        t = t.truncatedTo(ChronoUnit.DAYS).plusDays(1);
      } else if (!hours.get(t.getHour())) {
        t = t.truncatedTo(ChronoUnit.HOURS).plusHours(1);
      } else if (!minutes.get(t.getMinute())) {
        t = t.plusMinutes(1);
      } else {
        return t;
      }
    }
    throw new IllegalArgumentException("cron expression '" + expression + "' never fires");
  }

  /**
   * The latest time at or before {@code atOrBefore} that the schedule fired.
   *
   * @param atOrBefore the time to look back from
   * @return the previous firing time, in the schedule's zone
   * @throws IllegalArgumentException if the schedule never fired in the years before
   */
  public ZonedDateTime previous(ZonedDateTime atOrBefore) {
    ZonedDateTime t = atOrBefore.withZoneSameInstant(zone).truncatedTo(ChronoUnit.MINUTES);
    ZonedDateTime limit = t.minusYears(MAX_YEARS);
    while (t.isAfter(limit)) {
      if (!months.get(t.getMonthValue())) {
        t = t.withDayOfMonth(1).truncatedTo(ChronoUnit.DAYS).minusMinutes(1);
      } else if (!dayMatches(t)) {
        t = t.truncatedTo(ChronoUnit.DAYS).minusMinutes(1);
      } else if (!hours.get(t.getHour())) {
        t = t.truncatedTo(ChronoUnit.HOURS).minusMinutes(1);
      } else if (!minutes.get(t.getMinute())) {
        t = t.minusMinutes(1);
      } else {
        return t;
      }
    }
    throw new IllegalArgumentException("cron expression '" + expression + "' never fired");
  }

  private boolean dayMatches(ZonedDateTime t) {
    boolean dom = daysOfMonth.get(t.getDayOfMonth());
    boolean dow =
        daysOfWeek.get(t.getDayOfWeek() == DayOfWeek.SUNDAY ? 0 : t.getDayOfWeek().getValue());
    if (anyDayOfMonth && anyDayOfWeek) {
      return true;
    }
    if (anyDayOfMonth) {
      return dow;
    }
    if (anyDayOfWeek) {
      return dom;
    }
    return dom || dow;
  }

  private static BitSet field(String text, int min, int max, List<String> names, String what) {
    BitSet bits = new BitSet(max + 1);
    for (String part : text.split(",", -1)) {
      if (part.isEmpty()) {
        throw new IllegalArgumentException("empty entry in the " + what + " field '" + text + "'");
      }
      int step = 1;
      String range = part;
      int slash = part.indexOf('/');
      if (slash >= 0) {
        step = number(part.substring(slash + 1), 1, max, List.of(), what + " step");
        range = part.substring(0, slash);
      }
      int from;
      int to;
      if (range.equals("*") || range.equals("?")) {
        from = min;
        to = max == 7 ? 6 : max;
      } else {
        int dash = range.indexOf('-');
        if (dash > 0) {
          from = number(range.substring(0, dash), min, max, names, what);
          to = number(range.substring(dash + 1), min, max, names, what);
          if (to < from) {
            throw new IllegalArgumentException(
                "the " + what + " range '" + range + "' runs backwards");
          }
        } else {
          from = number(range, min, max, names, what);
          to = slash >= 0 ? (max == 7 ? 6 : max) : from;
        }
      }
      for (int v = from; v <= to; v += step) {
        bits.set(v);
      }
    }
    return bits;
  }

  private static int number(String text, int min, int max, List<String> names, String what) {
    int named = names.indexOf(text.toUpperCase(Locale.ROOT));
    if (named >= 0) {
      return names.size() == 12 ? named + 1 : named;
    }
    int value;
    try {
      value = Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + text + "' is not a valid " + what, e);
    }
    if (value < min || value > max) {
      throw new IllegalArgumentException(
          "the " + what + " must be within " + min + ".." + max + ", was " + value);
    }
    return value;
  }

  /**
   * Returns the expression as given.
   *
   * @return the expression
   */
  public String expression() {
    return expression;
  }

  /**
   * Returns the zone the fields are read in.
   *
   * @return the zone
   */
  public ZoneId zone() {
    return zone;
  }

  @Override
  public String toString() {
    return expression + " (" + zone + ")";
  }
}
