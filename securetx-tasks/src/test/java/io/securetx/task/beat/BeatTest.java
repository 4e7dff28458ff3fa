package io.securetx.task.beat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.securetx.task.MutableClock;
import io.securetx.task.broker.Delivery;
import io.securetx.task.memory.InMemoryBroker;
import io.securetx.task.wire.CeleryCodec;
import io.securetx.task.wire.TaskMessage;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class BeatTest {

  private static final Instant START = Instant.parse("2026-12-01T00:00:00Z");

  private final MutableClock clock = new MutableClock(START);
  private final InMemoryBroker broker = new InMemoryBroker(clock);

  static PeriodicTask everyFiveMinutes() {
    return PeriodicTask.of(
        "tick", CronSchedule.parse("*/5 * * * *", ZoneOffset.UTC), "generate_monthly_report");
  }

  @Test
  void threeSchedulers_eachSlotFiresExactlyOnce() throws Exception {
    List<TaskMessage> sent =
        BeatRace.run(broker, clock, List.of(everyFiveMinutes()), START, Duration.ofMinutes(120));
    assertThat(sent).hasSize(24);
    assertThat(sent.stream().map(TaskMessage::id).distinct()).hasSize(24);
  }

  @Test
  void restartedScheduler_doesNotResendAClaimedSlot() {
    List<PeriodicTask> entries = List.of(everyFiveMinutes());
    clock.set(Instant.parse("2026-12-01T00:00:10Z"));
    assertThat(new Beat(broker, entries, clock, Duration.ofHours(1)).tick()).isEqualTo(1);
    assertThat(new Beat(broker, entries, clock, Duration.ofHours(1)).tick()).isZero();
  }

  @Test
  void missedSlot_withinCatchUp_isSentOnceOnly() {
    List<PeriodicTask> entries = List.of(everyFiveMinutes());
    clock.set(Instant.parse("2026-12-01T00:17:00Z"));
    Beat beat = new Beat(broker, entries, clock, Duration.ofMinutes(5));
    assertThat(beat.tick()).isEqualTo(1);
    assertThat(beat.tick()).isZero();
    clock.set(Instant.parse("2026-12-01T00:31:00Z"));
    assertThat(beat.tick()).isEqualTo(1);
  }

  @Test
  void missedSlot_olderThanCatchUp_isSkipped() {
    clock.set(Instant.parse("2026-12-01T00:04:59Z"));
    Beat beat = new Beat(broker, List.of(everyFiveMinutes()), clock, Duration.ofMinutes(2));
    assertThat(beat.tick()).isZero();
  }

  @Test
  void sentMessage_namesTaskArgumentsAndQueue() throws Exception {
    PeriodicTask entry =
        new PeriodicTask(
            "monthly",
            CronSchedule.parse("@monthly", ZoneOffset.UTC),
            "generate_monthly_report",
            io.securetx.task.wire.TaskMessage.builder("x").args("2026-11").build().args(),
            com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode(),
            "reports");
    clock.set(Instant.parse("2026-12-01T00:00:01Z"));
    new Beat(broker, List.of(entry), clock, Duration.ofHours(1)).tick();
    List<Delivery> got = broker.fetch("w", List.of("reports"), 10, Duration.ZERO);
    TaskMessage message = CeleryCodec.create().decode(got.get(0).payload()).message();
    assertThat(message.task()).isEqualTo("generate_monthly_report");
    assertThat(message.args().get(0).asText()).isEqualTo("2026-11");
  }

  @Test
  void duplicateEntryNames_rejected() {
    assertThatThrownBy(
            () ->
                new Beat(
                    broker,
                    List.of(everyFiveMinutes(), everyFiveMinutes()),
                    clock,
                    Duration.ofHours(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("tick");
  }
}
