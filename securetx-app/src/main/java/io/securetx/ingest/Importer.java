package io.securetx.ingest;

import io.securetx.SecureTxException;
import io.securetx.ledger.LedgerStoreException;
import io.securetx.vault.Outcome;
import io.securetx.vault.RequestParser;
import io.securetx.vault.SealedBatch;
import io.securetx.vault.TransactionRequest;
import io.securetx.vault.Vault;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * Imports a CSV or JSON Lines file into the vault. One thread reads and validates rows and cuts
 * them into batches; a pool seals batches in parallel (signing and encryption are most of the
 * work); the batches are appended in file order, each committed in one transaction (group commit),
 * with a bounded number in flight. A refused row goes to the rejects file and never leaves a
 * partial record; a batch is stored whole or not at all.
 *
 * <p>Rows without an idempotency key get one derived from the source name and their line (see
 * {@link #derivedKey}), so an import that stopped half-way, or ran twice, can be run again: rows
 * already stored are counted as duplicates, not added. The vault remembers keys for its idempotency
 * retention ({@code SECURETX_IDEMPOTENCY_RETENTION}); a rerun after that adds the rows again.
 */
public final class Importer {

  private final Vault vault;
  private final RequestParser parser;
  private final Settings settings;

  /**
   * How an import is cut up and how much runs at once.
   *
   * @param batchSize rows per batch, and so per commit
   * @param inFlight batches read ahead of the last commit (bounds memory)
   * @param sealThreads threads that sign and encrypt
   * @param progressEvery how often the progress listener hears from the import
   */
  public record Settings(int batchSize, int inFlight, int sealThreads, Duration progressEvery) {

    /** Validates the bounds. */
    public Settings {
      if (batchSize < 1 || inFlight < 1 || sealThreads < 1 || progressEvery.isNegative()) {
        throw new IllegalArgumentException(
            "batch size, batches in flight and seal threads must be >= 1");
      }
    }

    /**
     * Batches of 4,096 rows, eight in flight, one sealing thread per processor.
     *
     * @param progressEvery how often progress is reported
     * @return the settings
     */
    public static Settings defaults(Duration progressEvery) {
      return new Settings(
          4096, 8, Math.max(1, Runtime.getRuntime().availableProcessors()), progressEvery);
    }
  }

  /** Hears how far an import has got. */
  @FunctionalInterface
  public interface Progress {
    /**
     * Reports the counts so far; called from the reading thread.
     *
     * @param soFar the counts so far ({@code rejectsFile} and {@code failure} not yet known)
     */
    void report(ImportSummary soFar);
  }

  /**
   * Creates an importer.
   *
   * @param vault where the rows go; not closed by the importer
   * @param parser the installation's request rules
   * @param settings batching and parallelism
   */
  public Importer(Vault vault, RequestParser parser, Settings settings) {
    this.vault = vault;
    this.parser = parser;
    this.settings = settings;
  }

  /**
   * The idempotency key a row without one gets: {@code import:} + 12 hex digits of SHA-256 of the
   * source name + {@code :} + the line number, zero-padded to 10 digits.
   *
   * @param source the import's source name
   * @param line the row's first line, from 1
   * @return the key
   */
  public static String derivedKey(String source, long line) {
    return new RowKeys(source).keyFor(line);
  }

  /**
   * Runs an import.
   *
   * @param file the file to read
   * @param format its format
   * @param source the name derived idempotency keys are made from (usually the file name)
   * @param rejectsFile where refused rows go; created now, deleted at the end if none was refused
   * @param progress hears how far the import has got
   * @return the summary; its {@code failure} is set when the vault became unavailable, and then the
   *     rows after the last stored batch were not stored
   * @throws ImportFileException if the file cannot be read or is not an import file of its format
   *     (no header row, an unknown column), or the rejects file cannot be written
   */
  public ImportSummary run(
      Path file, ImportFormat format, String source, Path rejectsFile, Progress progress) {
    InputStream in;
    try {
      in = Files.newInputStream(file);
    } catch (IOException e) {
      throw new ImportFileException("cannot read " + file + ": " + e.getMessage(), e);
    }
    RowKeys keys = new RowKeys(source);
    Path kept;
    Run run;
    try (RowReader reader = open(in, format, keys);
        Rejects rejects = new Rejects(rejectsFile, format)) {
      run = new Run(rejects, progress);
      try {
        try {
          run.readAll(reader);
        } catch (IOException e) {
          run.awaitSettled();
          throw new ImportFileException(
              "cannot read " + file + " after line " + run.lastLine + ": " + e.getMessage(), e);
        }
        run.awaitSettled();
      } finally {
        // Only now: queued sealing must run, or a batch waiting for it would never settle.
        run.sealers.shutdown();
      }
      kept = rejects.finish();
    } catch (IOException e) {
      throw new ImportFileException("cannot read " + file + ": " + e.getMessage(), e);
    }
    return run.summary(kept);
  }

  private RowReader open(InputStream in, ImportFormat format, RowKeys keys) throws IOException {
    try {
      return format == ImportFormat.CSV
          ? new CsvRowReader(in, parser, keys)
          : new JsonLinesRowReader(in, parser, keys);
    } catch (RuntimeException | IOException e) {
      in.close();
      throw e;
    }
  }

  /** One import's moving parts. */
  private final class Run {
    final Rejects rejects;
    final Progress progress;
    final ExecutorService sealers;
    final Semaphore window = new Semaphore(settings.inFlight());
    final long start = System.nanoTime();
    long lastProgress = start;
    long lastLine;
    // Settled counts: written only by settle(), which runs for one batch at a time, in order.
    volatile long accepted;
    volatile long duplicates;
    volatile long rejected;
    volatile long notStored;
    volatile long settledAt = start;
    volatile @Nullable SecureTxException failure;

    /** Completes when the latest batch was handed to the vault: batches are appended in order. */
    CompletableFuture<@Nullable Void> appended = CompletableFuture.completedFuture(null);

    /** Completes when the latest batch was settled: rejects and counts are written in order. */
    CompletableFuture<@Nullable Void> settled = CompletableFuture.completedFuture(null);

    Run(Rejects rejects, Progress progress) {
      this.rejects = rejects;
      this.progress = progress;
      AtomicInteger n = new AtomicInteger();
      this.sealers =
          Executors.newFixedThreadPool(
              settings.sealThreads(),
              task -> {
                Thread t = new Thread(task, "securetx-import-seal-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
              });
    }

    void readAll(RowReader reader) throws IOException {
      Batch batch = new Batch(settings.batchSize());
      for (Row row = reader.next(); row != null; row = reader.next()) {
        lastLine = row.line();
        batch.rows.add(row);
        if (row.request() != null) {
          batch.requests.add(row.request());
        }
        if (batch.rows.size() >= settings.batchSize()) {
          dispatch(batch);
          batch = new Batch(settings.batchSize());
          if (failure != null) {
            return; // the vault is gone: stop reading; a rerun resumes
          }
        }
        if ((batch.rows.size() & 255) == 0) {
          maybeReport();
        }
      }
      if (!batch.rows.isEmpty()) {
        dispatch(batch);
      }
    }

    private void maybeReport() {
      long now = System.nanoTime();
      if (now - lastProgress >= settings.progressEvery().toNanos()) {
        lastProgress = now;
        progress.report(summary(null));
      }
    }

    private void dispatch(Batch batch) {
      try {
        window.acquire();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new LedgerStoreException("interrupted while importing", e);
      }
      CompletableFuture<List<Outcome>> outcomes;
      if (batch.requests.isEmpty()) {
        outcomes = CompletableFuture.completedFuture(List.of());
      } else {
        List<TransactionRequest> requests = batch.requests;
        CompletableFuture<SealedBatch> sealed =
            CompletableFuture.supplyAsync(() -> vault.seal(requests), sealers);
        CompletableFuture<CompletableFuture<List<Outcome>>> handedOver =
            appended.thenCombine(sealed, (ignored, s) -> vault.append(s));
        appended = handedOver.thenApply(f -> null);
        outcomes = handedOver.thenCompose(f -> f);
      }
      // A batch settles after the one before it, whatever became of that one.
      settled =
          settled
              .handle((ignored, error) -> (Void) null)
              .thenCombine(
                  outcomes.handle(Result::new),
                  (ignored, result) -> {
                    try {
                      settle(batch, result);
                    } catch (RuntimeException e) {
                      if (failure == null) {
                        failure = asSecureTx(e);
                      }
                    } finally {
                      window.release();
                    }
                    return null;
                  });
    }

    /** Counts a batch's rows and writes its rejects, in line order. */
    private void settle(Batch batch, Result result) {
      Throwable error = result.error;
      if (error != null && failure == null) {
        failure = asSecureTx(error);
      }
      List<Outcome> outcomes = result.outcomes;
      int next = 0;
      long a = 0;
      long d = 0;
      long r = 0;
      long n = 0;
      for (Row row : batch.rows) {
        if (row.request() == null) {
          rejects.write(
              row.line(), String.valueOf(row.rule()), String.valueOf(row.reason()), row.raw());
          r++;
          continue;
        }
        if (outcomes == null) {
          n++;
          continue;
        }
        Outcome outcome = outcomes.get(next++);
        if (outcome instanceof Outcome.Processed processed) {
          if (processed.replayed()) {
            d++;
          } else {
            a++;
          }
        } else {
          Outcome.Conflict conflict = (Outcome.Conflict) outcome;
          rejects.write(
              row.line(),
              "idempotency_key.conflict",
              "idempotency_key '"
                  + conflict.idempotencyKey()
                  + "' was already used with a different request",
              row.raw());
          r++;
        }
      }
      accepted += a;
      duplicates += d;
      rejected += r;
      notStored += n;
      settledAt = System.nanoTime();
    }

    void awaitSettled() {
      try {
        window.acquire(settings.inFlight());
        window.release(settings.inFlight());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new LedgerStoreException("interrupted while waiting for the last commits", e);
      }
    }

    ImportSummary summary(@Nullable Path rejectsFile) {
      long a = accepted;
      long d = duplicates;
      long r = rejected;
      long n = notStored;
      return new ImportSummary(a + d + r + n, a, d, r, n, settledAt - start, rejectsFile, failure);
    }
  }

  private static SecureTxException asSecureTx(Throwable error) {
    Throwable t = error;
    while (t instanceof CompletionException && t.getCause() != null) {
      t = t.getCause();
    }
    if (t instanceof SecureTxException e) {
      return e;
    }
    return new LedgerStoreException("the vault failed: " + t, t);
  }

  /** A batch of rows, and the valid requests among them in the same order. */
  private static final class Batch {
    final List<Row> rows;
    final List<TransactionRequest> requests;

    Batch(int size) {
      rows = new ArrayList<>(size);
      requests = new ArrayList<>(size);
    }
  }

  /** A batch's outcomes, or why it has none. */
  private record Result(@Nullable List<Outcome> outcomes, @Nullable Throwable error) {}
}
