package io.securetx.crypto;

/**
 * Authenticated encryption. The associated data is bound to the ciphertext: opening it with other
 * associated data fails, so a sealed record cannot be moved to another transaction id.
 */
public interface Sealer {

  /**
   * Encrypts under the primary key.
   *
   * @param plaintext the bytes to protect
   * @param associatedData authenticated but not encrypted context, e.g. the transaction id
   * @return the ciphertext, naming the key that sealed it
   * @throws CryptoException if the key cannot be used
   */
  byte[] seal(byte[] plaintext, byte[] associatedData);

  /**
   * Decrypts and authenticates under whichever key sealed it.
   *
   * @param ciphertext a ciphertext from {@link #seal}
   * @param associatedData the same associated data as at sealing
   * @return the plaintext
   * @throws IntegrityException if the ciphertext or associated data was altered
   */
  byte[] open(byte[] ciphertext, byte[] associatedData) throws IntegrityException;

  /**
   * The id of the key that sealed {@code ciphertext}.
   *
   * @param ciphertext a ciphertext from {@link #seal}
   * @return the key id
   * @throws IntegrityException if the ciphertext carries no recognisable key id
   */
  int keyIdOf(byte[] ciphertext) throws IntegrityException;
}
