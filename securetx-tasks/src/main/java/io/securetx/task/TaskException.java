package io.securetx.task;

/**
 * The root of every unchecked exception the task module throws, so a caller can catch "anything
 * from the task queue" in one place. Each area has its own subclass, such as {@link
 * io.securetx.task.wire.WireFormatException} for messages that cannot be decoded.
 */
public class TaskException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates an exception with a message meant for the operator.
   *
   * @param message what went wrong and, where possible, what to do about it
   */
  public TaskException(String message) {
    super(message);
  }

  /**
   * Creates an exception that wraps a lower-level cause.
   *
   * @param message what went wrong
   * @param cause the underlying failure
   */
  public TaskException(String message, Throwable cause) {
    super(message, cause);
  }
}
