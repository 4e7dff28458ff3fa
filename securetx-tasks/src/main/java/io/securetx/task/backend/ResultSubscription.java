package io.securetx.task.backend;

import io.securetx.task.wire.ResultMeta;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

/**
 * Listens to one task's states, from {@link ResultBackend#subscribe}. Waiting reads the stored
 * state once after subscribing, so a state stored before the subscription is seen too.
 */
public interface ResultSubscription extends AutoCloseable {

  /**
   * Waits until the task is ready (SUCCESS, FAILURE or REVOKED).
   *
   * @param timeout how long to wait at most
   * @return the ready state
   * @throws TimeoutException if the task was not ready in time
   * @throws InterruptedException if the thread is interrupted while waiting
   * @throws ResultBackendException if the backend cannot be reached
   */
  ResultMeta awaitReady(Duration timeout) throws TimeoutException, InterruptedException;

  /** Stops listening. */
  @Override
  void close();
}
