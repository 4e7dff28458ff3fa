package io.securetx.config;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * A secret value. It never prints: {@link #toString()} is masked, and the value is reached only
 * through {@link #insecureValue()}, named so that every use stands out in review.
 */
public final class Secret {

  private final String value;

  private Secret(String value) {
    this.value = value;
  }

  /**
   * Wraps a value.
   *
   * @param value the secret text
   * @return the secret
   */
  public static Secret of(String value) {
    return new Secret(value);
  }

  /** The secret text. */
  public String insecureValue() {
    return value;
  }

  /** Whether the secret is the empty string. */
  public boolean isEmpty() {
    return value.isEmpty();
  }

  /**
   * Compares with another value in constant time.
   *
   * @param candidate the value to compare
   * @return whether they are equal
   */
  public boolean matches(String candidate) {
    return MessageDigest.isEqual(
        value.getBytes(StandardCharsets.UTF_8), candidate.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Secret other && other.matches(value);
  }

  @Override
  public int hashCode() {
    return 0;
  }

  @Override
  public String toString() {
    return "****";
  }
}
