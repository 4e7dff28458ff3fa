package io.securetx.crypto.tink;

import io.securetx.crypto.IntegrityException;

/** Reads the key id that Tink's output prefix puts in front of every tag and ciphertext. */
final class TinkKeyIds {

  /** Tink's "TINK" output prefix: one version byte then a 4-byte big-endian key id. */
  private static final byte TINK_START_BYTE = 0x01;

  private static final int PREFIX_LENGTH = 5;

  private TinkKeyIds() {}

  static int keyIdOf(byte[] output) throws IntegrityException {
    if (output.length < PREFIX_LENGTH || output[0] != TINK_START_BYTE) {
      throw new IntegrityException("output does not carry a Tink key id prefix");
    }
    return ((output[1] & 0xFF) << 24)
        | ((output[2] & 0xFF) << 16)
        | ((output[3] & 0xFF) << 8)
        | (output[4] & 0xFF);
  }
}
