package io.securetx.task.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.securetx.task.wire.WireFormatException.Reason;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** celery-wire.md §2.4 / §2.8: the ETA forms Celery accepts; Python's repr for argsrepr. */
class TimesAndReprTest {

  @ParameterizedTest
  @CsvSource({
    "2026-11-27T00:50:04.809576+00:00, 2026-11-27T00:50:04.809576Z",
    "2026-11-27T00:50:04.809576Z, 2026-11-27T00:50:04.809576Z",
    "2030-01-02T03:04:05.678901, 2030-01-02T03:04:05.678901Z",
    "2030-01-02T03:04:05+00:00, 2030-01-02T03:04:05Z",
    "2030-01-02T05:04:05+02:00, 2030-01-02T03:04:05Z",
    "2030-01-01T22:04:05-05:00, 2030-01-02T03:04:05Z",
    "2030-01-02 03:04:05, 2030-01-02T03:04:05Z"
  })
  void parse_isoForms_giveInstant(String text, String expected) {
    assertThat(IsoTimes.parse(text, "eta")).isEqualTo(Instant.parse(expected));
  }

  @ParameterizedTest
  @CsvSource({"tomorrow", "2030-01-02", "2030-02-30T00:00:00", "03:04:05", "''"})
  void parse_notADateTime_throwsBadTime(String text) {
    assertThatThrownBy(() -> IsoTimes.parse(text, "eta"))
        .isInstanceOfSatisfying(
            WireFormatException.class, e -> assertThat(e.reason()).isEqualTo(Reason.BAD_TIME));
  }

  @ParameterizedTest
  @CsvSource({
    "2026-11-27T00:50:04.809576Z, 2026-11-27T00:50:04.809576+00:00",
    "2030-01-02T03:04:05Z, 2030-01-02T03:04:05+00:00",
    "2030-01-02T03:04:05.000100Z, 2030-01-02T03:04:05.000100+00:00"
  })
  void withOffset_instant_writesPythonIsoformat(String instant, String expected) {
    assertThat(IsoTimes.withOffset(Instant.parse(instant))).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "[1, 2.5, true, false, null] | [1, 2.5, True, False, None]",
        "[\"it's\"] | [\"it's\"]",
        "[\"say \\\"hi\\\"\"] | ['say \"hi\"']",
        "[\"a\\nb\\\\c\"] | ['a\\nb\\\\c']",
        "[1e16, 1e-5, 100.0, 0.0001] | [1e+16, 1e-05, 100.0, 0.0001]",
        "{\"k\": [\"caf\u00e9\"]} | {'k': ['caf\u00e9']}"
      })
  void pythonRepr_jsonValue_matchesPython(String json, String repr) {
    assertThat(PythonRepr.of(Golden.tree(json))).isEqualTo(repr);
  }
}
