package io.securetx.ledger;

import java.time.Duration;

/**
 * How the ledger batches and checkpoints.
 *
 * @param maxBatch the most entries one commit carries
 * @param checkpointEvery sign a checkpoint once this many entries passed since the last one
 * @param checkpointInterval or once this much time passed since the last one
 */
public record LedgerOptions(int maxBatch, long checkpointEvery, Duration checkpointInterval) {

  /** Batches of up to 1,024; a checkpoint every 1,000 entries or every second. */
  public static final LedgerOptions DEFAULT = new LedgerOptions(1024, 1000, Duration.ofSeconds(1));

  /** Validates the bounds. */
  public LedgerOptions {
    if (maxBatch < 1 || checkpointEvery < 1 || checkpointInterval.isNegative()) {
      throw new IllegalArgumentException(
          "maxBatch and checkpointEvery must be >= 1 and the interval not negative");
    }
  }
}
