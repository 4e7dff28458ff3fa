package io.securetx.crypto;

/** Signs ledger checkpoints with a private key whose public half auditors can hold. */
public interface CheckpointSigner {

  /**
   * Signs a statement.
   *
   * @param statement the bytes to sign
   * @return the signature, naming the key that made it
   * @throws CryptoException if the key cannot be used
   */
  byte[] sign(byte[] statement);

  /** The verifier for this signer's keys; it holds public keys only. */
  CheckpointVerifier verifier();
}
