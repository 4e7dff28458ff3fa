package io.securetx.task.beat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CronScheduleTest {

  private static ZonedDateTime utc(int y, int mo, int d, int h, int mi) {
    return ZonedDateTime.of(y, mo, d, h, mi, 0, 0, ZoneOffset.UTC);
  }

  private static List<ZonedDateTime> firings(String expr, ZonedDateTime from, int count) {
    CronSchedule s = CronSchedule.parse(expr, ZoneOffset.UTC);
    List<ZonedDateTime> out = new ArrayList<>();
    ZonedDateTime t = from;
    for (int i = 0; i < count; i++) {
      t = s.next(t);
      out.add(t);
    }
    return out;
  }

  @Test
  void next_monthly_firstOfEachMonthAtMidnight() {
    assertThat(firings("@monthly", utc(2026, 11, 27, 10, 0), 3))
        .containsExactly(utc(2026, 12, 1, 0, 0), utc(2027, 1, 1, 0, 0), utc(2027, 2, 1, 0, 0));
  }

  @Test
  void next_everyFifteenMinutes_stepsFromZero() {
    assertThat(firings("*/15 * * * *", utc(2026, 1, 1, 23, 50), 3))
        .containsExactly(utc(2026, 1, 2, 0, 0), utc(2026, 1, 2, 0, 15), utc(2026, 1, 2, 0, 30));
  }

  @Test
  void next_rangesListsAndNames_matchOnlyThoseTimes() {
    // 09:30 and 17:30 on weekdays in March and April.
    assertThat(firings("30 9,17 * MAR-APR MON-FRI", utc(2026, 2, 27, 0, 0), 3))
        .containsExactly(utc(2026, 3, 2, 9, 30), utc(2026, 3, 2, 17, 30), utc(2026, 3, 3, 9, 30));
  }

  @Test
  void next_bothDayFieldsRestricted_eitherMatches() {
    // The 13th, or any Friday (Vixie cron semantics).
    assertThat(firings("0 0 13 * 5", utc(2026, 11, 1, 0, 0), 3))
        .containsExactly(utc(2026, 11, 6, 0, 0), utc(2026, 11, 13, 0, 0), utc(2026, 11, 20, 0, 0));
  }

  @Test
  void next_sundayAsSeven_sameAsZero() {
    assertThat(firings("0 12 * * 7", utc(2026, 11, 27, 0, 0), 1))
        .isEqualTo(firings("0 12 * * 0", utc(2026, 11, 27, 0, 0), 1));
    assertThat(firings("0 12 * * 7", utc(2026, 11, 27, 0, 0), 1))
        .containsExactly(utc(2026, 11, 29, 12, 0));
  }

  @Test
  void next_leapDay_onlyInLeapYears() {
    assertThat(firings("0 0 29 2 *", utc(2026, 1, 1, 0, 0), 2))
        .containsExactly(utc(2028, 2, 29, 0, 0), utc(2032, 2, 29, 0, 0));
  }

  @Test
  void next_inZone_firesAtLocalMidnight() {
    ZoneId paris = ZoneId.of("Europe/Paris");
    CronSchedule s = CronSchedule.parse("0 0 1 * *", paris);
    assertThat(s.next(utc(2026, 7, 15, 0, 0)).toInstant())
        .isEqualTo(ZonedDateTime.of(2026, 8, 1, 0, 0, 0, 0, paris).toInstant());
  }

  @Test
  void previous_exactFiringTime_isItself() {
    CronSchedule s = CronSchedule.parse("0 0 1 * *", ZoneOffset.UTC);
    assertThat(s.previous(utc(2026, 9, 1, 0, 0))).isEqualTo(utc(2026, 9, 1, 0, 0));
    assertThat(s.previous(utc(2026, 9, 1, 0, 0).minusSeconds(1))).isEqualTo(utc(2026, 8, 1, 0, 0));
  }

  @Property(tries = 200)
  void previousOfNext_isNext(
      @ForAll @LongRange(min = 0, max = 4_000_000_000L) long epochSecond,
      @ForAll("expressions") String expression) {
    CronSchedule s = CronSchedule.parse(expression, ZoneOffset.UTC);
    ZonedDateTime from =
        ZonedDateTime.ofInstant(java.time.Instant.ofEpochSecond(epochSecond), ZoneOffset.UTC);
    ZonedDateTime next = s.next(from);
    assertThat(next).isAfter(from);
    assertThat(s.previous(next)).isEqualTo(next);
    // Nothing fires strictly between from and next.
    assertThat(s.previous(next.minusMinutes(1))).isBeforeOrEqualTo(from);
  }

  @net.jqwik.api.Provide
  net.jqwik.api.Arbitrary<String> expressions() {
    return net.jqwik.api.Arbitraries.of(
        "* * * * *",
        "*/7 * * * *",
        "0 0 1 * *",
        "30 9,17 * MAR-APR MON-FRI",
        "0 0 13 * 5",
        "0 0 29 2 *",
        "5-10/2 3 * * 1-5");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "* * * *",
        "* * * * * *",
        "60 * * * *",
        "* 24 * * *",
        "* * 0 * *",
        "* * 32 * *",
        "* * * 13 *",
        "* * * * 8",
        "5-1 * * * *",
        "*/0 * * * *",
        "a * * * *",
        "1,,2 * * * *",
        "0 0 30 2 *",
        "@often"
      })
  void parse_malformed_throwsWithReason(String expression) {
    assertThatThrownBy(() -> CronSchedule.parse(expression, ZoneOffset.UTC))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageNotContaining("null");
  }
}
