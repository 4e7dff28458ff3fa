package io.securetx.task.wire;

import io.securetx.task.TaskException;

/**
 * Input that is not a message or result Celery could have written: the reason says which rule it
 * broke and the message says where. A worker puts such input in its dead-letter list with {@link
 * #reason()} instead of crashing on it.
 */
public final class WireFormatException extends TaskException {
  private static final long serialVersionUID = 1L;

  /** Which rule of the wire format the input broke. */
  public enum Reason {
    /** The input is larger than the codec accepts. */
    TOO_LARGE,
    /** The list item, the body or the result is not valid JSON. */
    NOT_JSON,
    /** The {@code body} is not valid base64. */
    BAD_BASE64,
    /** The body is not the three-element array {@code [args, kwargs, embed]}. */
    BAD_BODY_SHAPE,
    /** A required field is absent or null. */
    MISSING_FIELD,
    /** A field has the wrong JSON type. */
    WRONG_TYPE,
    /** A field has the right type but a value the format does not allow. */
    INVALID_VALUE,
    /** A date-time field is not ISO-8601. */
    BAD_TIME,
    /** The {@code content-type} is not {@code application/json}. */
    UNSUPPORTED_CONTENT_TYPE,
    /** The {@code content-encoding} or {@code body_encoding} is not one Celery reads. */
    UNSUPPORTED_ENCODING,
    /** A kombu 5.3 tagged value ({@code __type__}/{@code __value__}) that cannot be read. */
    BAD_TAGGED_VALUE
  }

  private final Reason reason;

  WireFormatException(Reason reason, String message) {
    super(reason + ": " + message);
    this.reason = reason;
  }

  WireFormatException(Reason reason, String message, Throwable cause) {
    super(reason + ": " + message, cause);
    this.reason = reason;
  }

  /**
   * Returns which rule the input broke.
   *
   * @return the reason, never null
   */
  public Reason reason() {
    return reason;
  }
}
