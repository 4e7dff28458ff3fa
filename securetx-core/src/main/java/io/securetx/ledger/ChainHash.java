package io.securetx.ledger;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The chain hash: {@code SHA-256(domain || prev_hash || canonical(entry))}, where the canonical
 * form holds every stored column of the entry, each length-prefixed. So any change to any column,
 * or to the order of entries, changes every hash after it.
 */
public final class ChainHash {

  /** The hash that precedes the first entry. */
  static final byte[] GENESIS = new byte[32];

  private static final byte[] DOMAIN = "securetx/ledger/v1\0".getBytes(StandardCharsets.US_ASCII);

  /** One digest per thread: looking one up through the providers costs more than hashing. */
  private static final ThreadLocal<MessageDigest> SHA256 =
      ThreadLocal.withInitial(ChainHash::sha256);

  private ChainHash() {}

  /** A copy of the genesis hash (32 zero bytes). */
  public static byte[] genesis() {
    return GENESIS.clone();
  }

  /**
   * Computes the hash of an entry placed at {@code seq} after {@code previous}.
   *
   * @param previous the previous entry's hash, or {@link #genesis()}
   * @param seq the entry's sequence number
   * @param entry the entry's stored columns (its {@code entryHash} is ignored)
   * @return the 32-byte hash
   */
  static byte[] compute(byte[] previous, long seq, LedgerEntry entry) {
    return compute(
        previous,
        seq,
        entry.txId(),
        entry.createdAtMicros(),
        entry.userIndex(),
        entry.macKeyId(),
        entry.aeadKeyId(),
        entry.ciphertext(),
        entry.mac());
  }

  static byte[] compute(byte[] previous, long seq, PendingEntry entry) {
    return compute(
        previous,
        seq,
        entry.txId(),
        entry.createdAtMicros(),
        entry.userIndex(),
        entry.macKeyId(),
        entry.aeadKeyId(),
        entry.ciphertext(),
        entry.mac());
  }

  @SuppressWarnings("TooManyParameters") // one parameter per stored column, by design
  private static byte[] compute(
      byte[] previous,
      long seq,
      String txId,
      long createdAtMicros,
      byte[] userIndex,
      long macKeyId,
      long aeadKeyId,
      byte[] ciphertext,
      byte[] mac) {
    byte[] id = txId.getBytes(StandardCharsets.UTF_8);
    ByteBuffer buf =
        ByteBuffer.allocate(
            8
                + 4
                + id.length
                + 8
                + 4
                + userIndex.length
                + 8
                + 8
                + 4
                + ciphertext.length
                + 4
                + mac.length);
    buf.putLong(seq);
    buf.putInt(id.length).put(id);
    buf.putLong(createdAtMicros);
    buf.putInt(userIndex.length).put(userIndex);
    buf.putLong(macKeyId);
    buf.putLong(aeadKeyId);
    buf.putInt(ciphertext.length).put(ciphertext);
    buf.putInt(mac.length).put(mac);
    // digest() below leaves it reset for the next entry.
    MessageDigest sha256 = SHA256.get();
    sha256.update(DOMAIN);
    sha256.update(previous);
    sha256.update(buf.array());
    return sha256.digest();
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }
}
