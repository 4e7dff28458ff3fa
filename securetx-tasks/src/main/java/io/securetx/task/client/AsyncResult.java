package io.securetx.task.client;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.securetx.task.backend.ResultBackend;
import io.securetx.task.backend.ResultSubscription;
import io.securetx.task.wire.ExceptionInfo;
import io.securetx.task.wire.ResultMeta;
import io.securetx.task.wire.TaskState;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * A handle on a sent task, as Celery's {@code AsyncResult}. When made by {@link TaskClient} it is
 * subscribed before the message is pushed, so {@link #get} can never miss a fast result. Close it
 * when done to release the subscription.
 */
public final class AsyncResult implements AutoCloseable {

  private final String id;
  private final ResultBackend backend;
  private @Nullable ResultSubscription subscription;

  AsyncResult(String id, ResultBackend backend, @Nullable ResultSubscription subscription) {
    this.id = requireNonNull(id, "id");
    this.backend = requireNonNull(backend, "backend");
    this.subscription = subscription;
  }

  /**
   * Returns the task id.
   *
   * @return the id
   */
  public String id() {
    return id;
  }

  /**
   * Reads the task's current state; {@code PENDING} when nothing is stored (not sent, not started,
   * unknown or expired: Celery cannot tell them apart either).
   *
   * @return the state
   * @throws io.securetx.task.backend.ResultBackendException if the backend cannot be reached
   */
  public TaskState state() {
    return meta().state();
  }

  /**
   * Reads the task's stored state and result.
   *
   * @return the stored meta, or a PENDING meta when nothing is stored
   * @throws io.securetx.task.backend.ResultBackendException if the backend cannot be reached
   */
  public ResultMeta meta() {
    return backend.get(id).orElseGet(() -> ResultMeta.pending(id));
  }

  /**
   * Waits for the task to be ready and returns its result.
   *
   * @param timeout how long to wait at most
   * @return the result JSON of a SUCCESS
   * @throws TaskFailedException if the task ended in FAILURE or REVOKED
   * @throws TimeoutException if it was not ready in time
   * @throws InterruptedException if interrupted while waiting
   */
  public JsonNode get(Duration timeout) throws TimeoutException, InterruptedException {
    ResultMeta meta = await(timeout);
    if (meta.state().equals(TaskState.SUCCESS)) {
      return meta.result();
    }
    ExceptionInfo error =
        meta.exception().orElseGet(() -> ExceptionInfo.of("TaskError", "celery.exceptions"));
    throw new TaskFailedException(id, meta.state(), error);
  }

  /**
   * Waits for the task to be ready and returns its final meta, whatever the state.
   *
   * @param timeout how long to wait at most
   * @return the ready meta (SUCCESS, FAILURE or REVOKED)
   * @throws TimeoutException if it was not ready in time
   * @throws InterruptedException if interrupted while waiting
   */
  public synchronized ResultMeta await(Duration timeout)
      throws TimeoutException, InterruptedException {
    if (subscription == null) {
      subscription = backend.subscribe(id);
    }
    return subscription.awaitReady(timeout);
  }

  @Override
  public synchronized void close() {
    if (subscription != null) {
      subscription.close();
      subscription = null;
    }
  }

  @Override
  public String toString() {
    return "AsyncResult[" + id + "]";
  }
}
