package io.securetx.ledger;

/**
 * One stored ledger row, exactly as stored: raw values, not yet trusted. {@link ChainVerifier}
 * decides whether they are genuine.
 *
 * @param seq the position in the chain, from 1 without gaps
 * @param txId the transaction id text ({@code tx_...})
 * @param createdAtMicros creation time, microseconds since the epoch
 * @param userIndex the blind index of the user id
 * @param macKeyId the id of the MAC key that signed the plaintext, as an unsigned 32-bit value
 * @param aeadKeyId the id of the AEAD key that sealed it, as an unsigned 32-bit value
 * @param ciphertext the sealed canonical transaction
 * @param mac the MAC tag over the canonical transaction
 * @param entryHash the chain hash of this entry and all before it
 */
public record LedgerEntry(
    long seq,
    String txId,
    long createdAtMicros,
    byte[] userIndex,
    long macKeyId,
    long aeadKeyId,
    byte[] ciphertext,
    byte[] mac,
    byte[] entryHash) {

  /**
   * The same columns with another chain hash (for rechaining, and for tests that tamper).
   *
   * @param hash the new hash
   * @return the copy
   */
  public LedgerEntry withEntryHash(byte[] hash) {
    return new LedgerEntry(
        seq, txId, createdAtMicros, userIndex, macKeyId, aeadKeyId, ciphertext, mac, hash);
  }

  /**
   * The same columns at another sequence number.
   *
   * @param newSeq the new sequence number
   * @return the copy
   */
  public LedgerEntry withSeq(long newSeq) {
    return new LedgerEntry(
        newSeq, txId, createdAtMicros, userIndex, macKeyId, aeadKeyId, ciphertext, mac, entryHash);
  }
}
