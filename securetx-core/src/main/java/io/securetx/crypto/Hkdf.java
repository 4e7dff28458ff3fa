package io.securetx.crypto;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HKDF with HMAC-SHA256 (RFC 5869): turns one secret into independent keys for separate purposes,
 * so a key derived for one job tells nothing about the secret or about a key derived for another.
 * Written on the JDK's HMAC because Tink's HKDF is not part of its public API.
 */
final class Hkdf {

  private static final String HMAC = "HmacSHA256";
  private static final int HASH_LENGTH = 32;

  private Hkdf() {}

  /**
   * Extracts and expands.
   *
   * @param salt the salt; empty means {@value #HASH_LENGTH} zero bytes, as the RFC says
   * @param ikm the input key material
   * @param info the purpose the output is bound to
   * @param length the output length in bytes, at most 255 hash lengths
   * @return the output key material
   */
  static byte[] sha256(byte[] salt, byte[] ikm, byte[] info, int length) {
    if (length < 1 || length > 255 * HASH_LENGTH) {
      throw new IllegalArgumentException("HKDF output length must be 1.." + 255 * HASH_LENGTH);
    }
    try {
      Mac mac = Mac.getInstance(HMAC);
      mac.init(new SecretKeySpec(salt.length == 0 ? new byte[HASH_LENGTH] : salt, HMAC));
      byte[] prk = mac.doFinal(ikm);
      mac.init(new SecretKeySpec(prk, HMAC));
      Arrays.fill(prk, (byte) 0);
      byte[] out = new byte[length];
      byte[] block = new byte[0];
      for (int i = 1, done = 0; done < length; i++) {
        mac.update(block);
        mac.update(info);
        mac.update((byte) i);
        block = mac.doFinal();
        int n = Math.min(block.length, length - done);
        System.arraycopy(block, 0, out, done, n);
        done += n;
      }
      Arrays.fill(block, (byte) 0);
      return out;
    } catch (GeneralSecurityException e) {
      throw new CryptoException("HMAC-SHA256 is not available", e);
    }
  }
}
