package io.securetx.vault;

import java.security.SecureRandom;

/**
 * A {@link SecureRandom} that serves small requests from a block drawn from a DRBG. A transaction
 * id needs ten random bytes in two calls; asking the DRBG for each costs two full generate steps
 * (hashing and reseeding bookkeeping), while one 4 KiB block serves about 400 ids. The bytes are
 * the DRBG's, unchanged and never reused. One instance per thread: it is not thread-safe.
 */
final class BufferedRandom extends SecureRandom {
  private static final long serialVersionUID = 1L;

  private final SecureRandom source;
  private final byte[] block = new byte[4096];
  private int position = block.length;

  BufferedRandom(SecureRandom source) {
    this.source = source;
  }

  @Override
  public void nextBytes(byte[] bytes) {
    int filled = 0;
    while (filled < bytes.length) {
      if (position == block.length) {
        source.nextBytes(block);
        position = 0;
      }
      int n = Math.min(bytes.length - filled, block.length - position);
      System.arraycopy(block, position, bytes, filled, n);
      // Served bytes are wiped from the block, so nothing handed out stays in memory here.
      java.util.Arrays.fill(block, position, position + n, (byte) 0);
      position += n;
      filled += n;
    }
  }

  @Override
  public void setSeed(long seed) {
    // The superclass constructor calls this before the source exists; seeding goes to the DRBG.
    if (source != null) {
      source.setSeed(seed);
    }
  }

  @Override
  public String getAlgorithm() {
    return "buffered " + source.getAlgorithm();
  }
}
