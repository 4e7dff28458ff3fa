package io.securetx.transaction;

import java.util.regex.Pattern;

/**
 * A caller-chosen key that makes a request safe to retry: the same key with the same request
 * returns the original result; with a different request it is a conflict.
 *
 * @param value 1 to 128 characters from {@code A-Z a-z 0-9 . _ : -}
 */
public record IdempotencyKey(String value) {

  /** The longest accepted key. */
  public static final int MAX_LENGTH = 128;

  private static final Pattern ALLOWED = Pattern.compile("[A-Za-z0-9._:\\-]+");

  /** Validates the key. */
  public IdempotencyKey {
    if (value.isEmpty()) {
      throw new ValidationException(
          "idempotency_key", "idempotency_key.required", "must not be empty");
    }
    if (value.length() > MAX_LENGTH) {
      throw new ValidationException(
          "idempotency_key",
          "idempotency_key.length",
          "must be at most " + MAX_LENGTH + " characters");
    }
    if (!ALLOWED.matcher(value).matches()) {
      throw new ValidationException(
          "idempotency_key",
          "idempotency_key.format",
          "may contain only letters, digits and . _ : -");
    }
  }

  @Override
  public String toString() {
    return value;
  }
}
