package io.securetx.ledger;

import io.securetx.crypto.IntegrityException;
import io.securetx.crypto.KeyRing;
import io.securetx.ledger.LedgerIntegrityException.Reason;
import io.securetx.transaction.Transaction;
import io.securetx.transaction.TransactionCodec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Opens a stored entry with the secret keys and checks it against its own columns: the ciphertext
 * opens under its transaction id, the MAC verifies, the key ids match the ones that did the work,
 * and the decrypted transaction agrees with the stored id, time and user index.
 */
public final class EntryOpener {

  private final KeyRing keys;

  /**
   * Creates an opener.
   *
   * @param keys the secret keys
   */
  public EntryOpener(KeyRing keys) {
    this.keys = keys;
  }

  /**
   * Opens and checks one entry.
   *
   * @param entry the stored entry
   * @return the verified transaction
   * @throws LedgerIntegrityException naming the entry's seq and what is wrong with it
   */
  public Transaction open(LedgerEntry entry) throws LedgerIntegrityException {
    long seq = entry.seq();
    byte[] plaintext;
    try {
      plaintext =
          keys.sealer().open(entry.ciphertext(), entry.txId().getBytes(StandardCharsets.UTF_8));
    } catch (IntegrityException e) {
      throw new LedgerIntegrityException(
          seq, Reason.UNDECRYPTABLE, "ciphertext does not open for " + entry.txId());
    }
    try {
      keys.signer().verify(entry.mac(), plaintext);
    } catch (IntegrityException e) {
      throw new LedgerIntegrityException(seq, Reason.MAC_MISMATCH, "MAC does not verify");
    }
    long aeadKeyId;
    long macKeyId;
    try {
      aeadKeyId = Integer.toUnsignedLong(keys.sealer().keyIdOf(entry.ciphertext()));
      macKeyId = Integer.toUnsignedLong(keys.signer().keyIdOf(entry.mac()));
    } catch (IntegrityException e) {
      throw new LedgerIntegrityException(seq, Reason.FIELD_MISMATCH, "no key id in the record");
    }
    if (aeadKeyId != entry.aeadKeyId() || macKeyId != entry.macKeyId()) {
      throw new LedgerIntegrityException(
          seq, Reason.FIELD_MISMATCH, "stored key ids differ from the keys used");
    }
    Transaction tx;
    try {
      tx = TransactionCodec.decode(plaintext);
    } catch (IllegalArgumentException e) {
      throw new LedgerIntegrityException(
          seq, Reason.FIELD_MISMATCH, "record is not a canonical transaction");
    }
    if (!tx.id().toString().equals(entry.txId())) {
      throw new LedgerIntegrityException(seq, Reason.FIELD_MISMATCH, "transaction id differs");
    }
    if (ChronoUnit.MICROS.between(Instant.EPOCH, tx.createdAt()) != entry.createdAtMicros()) {
      throw new LedgerIntegrityException(seq, Reason.FIELD_MISMATCH, "creation time differs");
    }
    byte[] index = userIndex(keys, tx.userId().value());
    if (!MessageDigest.isEqual(index, entry.userIndex())) {
      throw new LedgerIntegrityException(seq, Reason.FIELD_MISMATCH, "user index differs");
    }
    return tx;
  }

  /**
   * The blind index under which a user's entries are stored.
   *
   * @param keys the key ring holding the index key
   * @param userId the user id text
   * @return the index bytes
   */
  public static byte[] userIndex(KeyRing keys, String userId) {
    return keys.blindIndex().compute("user", userId.getBytes(StandardCharsets.UTF_8));
  }
}
