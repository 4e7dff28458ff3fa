package io.securetx.ledger;

import io.securetx.crypto.CheckpointSigner;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The append side of the ledger, with group commit: callers on any number of threads submit
 * entries, one at a time or in ordered groups; one writer thread takes everything waiting (up to
 * {@link LedgerOptions#maxBatch()} entries), chains it and stores it in a single commit, then
 * completes every caller's future. Each result is returned only after its commit, so durability is
 * per entry while the cost of a commit is shared.
 */
public final class Ledger implements AutoCloseable {

  private final LedgerStore store;
  private final CheckpointSigner signer;
  private final Clock clock;
  private final LedgerOptions options;
  private final BlockingQueue<Request> queue = new LinkedBlockingQueue<>();
  private final Thread writer;
  private volatile boolean closed;

  /**
   * Starts the ledger's writer thread.
   *
   * @param store where entries go
   * @param signer signs checkpoints
   * @param clock the time source for checkpoints
   * @param options batching and checkpoint policy
   */
  public Ledger(LedgerStore store, CheckpointSigner signer, Clock clock, LedgerOptions options) {
    this.store = store;
    this.signer = signer;
    this.clock = clock;
    this.options = options;
    this.writer = new Thread(this::run, "securetx-ledger-writer");
    this.writer.setDaemon(true);
    this.writer.start();
  }

  /**
   * Submits an entry; the future completes once its batch is committed.
   *
   * @param entry the sealed transaction
   * @return the outcome, or a {@link LedgerStoreException} if the commit failed
   * @throws IllegalStateException if the ledger is closed
   */
  public CompletableFuture<AppendOutcome> submit(PendingEntry entry) {
    return submitAll(List.of(entry)).thenApply(outcomes -> outcomes.get(0));
  }

  /**
   * Submits entries that stay together and in order: they are committed in one batch (with whatever
   * else is waiting, up to {@link LedgerOptions#maxBatch()} entries; a group larger than that is
   * committed alone), so their future completes once, when all of them are durable.
   *
   * @param entries the sealed transactions, in chain order
   * @return one outcome per entry, in the same order, or a {@link LedgerStoreException} if the
   *     commit failed; then none of them was stored
   * @throws IllegalStateException if the ledger is closed
   * @throws IllegalArgumentException if {@code entries} is empty
   */
  public CompletableFuture<List<AppendOutcome>> submitAll(List<PendingEntry> entries) {
    if (entries.isEmpty()) {
      throw new IllegalArgumentException("nothing to submit");
    }
    if (closed) {
      throw new IllegalStateException("ledger is closed");
    }
    Request request = new Request(List.copyOf(entries));
    queue.add(request);
    if (closed && queue.remove(request)) {
      // close() raced this submit: the writer may be gone, so nobody would ever complete it.
      throw new IllegalStateException("ledger is closed");
    }
    return request.result;
  }

  /**
   * Appends an entry and waits for its commit.
   *
   * @param entry the sealed transaction
   * @return the outcome
   * @throws LedgerStoreException if the commit failed
   */
  public AppendOutcome append(PendingEntry entry) {
    try {
      return submit(entry).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LedgerStoreException("interrupted while waiting for the commit", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new LedgerStoreException("append failed", e);
    }
  }

  private void run() {
    List<Request> batch = new ArrayList<>();
    try {
      while (!closed || !queue.isEmpty()) {
        Request first = queue.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        int size = first.entries.size();
        // Only this thread takes from the queue, so what peek shows is what poll takes.
        for (Request next = queue.peek();
            next != null && size + next.entries.size() <= options.maxBatch();
            next = queue.peek()) {
          batch.add(queue.remove());
          size += next.entries.size();
        }
        commit(batch, size);
        batch.clear();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      // Whatever ended the writer, no caller may wait forever on an entry it will never commit.
      closed = true;
      failPending(batch);
    }
  }

  private void failPending(List<Request> batch) {
    List<Request> pending = new ArrayList<>(batch);
    queue.drainTo(pending);
    for (Request request : pending) {
      request.result.completeExceptionally(
          new LedgerStoreException("the ledger closed before this entry was committed"));
    }
  }

  private void commit(List<Request> batch, int size) {
    List<PendingEntry> entries = new ArrayList<>(size);
    for (Request request : batch) {
      entries.addAll(request.entries);
    }
    try {
      List<AppendOutcome> outcomes = store.append(entries, this::extend);
      int from = 0;
      for (Request request : batch) {
        int to = from + request.entries.size();
        request.result.complete(List.copyOf(outcomes.subList(from, to)));
        from = to;
      }
    } catch (RuntimeException e) {
      for (Request request : batch) {
        request.result.completeExceptionally(e);
      }
    }
  }

  /** Chains fresh entries after {@code head}; signs a checkpoint over the last one if due. */
  private ChainExtension extend(ChainHead head, List<PendingEntry> fresh) {
    List<LedgerEntry> chained = new ArrayList<>(fresh.size());
    byte[] previous = head.entryHash();
    long seq = head.seq();
    for (PendingEntry entry : fresh) {
      seq++;
      byte[] hash = ChainHash.compute(previous, seq, entry);
      chained.add(entry.at(seq, hash));
      previous = hash;
    }
    long nowMicros = ChronoUnit.MICROS.between(Instant.EPOCH, clock.instant());
    boolean due =
        !chained.isEmpty()
            && (seq - head.lastCheckpointSeq() >= options.checkpointEvery()
                || nowMicros - head.lastCheckpointMicros()
                    >= TimeUnit.NANOSECONDS.toMicros(options.checkpointInterval().toNanos()));
    @Nullable Checkpoint checkpoint = null;
    if (due) {
      byte[] statement = Checkpoint.statement(seq, previous, nowMicros);
      checkpoint = new Checkpoint(seq, previous, nowMicros, signer.sign(statement));
    }
    return new ChainExtension(chained, checkpoint);
  }

  /**
   * Stops accepting entries, commits everything already submitted, and stops the writer. The store
   * is not closed: it belongs to whoever created it.
   */
  @Override
  public void close() {
    closed = true;
    try {
      writer.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    failPending(List.of());
  }

  private static final class Request {
    final List<PendingEntry> entries;
    final CompletableFuture<List<AppendOutcome>> result = new CompletableFuture<>();

    Request(List<PendingEntry> entries) {
      this.entries = entries;
    }
  }
}
