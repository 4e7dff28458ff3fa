package io.securetx.crypto;

/**
 * Every key securetx uses, with operations instead of raw key material. A key ring is immutable;
 * rotation produces a new one whose older keys still verify and open what they made.
 */
public interface KeyRing {

  /** The MAC over canonical transactions. */
  Signer signer();

  /** The authenticated encryption of canonical transactions. */
  Sealer sealer();

  /** The Ed25519 signer of ledger checkpoints. */
  CheckpointSigner checkpointSigner();

  /** The keyed index of user ids and idempotent requests. */
  BlindIndex blindIndex();
}
