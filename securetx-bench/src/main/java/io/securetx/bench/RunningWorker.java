package io.securetx.bench;

/** A worker started for one benchmark run, stopped when closed. */
interface RunningWorker extends AutoCloseable {

  /**
   * Fails if the worker has died, so a wait for its results ends at once instead of at a timeout.
   *
   * @throws IllegalStateException if the worker is no longer running
   */
  void checkAlive();

  /**
   * Stops the worker and waits, bounded, until it has gone.
   *
   * @throws InterruptedException if interrupted while waiting
   */
  @Override
  void close() throws InterruptedException;
}
