package io.securetx.transaction;

/**
 * A caller-chosen key that makes a request safe to retry: the same key with the same request
 * returns the original result; with a different request it is a conflict.
 *
 * @param value 1 to 128 characters from {@code A-Z a-z 0-9 . _ : -}
 */
public record IdempotencyKey(String value) {

  /** The longest accepted key. */
  public static final int MAX_LENGTH = 128;

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
    if (!allowed(value)) {
      throw new ValidationException(
          "idempotency_key",
          "idempotency_key.format",
          "may contain only letters, digits and . _ : -");
    }
  }

  /** {@code [A-Za-z0-9._:-]+}, checked by hand: this runs once per imported row. */
  private static boolean allowed(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '.'
              || c == '_'
              || c == ':'
              || c == '-';
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  @Override
  public String toString() {
    return value;
  }
}
