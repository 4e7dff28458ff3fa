package io.securetx.ingest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The idempotency keys of rows that bring none: {@code import:} + the first 12 hex digits of
 * SHA-256 of the import's source name + {@code :} + the row's line number, zero-padded to ten
 * digits ({@code import:3f2a9c01b7de:0000000042}). The same file imported again under the same
 * source name gives every row the same key, so nothing is added twice; a row edited since is a
 * conflict, never a silent second transaction. Keys of one import sort in line order, so the
 * vault's key index grows at one end instead of everywhere.
 */
final class RowKeys {

  private final String prefix;

  RowKeys(String source) {
    byte[] digest = sha256().digest(source.getBytes(StandardCharsets.UTF_8));
    this.prefix = "import:" + HexFormat.of().formatHex(digest, 0, 6) + ":";
  }

  String keyFor(long line) {
    if (line < 0 || line > 9_999_999_999L) {
      throw new IllegalArgumentException("line number out of range: " + line);
    }
    char[] key = new char[prefix.length() + 10];
    prefix.getChars(0, prefix.length(), key, 0);
    long rest = line;
    for (int i = key.length - 1; i >= prefix.length(); i--) {
      key[i] = (char) ('0' + rest % 10);
      rest /= 10;
    }
    return new String(key);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }
}
