package io.securetx.transaction;

/**
 * The id of the user a transaction belongs to, as the caller knows it. Printable text only: no
 * control or invisible formatting characters that could disguise one id as another in logs.
 *
 * @param value the id
 */
public record UserId(String value) {

  /** The longest accepted id, in Unicode code points. */
  public static final int MAX_LENGTH = 128;

  /** Validates the id; every refusal names its rule. */
  public UserId {
    if (value.isBlank()) {
      throw new ValidationException("user_id", "user_id.required", "must not be blank");
    }
    if (value.codePointCount(0, value.length()) > MAX_LENGTH) {
      throw new ValidationException(
          "user_id", "user_id.length", "must be at most " + MAX_LENGTH + " characters");
    }
    if (!value.strip().equals(value)) {
      throw new ValidationException(
          "user_id", "user_id.whitespace", "must not start or end with whitespace");
    }
    for (int i = 0; i < value.length(); ) {
      int cp = value.codePointAt(i);
      if (isUnprintable(cp)) {
        throw new ValidationException(
            "user_id",
            "user_id.printable",
            String.format("must not contain control or invisible characters (found U+%04X)", cp));
      }
      i += Character.charCount(cp);
    }
  }

  private static boolean isUnprintable(int codePoint) {
    int type = Character.getType(codePoint);
    return type == Character.CONTROL
        || type == Character.FORMAT
        || type == Character.SURROGATE
        || type == Character.UNASSIGNED
        || type == Character.PRIVATE_USE
        || type == Character.LINE_SEPARATOR
        || type == Character.PARAGRAPH_SEPARATOR;
  }

  @Override
  public String toString() {
    return value;
  }
}
