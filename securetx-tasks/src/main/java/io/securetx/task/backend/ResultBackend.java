package io.securetx.task.backend;

import io.securetx.task.wire.ResultMeta;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Stores task states and lets clients wait for them, as Celery's Redis result backend does. A
 * stored {@code SUCCESS} is final: a later write for the same task is dropped, so a duplicate run
 * cannot overwrite the result a client already read. Implementations are safe for use by many
 * threads.
 */
public interface ResultBackend extends AutoCloseable {

  /**
   * Stores states and tells every subscriber, in one step per state; a state for a task whose
   * stored state is {@code SUCCESS} is dropped.
   *
   * @param metas the states to store
   * @throws ResultBackendException if the backend cannot be reached
   */
  void store(List<ResultMeta> metas);

  /**
   * Reads a task's stored state.
   *
   * @param taskId the task id
   * @return the state, or empty when nothing is stored (Celery's PENDING)
   * @throws ResultBackendException if the backend cannot be reached or the stored value is not a
   *     result
   */
  Optional<ResultMeta> get(String taskId);

  /**
   * Reads several tasks' stored states in one request.
   *
   * @param taskIds the task ids
   * @return the stored states by task id; ids with nothing stored are absent
   * @throws ResultBackendException if the backend cannot be reached
   */
  Map<String, ResultMeta> getAll(List<String> taskIds);

  /**
   * Starts listening for a task's states. Subscribe before the task is sent, and no state can be
   * missed.
   *
   * @param taskId the task id
   * @return the subscription; close it when done
   * @throws ResultBackendException if the backend cannot be reached
   */
  ResultSubscription subscribe(String taskId);

  /** Releases connections. */
  @Override
  void close();
}
