package io.securetx.transaction;

import io.securetx.SecureTxException;

/**
 * Input that breaks a validation rule. The message names the field and the rule, so an operator or
 * an API client can fix the request; it never echoes secrets.
 */
public final class ValidationException extends SecureTxException {
  private static final long serialVersionUID = 1L;

  private final String field;
  private final String rule;

  /**
   * Creates the exception.
   *
   * @param field the input field, as the user named it ({@code amount}, {@code user_id}, ...)
   * @param rule a stable, machine-readable rule name ({@code amount.scale}, ...)
   * @param message a human-readable explanation
   */
  public ValidationException(String field, String rule, String message) {
    super(field + ": " + message);
    this.field = field;
    this.rule = rule;
  }

  /** The field that was refused. */
  public String field() {
    return field;
  }

  /** The stable name of the rule that refused it, e.g. {@code amount.scale}. */
  public String rule() {
    return rule;
  }
}
