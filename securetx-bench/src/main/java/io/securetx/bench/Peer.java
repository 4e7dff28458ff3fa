package io.securetx.bench;

import java.io.IOException;

/**
 * One queue system under test. A run enqueues {@link QueueWorkload#tasks()} no-op tasks with no
 * worker running, starts the peer's worker, measures how fast it drains them from the completion
 * stamps the worker stores itself (so its start-up is excluded), then times round trips on the now
 * idle worker, stops it, and leaves its Redis database empty.
 */
interface Peer {

  /** The name in the table and in {@code --only}. */
  String name();

  /**
   * Checks this peer's tools and installs what it needs (once, before its runs).
   *
   * @throws IOException if a tool cannot be started
   * @throws InterruptedException if interrupted while installing
   * @throws IllegalStateException if the installation fails
   */
  void prepare() throws IOException, InterruptedException;

  /**
   * Performs one run.
   *
   * @throws IOException if a child process cannot be started
   * @throws InterruptedException if interrupted while waiting for one
   * @throws IllegalStateException if a step fails or times out
   * @throws UnsupportedOperationException if this peer cannot be measured yet
   */
  QueueRun run(QueueWorkload workload) throws IOException, InterruptedException;
}
