package io.securetx.task;

/**
 * No handler is registered under a task name; Celery's {@code NotRegistered}. The message is the
 * task name alone, as in Celery.
 */
public final class NotRegisteredException extends TaskException {
  private static final long serialVersionUID = 1L;

  private final String taskName;

  /**
   * Creates the exception.
   *
   * @param taskName the name nothing is registered under
   */
  public NotRegisteredException(String taskName) {
    super(taskName);
    this.taskName = taskName;
  }

  /**
   * Returns the name nothing is registered under.
   *
   * @return the task name
   */
  public String taskName() {
    return taskName;
  }
}
