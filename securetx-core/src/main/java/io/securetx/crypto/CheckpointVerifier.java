package io.securetx.crypto;

/** Verifies checkpoint signatures with public keys only. */
public interface CheckpointVerifier {

  /**
   * Checks a signature.
   *
   * @param signature a signature from {@link CheckpointSigner#sign}
   * @param statement the signed bytes
   * @throws IntegrityException if the signature does not verify under any known public key
   */
  void verify(byte[] signature, byte[] statement) throws IntegrityException;
}
