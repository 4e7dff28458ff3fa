package io.securetx.task.broker;

import io.securetx.task.TaskException;

/** The broker cannot be reached or refused a command. */
public class BrokerException extends TaskException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what failed
   * @param cause the underlying failure
   */
  public BrokerException(String message, Throwable cause) {
    super(message, cause);
  }

  /**
   * Creates the exception.
   *
   * @param message what failed
   */
  public BrokerException(String message) {
    super(message);
  }
}
