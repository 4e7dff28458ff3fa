package io.securetx.crypto;

/** Computes and verifies message authentication codes over transaction bytes. */
public interface Signer {

  /**
   * Computes the tag of {@code data} under the primary key; the tag names the key that made it.
   *
   * @param data the bytes to authenticate
   * @return the tag
   * @throws CryptoException if the key cannot be used
   */
  byte[] sign(byte[] data);

  /**
   * Checks a tag under whichever key made it, including keys rotated out of primary use.
   *
   * @param tag a tag from {@link #sign}
   * @param data the bytes it should authenticate
   * @throws IntegrityException if the tag does not match
   */
  void verify(byte[] tag, byte[] data) throws IntegrityException;

  /**
   * The id of the key that produced {@code tag}.
   *
   * @param tag a tag from {@link #sign}
   * @return the key id
   * @throws IntegrityException if the tag carries no recognisable key id
   */
  int keyIdOf(byte[] tag) throws IntegrityException;
}
