package io.securetx.task.broker;

import io.securetx.task.MutableClock;
import io.securetx.task.memory.InMemoryBroker;

/** The broker contract on the in-memory broker; heartbeats expire by moving its clock. */
class InMemoryBrokerTest extends BrokerContract {

  private final MutableClock clock = new MutableClock(T0);

  @Override
  protected Broker newBroker() {
    return new InMemoryBroker(clock);
  }

  @Override
  protected void expireHeartbeat(String workerId) {
    clock.advance(heartbeatTtl().plusMillis(1));
  }

  @Override
  protected void expireClaims(java.time.Duration age) {
    clock.advance(age);
  }
}
