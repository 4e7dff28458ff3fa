package io.securetx.crypto;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256 of text (its UTF-8 bytes): how keys, session ids and long task ids are looked up or named
 * without keeping the text itself.
 */
public final class Sha256 {

  private Sha256() {}

  /** The 32-byte digest of the text's UTF-8 bytes. */
  public static byte[] of(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  /** The digest of the text's UTF-8 bytes, as 64 lower-case hex digits. */
  public static String hex(String text) {
    return HexFormat.of().formatHex(of(text));
  }
}
