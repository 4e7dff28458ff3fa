package io.securetx.ledger;

import org.jspecify.annotations.Nullable;

/**
 * A signed and sealed transaction waiting for its place in the chain.
 *
 * @param txId the transaction id text
 * @param createdAtMicros creation time, microseconds since the epoch
 * @param userIndex the blind index of the user id
 * @param macKeyId the id of the MAC key, unsigned
 * @param aeadKeyId the id of the AEAD key, unsigned
 * @param ciphertext the sealed canonical transaction
 * @param mac the MAC tag
 * @param idempotency the caller's idempotency key and request digest, or null
 */
public record PendingEntry(
    String txId,
    long createdAtMicros,
    byte[] userIndex,
    long macKeyId,
    long aeadKeyId,
    byte[] ciphertext,
    byte[] mac,
    @Nullable Idempotency idempotency) {

  /**
   * An idempotency key with the digest of the request that first used it.
   *
   * @param key the caller's key
   * @param requestHash a keyed digest of the request, compared when the key is seen again
   */
  public record Idempotency(String key, byte[] requestHash) {}

  /**
   * Places this entry in the chain.
   *
   * @param seq its sequence number
   * @param entryHash its chain hash
   * @return the stored form
   */
  public LedgerEntry at(long seq, byte[] entryHash) {
    return new LedgerEntry(
        seq, txId, createdAtMicros, userIndex, macKeyId, aeadKeyId, ciphertext, mac, entryHash);
  }
}
