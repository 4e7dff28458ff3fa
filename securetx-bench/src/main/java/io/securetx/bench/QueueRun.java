package io.securetx.bench;

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
    int tasks, double enqueuePerSecond, double drainPerSecond, double p50Ms, double p99Ms) {}
