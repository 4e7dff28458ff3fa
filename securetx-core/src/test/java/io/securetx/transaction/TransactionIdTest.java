package io.securetx.transaction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.InstanceOfAssertFactories.type;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TransactionIdTest {

  private static final long MILLIS = 1_700_000_000_123L;
  private static final Clock FIXED = Clock.fixed(Instant.ofEpochMilli(MILLIS), ZoneOffset.UTC);
  private static final SecureRandom RANDOM = new SecureRandom();

  private static void assertRefused(String text) {
    assertThatThrownBy(() -> TransactionId.parse(text))
        .isInstanceOf(ValidationException.class)
        .hasMessageStartingWith("tx_id: ")
        .asInstanceOf(type(ValidationException.class))
        .satisfies(
            e -> {
              assertThat(e.field()).isEqualTo("tx_id");
              assertThat(e.rule()).isEqualTo("tx_id.format");
            });
  }

  @Test
  void generate_fixedClock_version7Rfc9562WithPrefix() {
    TransactionId id = TransactionId.generate(FIXED, RANDOM);

    assertThat(id.uuid().version()).isEqualTo(7);
    assertThat(id.uuid().variant()).isEqualTo(2);
    assertThat(id.toString()).startsWith("tx_").hasSize(3 + 36);
    assertThat(id.toString().substring(3)).isEqualTo(id.uuid().toString());
  }

  @Test
  void generate_fixedClock_epochMillisIsClockMillis() {
    TransactionId id = TransactionId.generate(FIXED, RANDOM);

    assertThat(id.epochMillis()).isEqualTo(MILLIS);
    // The first 12 hex digits are the 48-bit millisecond timestamp.
    assertThat(id.toString().substring(3, 17).replace("-", ""))
        .isEqualTo(String.format("%012x", MILLIS));
  }

  @Test
  void generate_sameMillisecondTwice_idsDiffer() {
    TransactionId first = TransactionId.generate(FIXED, RANDOM);
    TransactionId second = TransactionId.generate(FIXED, RANDOM);

    assertThat(first).isNotEqualTo(second);
    assertThat(first.epochMillis()).isEqualTo(second.epochMillis());
  }

  @Test
  void generate_increasingClockMillis_textSortsInTimeOrder() {
    List<String> generated = new ArrayList<>();
    for (long millis : new long[] {0xFL, 0xF0L, 1_000L, MILLIS, MILLIS + 1, 0xFFFF_FFFF_FFFFL}) {
      Clock clock = Clock.fixed(Instant.ofEpochMilli(millis), ZoneOffset.UTC);
      TransactionId id = TransactionId.generate(clock, RANDOM);
      assertThat(id.epochMillis()).isEqualTo(millis);
      generated.add(id.toString());
    }

    assertThat(generated).isSorted();
  }

  @Test
  void parse_generatedText_roundTrips() {
    TransactionId id = TransactionId.generate(FIXED, RANDOM);

    assertThat(TransactionId.parse(id.toString())).isEqualTo(id);
    assertThat(
            TransactionId.parse(
                id.toString().toUpperCase(java.util.Locale.ROOT).replace("TX_", "tx_")))
        .isEqualTo(id);
  }

  @Test
  void parse_fixedVersion7Text_givesThatUuid() {
    TransactionId id = TransactionId.parse("tx_01890a5d-ac96-774b-bcce-b302099a8057");

    assertThat(id.uuid()).isEqualTo(UUID.fromString("01890a5d-ac96-774b-bcce-b302099a8057"));
    assertThat(id.epochMillis()).isEqualTo(0x01890a5dac96L);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "tx_",
        "garbage",
        "01890a5d-ac96-774b-bcce-b302099a8057",
        "tx-01890a5d-ac96-774b-bcce-b302099a8057",
        "tx_01890a5d-ac96-474b-bcce-b302099a8057",
        "tx_01890a5d-ac96-774b-7cce-b302099a8057",
        "tx_01890a5dac96774bbcceb302099a8057",
        "tx_01890a5d-ac96-774b-bcce-b302099a8057x",
        "tx_01890a5d-ac96-774b-bcce-b302099a805",
        "tx_０1890a5d-ac96-774b-bcce-b302099a8057"
      })
  void parse_garbageOrOtherVersion_refusedWithFormatRule(String text) {
    assertRefused(text);
  }

  @Test
  void parse_uuidVersion4_refusedWithFormatRule() {
    UUID v4 = UUID.randomUUID();

    assertRefused("tx_" + v4);
  }

  @Test
  void parse_overLongInput_refusedWithFormatRule() {
    assertRefused("tx_01890a5d-ac96-774b-bcce-b302099a8057" + "0".repeat(10_000));
    assertRefused("x".repeat(1_000_000));
  }

  @Test
  void create_uuidVersion4_refusedWithFormatRule() {
    assertThatThrownBy(() -> new TransactionId(UUID.randomUUID()))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("tx_id");
  }
}
