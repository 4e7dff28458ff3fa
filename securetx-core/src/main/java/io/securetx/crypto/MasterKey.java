package io.securetx.crypto;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

/**
 * The 256-bit key that wraps every keyset at rest. It never prints: {@link #toString()} is masked,
 * and the only way to the bytes is {@link #insecureBytes()}, named so its uses stand out.
 */
public final class MasterKey {

  /** The key length in bytes. */
  public static final int LENGTH = 32;

  private final byte[] key;

  private MasterKey(byte[] key) {
    this.key = key.clone();
  }

  /**
   * Parses the base64 text form ({@code SECURETX_MASTER_KEY}).
   *
   * @param base64 32 bytes in standard base64, surrounding whitespace ignored
   * @return the key
   * @throws CryptoException if the text is not base64 of exactly 32 bytes (the message never
   *     contains the text)
   */
  public static MasterKey fromBase64(String base64) {
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(base64.strip());
    } catch (IllegalArgumentException e) {
      throw new CryptoException("master key is not valid base64");
    }
    if (bytes.length != LENGTH) {
      throw new CryptoException(
          "master key must be " + LENGTH + " bytes of base64, got " + bytes.length + " bytes");
    }
    MasterKey masterKey = new MasterKey(bytes);
    Arrays.fill(bytes, (byte) 0);
    return masterKey;
  }

  /**
   * Generates a fresh random key.
   *
   * @param random the randomness source
   * @return the key
   */
  public static MasterKey generate(SecureRandom random) {
    byte[] bytes = new byte[LENGTH];
    random.nextBytes(bytes);
    return new MasterKey(bytes);
  }

  /** The base64 text form, for writing a generated key to its owner-only file. */
  public String insecureBase64() {
    return Base64.getEncoder().encodeToString(key);
  }

  /** A copy of the raw key bytes. */
  public byte[] insecureBytes() {
    return key.clone();
  }

  /**
   * A 256-bit key for one purpose other than wrapping keysets, derived with HKDF-SHA256 (RFC 5869,
   * info {@code "securetx/" + purpose}): every process holding this master key derives the same
   * one, and it reveals nothing about the master key or about the keys of other purposes.
   *
   * @param purpose a fixed label naming what the key is for, such as {@code "dashboard-login"}
   * @return a fresh copy of the derived key; the caller must not log or store it
   * @throws IllegalArgumentException if the purpose is blank
   */
  public byte[] insecureDerivedKey(String purpose) {
    if (purpose.isBlank()) {
      throw new IllegalArgumentException("a derived key needs a purpose");
    }
    return Hkdf.sha256(
        new byte[0], key, ("securetx/" + purpose).getBytes(StandardCharsets.UTF_8), LENGTH);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MasterKey other && MessageDigest.isEqual(key, other.key);
  }

  @Override
  public int hashCode() {
    return 0;
  }

  @Override
  public String toString() {
    return "MasterKey[****]";
  }
}
