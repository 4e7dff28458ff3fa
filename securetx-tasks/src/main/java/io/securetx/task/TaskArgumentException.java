package io.securetx.task;

/**
 * A task's arguments do not fit its handler: an unknown keyword, a missing or duplicated argument,
 * too many positional arguments, or a value of the wrong type. The message names the task and the
 * argument, worded like the {@code TypeError} Python raises for the same call.
 */
public final class TaskArgumentException extends TaskException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message the task, the offending argument and what is wrong with it
   */
  public TaskArgumentException(String message) {
    super(message);
  }

  /**
   * Creates the exception with the failure that revealed it.
   *
   * @param message the task, the offending argument and what is wrong with it
   * @param cause the underlying failure, such as a Jackson mapping error
   */
  public TaskArgumentException(String message, Throwable cause) {
    super(message, cause);
  }
}
