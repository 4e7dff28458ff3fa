package io.securetx.task.worker;

import io.securetx.task.wire.TaskState;
import java.time.Duration;

/**
 * Hears how each task a {@link Worker} settles ended, for metrics. Called on the worker's threads
 * once per settled message: {@link TaskState#SUCCESS}, {@link TaskState#RETRY}, {@link
 * TaskState#FAILURE} (also for unregistered tasks, bad arguments and hard time limits) or {@link
 * TaskState#REVOKED} (expired). A task interrupted by {@link Worker#shutdownNow()} is not reported:
 * it runs again. Implementations must be quick and thread-safe; what they throw is logged and
 * ignored.
 */
@FunctionalInterface
public interface TaskObserver {

  /** Hears nothing. */
  TaskObserver NONE = (task, id, state, runtime) -> {};

  /**
   * A task was settled.
   *
   * @param task the task's name as the message gave it
   * @param id the task id
   * @param state how it ended
   * @param runtime how long the handler ran; zero when it did not run
   */
  void settled(String task, String id, TaskState state, Duration runtime);
}
