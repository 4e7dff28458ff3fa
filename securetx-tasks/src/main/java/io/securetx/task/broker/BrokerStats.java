package io.securetx.task.broker;

import java.util.List;
import java.util.Map;

/**
 * A snapshot of the broker for operators ({@code securetx tasks stats}).
 *
 * @param queueDepths waiting messages per queue, all priority lists added up
 * @param scheduled messages waiting for their ETA or retry delay
 * @param inFlight messages held by workers, alive or not yet reaped
 * @param dead messages in the dead-letter list
 * @param workers the workers whose heartbeat is alive
 */
public record BrokerStats(
    Map<String, Long> queueDepths,
    long scheduled,
    long inFlight,
    long dead,
    List<WorkerInfo> workers) {

  /** Copies the collections. */
  public BrokerStats {
    queueDepths = Map.copyOf(queueDepths);
    workers = List.copyOf(workers);
  }
}
