package io.securetx.task.broker;

import io.securetx.task.memory.InMemoryBroker;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/** The broker contract on the in-memory broker; heartbeats expire by moving its clock. */
class InMemoryBrokerTest extends BrokerContract {

  private final SettableClock clock = new SettableClock();

  @Override
  protected Broker newBroker() {
    return new InMemoryBroker(clock);
  }

  @Override
  protected void expireHeartbeat(String workerId) {
    clock.advance(heartbeatTtl().plusMillis(1));
  }

  /** A clock the test moves by hand. */
  private static final class SettableClock extends Clock {
    private final AtomicReference<Instant> now = new AtomicReference<>(T0);

    void advance(Duration by) {
      now.updateAndGet(t -> t.plus(by));
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now.get();
    }
  }
}
