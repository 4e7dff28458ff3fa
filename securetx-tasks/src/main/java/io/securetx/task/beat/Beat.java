package io.securetx.task.beat;

import static java.util.Objects.requireNonNull;

import io.securetx.task.broker.Broker;
import io.securetx.task.wire.CeleryCodec;
import io.securetx.task.wire.Envelope;
import io.securetx.task.wire.TaskMessage;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends periodic tasks, as Celery beat does, but safe to run in many processes at once: each slot
 * (an entry's firing time) is claimed in the broker in the same atomic step that sends its message,
 * so exactly one scheduler sends it. The message's task id is derived from the entry and the slot,
 * so even a message sent twice by some other path names the same task.
 *
 * <p>A slot missed while no scheduler ran is still sent if it is at most {@code catchUp} old; only
 * the latest missed slot is sent, as Celery beat does.
 */
public final class Beat implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Beat.class);

  private final Broker broker;
  private final List<PeriodicTask> entries;
  private final Clock clock;
  private final Duration catchUp;
  private final CeleryCodec codec = CeleryCodec.create();
  private final Map<String, Instant> lastSeen = new HashMap<>();
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "securetx-beat");
            t.setDaemon(true);
            return t;
          });

  /**
   * Creates a scheduler; call {@link #tick()} yourself or {@link #start(Duration)}.
   *
   * @param broker where messages and claims go
   * @param entries the periodic tasks, with distinct names
   * @param clock the source of time
   * @param catchUp how old a missed slot may be and still be sent
   * @throws IllegalArgumentException if two entries share a name or {@code catchUp} is negative
   */
  public Beat(Broker broker, List<PeriodicTask> entries, Clock clock, Duration catchUp) {
    this.broker = requireNonNull(broker, "broker");
    this.entries = List.copyOf(entries);
    this.clock = requireNonNull(clock, "clock");
    this.catchUp = requireNonNull(catchUp, "catchUp");
    if (catchUp.isNegative()) {
      throw new IllegalArgumentException("catchUp must not be negative");
    }
    var names = new HashSet<String>();
    for (PeriodicTask entry : this.entries) {
      if (!names.add(entry.name())) {
        throw new IllegalArgumentException("two periodic tasks are named '" + entry.name() + "'");
      }
    }
  }

  /**
   * Sends every entry whose latest slot is due and not yet sent by any scheduler.
   *
   * @return how many slots this call sent
   * @throws io.securetx.task.broker.BrokerException if the broker cannot be reached
   */
  public synchronized int tick() {
    Instant now = clock.instant();
    int sent = 0;
    for (PeriodicTask entry : entries) {
      ZonedDateTime slot = entry.schedule().previous(now.atZone(entry.schedule().zone()));
      Instant at = slot.toInstant();
      if (at.isBefore(now.minus(catchUp)) || at.equals(lastSeen.get(entry.name()))) {
        continue;
      }
      String claim = "beat." + entry.name() + "." + at;
      TaskMessage message =
          TaskMessage.builder(entry.task())
              .id(slotId(claim))
              .args(entry.args())
              .kwargs(entry.kwargs())
              .origin("securetx-beat")
              .build();
      Envelope envelope = Envelope.of(message, entry.queue(), 0);
      boolean mine =
          broker.publishOnce(
              claim,
              catchUp.plusDays(1),
              new Broker.Outgoing(envelope.listName(), codec.encode(envelope)));
      lastSeen.put(entry.name(), at);
      if (mine) {
        sent++;
        log.info("periodic task {} sent {} for slot {}", entry.name(), entry.task(), at);
      }
    }
    return sent;
  }

  /**
   * Ticks on a timer until closed.
   *
   * @param interval time between ticks; a second is plenty for minute-resolution schedules
   */
  public void start(Duration interval) {
    long millis = interval.toMillis();
    timer.scheduleWithFixedDelay(
        () -> {
          try {
            tick();
          } catch (RuntimeException e) {
            log.error("periodic tasks not sent this tick: {}", e.toString());
          }
        },
        0,
        millis,
        TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }

  private static String slotId(String claim) {
    return UUID.nameUUIDFromBytes(claim.getBytes(StandardCharsets.UTF_8)).toString();
  }
}
