package io.securetx.task.client;

import static java.util.Objects.requireNonNull;

import io.securetx.task.TaskException;
import io.securetx.task.wire.ExceptionInfo;
import io.securetx.task.wire.TaskState;

/**
 * A task ended in FAILURE or REVOKED; {@link AsyncResult#get} throws it as Celery's {@code get()}
 * re-raises the task's exception.
 */
public final class TaskFailedException extends TaskException {
  private static final long serialVersionUID = 1L;

  private final String taskId;
  private final String state;
  private final String exceptionType;
  private final String exceptionModule;

  TaskFailedException(String taskId, TaskState state, ExceptionInfo error) {
    super(
        "task "
            + taskId
            + " "
            + state.name()
            + ": "
            + error.type()
            + (error.args().isEmpty() ? "" : " " + error.args()));
    this.taskId = requireNonNull(taskId, "taskId");
    this.state = state.name();
    this.exceptionType = error.type();
    this.exceptionModule = error.module() == null ? "" : error.module();
  }

  /**
   * Returns the task's id.
   *
   * @return the id
   */
  public String taskId() {
    return taskId;
  }

  /**
   * Returns the final state: {@code FAILURE} or {@code REVOKED}.
   *
   * @return the state name
   */
  public String state() {
    return state;
  }

  /**
   * Returns the exception's type name as the worker reported it, such as {@code ValueError}.
   *
   * @return the type name
   */
  public String exceptionType() {
    return exceptionType;
  }

  /**
   * Returns the exception's module as the worker reported it, such as {@code builtins}; empty if
   * none was given.
   *
   * @return the module
   */
  public String exceptionModule() {
    return exceptionModule;
  }
}
