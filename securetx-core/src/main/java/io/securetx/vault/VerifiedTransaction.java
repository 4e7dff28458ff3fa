package io.securetx.vault;

import io.securetx.transaction.Transaction;

/**
 * A transaction read back from the vault, opened and checked.
 *
 * @param transaction the decrypted transaction
 * @param ledgerSeq its position in the vault
 * @param signature its MAC tag, hex
 * @param macKeyId the MAC key that signed it
 * @param aeadKeyId the AEAD key that sealed it
 */
public record VerifiedTransaction(
    Transaction transaction, long ledgerSeq, String signature, long macKeyId, long aeadKeyId) {}
