package io.securetx.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.securetx.transaction.ValidationException;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ReportMonthTest {

  /** Mid-November 2026, UTC. */
  private static final Clock NOVEMBER_2026 =
      Clock.fixed(Instant.parse("2026-11-15T12:00:00Z"), ZoneOffset.UTC);

  private static ReportMonth parse(String text) {
    return ReportMonth.parse(text, NOVEMBER_2026);
  }

  @ParameterizedTest(name = "\"{0}\" -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "2026-08|2026-08",
        "2026-11|2026-11",
        "1970-01|1970-01",
        "2025-12|2025-12",
        "August 2026|2026-08",
        "august 2026|2026-08",
        "AUGUST 2026|2026-08",
        "Aug 2026|2026-08",
        "aug 2026|2026-08",
        "Sep 2025|2025-09",
        "September 2025|2025-09",
        "'  2026-08  '|2026-08",
        "'December   2025'|2025-12",
        "August|2026-08",
        "august|2026-08",
        "AUG|2026-08",
        "January|2026-01",
        "November|2026-11",
        "nov|2026-11",
        "December|2025-12",
        "Dec|2025-12"
      })
  void parse_acceptedForm_givesMonth(String text, String expected) {
    assertThat(parse(text).value()).isEqualTo(YearMonth.parse(expected));
    assertThat(parse(text).toString()).isEqualTo(expected);
  }

  @Test
  void parse_bareMonth_isTheMostRecentThatHasBegun() {
    Clock firstInstantOfAugust = Clock.fixed(Instant.parse("2026-08-01T00:00:00Z"), ZoneOffset.UTC);
    Clock lastInstantOfJuly =
        Clock.fixed(Instant.parse("2026-07-31T23:59:59.999Z"), ZoneOffset.UTC);

    assertThat(ReportMonth.parse("August", firstInstantOfAugust).value())
        .isEqualTo(YearMonth.of(2026, 8));
    assertThat(ReportMonth.parse("August", lastInstantOfJuly).value())
        .isEqualTo(YearMonth.of(2025, 8));
    assertThat(ReportMonth.parse("July", lastInstantOfJuly).value())
        .isEqualTo(YearMonth.of(2026, 7));
  }

  @Test
  void parse_clockInAnotherZone_decidesInUtc() {
    // 2026-09-01T01:00 in Tokyo is still August in UTC: September has not begun.
    Clock tokyo =
        Clock.fixed(Instant.parse("2026-08-31T16:00:00Z"), java.time.ZoneId.of("Asia/Tokyo"));

    assertThat(ReportMonth.parse("September", tokyo).value()).isEqualTo(YearMonth.of(2025, 9));
    assertThatThrownBy(() -> ReportMonth.parse("2026-09", tokyo))
        .isInstanceOf(ValidationException.class);
  }

  @ParameterizedTest(name = "\"{0}\"")
  @ValueSource(
      strings = {
        "",
        "   ",
        "2026-13",
        "2026-00",
        "2026-8",
        "26-08",
        "2026/08",
        "08-2026",
        "2026-08-01",
        "Augustus",
        "Augu",
        "Au",
        "August 26",
        "August, 2026",
        "2026 August",
        "Sept 2026",
        "Août",
        "month",
        "2026-08 ",
        "twenty"
      })
  void parse_unacceptedText_refusedNamingTheForms(String text) {
    if (text.equals("2026-08 ")) {
      // Surrounding spaces are ignored: this one is accepted.
      assertThat(parse(text).toString()).isEqualTo("2026-08");
      return;
    }
    assertThatThrownBy(() -> parse(text))
        .isInstanceOf(ValidationException.class)
        .hasMessageStartingWith("month: ")
        .hasMessageContaining("YYYY-MM")
        .hasMessageContaining("August 2026")
        .satisfies(e -> assertThat(((ValidationException) e).rule()).isEqualTo("month.format"));
  }

  @Test
  void parse_shortPrintableText_isEchoed_longOrControlTextIsNot() {
    assertThatThrownBy(() -> parse("Augustus")).hasMessageContaining("'Augustus'");
    assertThatThrownBy(() -> parse("x".repeat(500))).hasMessageNotContaining("xxxxx");
    assertThatThrownBy(() -> parse("Aug\u0000ust"))
        .hasMessageNotContaining("\u0000")
        .hasMessageContaining("the value given");
  }

  @ParameterizedTest(name = "\"{0}\"")
  @ValueSource(strings = {"2026-12", "2027-01", "December 2026", "9999-12"})
  void parse_monthNotBegunYet_refused(String text) {
    assertThatThrownBy(() -> parse(text))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("has not begun yet")
        .satisfies(e -> assertThat(((ValidationException) e).rule()).isEqualTo("month.future"));
  }

  @ParameterizedTest(name = "\"{0}\"")
  @ValueSource(strings = {"1969-12", "0000-01", "December 1969"})
  void parse_yearBeforeTheEpoch_refused(String text) {
    assertThatThrownBy(() -> parse(text))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("between 1970 and 9999");
  }

  @Test
  void startAndEnd_coverTheUtcMonth() {
    ReportMonth february = parse("2024-02");

    assertThat(february.start()).isEqualTo(Instant.parse("2024-02-01T00:00:00Z"));
    assertThat(february.end()).isEqualTo(Instant.parse("2024-03-01T00:00:00Z"));
    assertThat(parse("2025-12").end()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
    assertThat(february.displayName()).isEqualTo("February 2024");
  }
}
