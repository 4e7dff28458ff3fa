package io.securetx.bench;

import java.time.Duration;

/**
 * What one run asks of a peer.
 *
 * @param tasks no-op tasks to enqueue and drain
 * @param roundTrips timed round trips on the idle worker
 * @param warmupRoundTrips untimed round trips before them
 * @param queue the queue name
 */
record QueueWorkload(int tasks, int roundTrips, int warmupRoundTrips, String queue) {

  QueueWorkload {
    if (tasks < 2 || roundTrips < 1 || warmupRoundTrips < 0) {
      throw new IllegalArgumentException(
          "need at least 2 tasks and 1 round trip, got " + tasks + " and " + roundTrips);
    }
  }

  /** A generous bound for draining: even a peer at 20 tasks/s finishes within it. */
  Duration drainTimeout() {
    return Duration.ofSeconds(120 + tasks / 20);
  }

  /** A bound for enqueueing, with the same slack. */
  Duration enqueueTimeout() {
    return drainTimeout();
  }

  /** A bound for the round trips, at most 1 s each. */
  Duration roundTripTimeout() {
    return Duration.ofSeconds(60 + roundTrips + warmupRoundTrips);
  }
}
