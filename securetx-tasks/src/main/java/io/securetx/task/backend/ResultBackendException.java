package io.securetx.task.backend;

import io.securetx.task.TaskException;

/** The result backend cannot be reached, or holds something that is not a task result. */
public class ResultBackendException extends TaskException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what failed
   * @param cause the underlying failure
   */
  public ResultBackendException(String message, Throwable cause) {
    super(message, cause);
  }

  /**
   * Creates the exception.
   *
   * @param message what failed
   */
  public ResultBackendException(String message) {
    super(message);
  }
}
