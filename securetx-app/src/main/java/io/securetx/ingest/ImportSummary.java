package io.securetx.ingest;

import io.securetx.SecureTxException;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * How an import went, or how far it has got.
 *
 * @param rows records read and settled: accepted + duplicates + rejected + notStored
 * @param accepted rows appended to the vault by this import
 * @param duplicates rows whose idempotency key was already used with the same request: the vault
 *     held them already, nothing was added
 * @param rejected rows refused (invalid, or their key was used with a different request); each is
 *     in the rejects file
 * @param notStored valid rows the vault could not take because it became unavailable
 * @param elapsedNanos time from the start of reading until the last row was settled
 * @param rejectsFile the rejects file, or null when no row was refused
 * @param failure what stopped the import early (the vault became unavailable), or null
 */
public record ImportSummary(
    long rows,
    long accepted,
    long duplicates,
    long rejected,
    long notStored,
    long elapsedNanos,
    @Nullable Path rejectsFile,
    @Nullable SecureTxException failure) {

  /** Settled rows per second of elapsed time. */
  public double rowsPerSecond() {
    return elapsedNanos <= 0 ? 0 : rows * 1e9 / elapsedNanos;
  }
}
