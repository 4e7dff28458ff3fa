package io.securetx.bench;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The figures of one run of one peer.
 *
 * @param tasks tasks enqueued and drained
 * @param enqueuePerSecond tasks enqueued per second by the client, no worker running
 * @param drainPerSecond tasks over the span from the first to the last completion stamp the worker
 *     stored itself, the queue pre-filled before the worker started
 * @param p50Ms median round trip (send one, wait for its result) on an idle worker
 * @param p99Ms 99th percentile round trip
 */
record QueueRun(
    int tasks, double enqueuePerSecond, double drainPerSecond, double p50Ms, double p99Ms) {

  /** Reads the three JSON lines every peer script prints: enqueue, drain and round trip. */
  static QueueRun of(int tasks, JsonNode enqueue, JsonNode drain, JsonNode roundTrip) {
    return new QueueRun(
        tasks,
        enqueue.path("per_second").asDouble(),
        drain.path("per_second").asDouble(),
        roundTrip.path("p50_ms").asDouble(),
        roundTrip.path("p99_ms").asDouble());
  }
}
