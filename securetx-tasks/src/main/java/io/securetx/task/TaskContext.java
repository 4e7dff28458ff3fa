package io.securetx.task;

import static java.util.Objects.requireNonNull;

/**
 * What a handler may know about the task it is running, independent of the broker that delivered
 * it: Celery's {@code self.request.id}, {@code self.name} and {@code self.request.retries}.
 *
 * @param taskId the task id (Celery's {@code id} header), also the id results are stored under
 * @param taskName the name the task was sent under, which may be an alias of the handler
 * @param retries how many times the task has already been retried; 0 on the first run
 */
public record TaskContext(String taskId, String taskName, int retries) {

  /**
   * Validates the context.
   *
   * @throws IllegalArgumentException if the id or name is blank or {@code retries} is negative
   * @throws NullPointerException if the id or name is null
   */
  public TaskContext {
    requireNonNull(taskId, "taskId");
    requireNonNull(taskName, "taskName");
    if (taskId.isBlank()) {
      throw new IllegalArgumentException("taskId must not be blank");
    }
    if (taskName.isBlank()) {
      throw new IllegalArgumentException("taskName must not be blank");
    }
    if (retries < 0) {
      throw new IllegalArgumentException("retries must be >= 0, was " + retries);
    }
  }
}
