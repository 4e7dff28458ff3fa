package io.securetx.crypto;

/**
 * A keyed, deterministic digest used to find records by a sensitive value (a user id) without
 * storing that value in the clear. Unlike the MAC keys, its key is never rotated by {@code keys
 * rotate}: a new key would orphan every existing index entry.
 */
public interface BlindIndex {

  /** The number of bytes {@link #compute} returns. */
  int LENGTH = 32;

  /**
   * Computes the index of a value within a domain, so equal values in different domains differ.
   *
   * @param domain a fixed label such as {@code "user"}
   * @param value the sensitive bytes
   * @return {@link #LENGTH} bytes
   * @throws CryptoException if the key cannot be used
   */
  byte[] compute(String domain, byte[] value);
}
