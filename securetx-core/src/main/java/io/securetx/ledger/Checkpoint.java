package io.securetx.ledger;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A signed statement "the chain up to {@code seq} ends in {@code entryHash}". Anyone holding the
 * public checkpoint key can check it; a ledger shortened below a checkpoint is detected.
 *
 * @param seq the sequence number the checkpoint covers
 * @param entryHash the entry hash at that sequence number
 * @param createdAtMicros when it was signed, microseconds since the epoch
 * @param signature the Ed25519 signature over {@link #statement()}
 */
public record Checkpoint(long seq, byte[] entryHash, long createdAtMicros, byte[] signature) {

  private static final byte[] DOMAIN =
      "securetx/checkpoint/v1\0".getBytes(StandardCharsets.US_ASCII);

  /** The signed bytes: a domain label, then seq, the entry hash and the time. */
  public byte[] statement() {
    return statement(seq, entryHash, createdAtMicros);
  }

  static byte[] statement(long seq, byte[] entryHash, long createdAtMicros) {
    return ByteBuffer.allocate(DOMAIN.length + 8 + 4 + entryHash.length + 8)
        .put(DOMAIN)
        .putLong(seq)
        .putInt(entryHash.length)
        .put(entryHash)
        .putLong(createdAtMicros)
        .array();
  }
}
