package io.securetx.task.wire;

import java.util.Set;

/**
 * A task's state as Celery names it in {@code status}. The built-in states are constants; a task
 * may also report a custom state (for example {@code PROGRESS} through {@code update_state}), which
 * is neither ready nor an exception state.
 *
 * @param name the state's name as it appears on the wire
 */
public record TaskState(String name) {

  /** No result stored: unknown, not yet run, or its result expired. */
  public static final TaskState PENDING = new TaskState("PENDING");

  /** A worker received the task. */
  public static final TaskState RECEIVED = new TaskState("RECEIVED");

  /** A worker started it (stored only with {@code task_track_started}). */
  public static final TaskState STARTED = new TaskState("STARTED");

  /** It failed and was sent again; the result holds the exception. */
  public static final TaskState RETRY = new TaskState("RETRY");

  /** It ran and returned the result. */
  public static final TaskState SUCCESS = new TaskState("SUCCESS");

  /** It failed for good; the result holds the exception. */
  public static final TaskState FAILURE = new TaskState("FAILURE");

  /** It was revoked or expired before running; the result holds the exception. */
  public static final TaskState REVOKED = new TaskState("REVOKED");

  private static final Set<String> READY = Set.of("SUCCESS", "FAILURE", "REVOKED");
  private static final Set<String> EXCEPTION = Set.of("RETRY", "FAILURE", "REVOKED");

  /**
   * Validates the name.
   *
   * @throws IllegalArgumentException if the name is blank
   */
  public TaskState {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("state name must not be blank");
    }
  }

  /**
   * Tells whether a waiting client stops here (SUCCESS, FAILURE, REVOKED).
   *
   * @return true for a ready state
   */
  public boolean isReady() {
    return READY.contains(name);
  }

  /**
   * Tells whether the result is an encoded exception (RETRY, FAILURE, REVOKED).
   *
   * @return true for an exception state
   */
  public boolean isException() {
    return EXCEPTION.contains(name);
  }
}
