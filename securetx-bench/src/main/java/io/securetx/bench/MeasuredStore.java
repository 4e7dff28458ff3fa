package io.securetx.bench;

import io.securetx.ledger.AppendOutcome;
import io.securetx.ledger.ChainHead;
import io.securetx.ledger.Checkpoint;
import io.securetx.ledger.LedgerEntry;
import io.securetx.ledger.LedgerStore;
import io.securetx.ledger.PendingEntry;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;

/** A store that counts batches and the time spent committing them, to explain a figure. */
final class MeasuredStore implements LedgerStore {

  private final LedgerStore delegate;
  private final LongAdder batches = new LongAdder();
  private final LongAdder entries = new LongAdder();
  private final LongAdder nanos = new LongAdder();

  MeasuredStore(LedgerStore delegate) {
    this.delegate = delegate;
  }

  @Override
  public List<AppendOutcome> append(List<PendingEntry> batch, ChainExtender extender) {
    long start = System.nanoTime();
    try {
      return delegate.append(batch, extender);
    } finally {
      nanos.add(System.nanoTime() - start);
      batches.increment();
      entries.add(batch.size());
    }
  }

  /** Mean entries per commit and mean milliseconds per commit since the last reset. */
  String summary() {
    long b = Math.max(1, batches.sum());
    return String.format(
        java.util.Locale.ROOT,
        "%d commits, mean batch %.1f entries, mean commit %.3f ms",
        batches.sum(),
        entries.sum() / (double) b,
        nanos.sum() / 1e6 / b);
  }

  void reset() {
    batches.reset();
    entries.reset();
    nanos.reset();
  }

  @Override
  public Optional<LedgerEntry> findByTxId(String txId) {
    return delegate.findByTxId(txId);
  }

  @Override
  public <X extends Exception> void scan(long fromSeq, Visitor<LedgerEntry, X> visitor) throws X {
    delegate.scan(fromSeq, visitor);
  }

  @Override
  public <X extends Exception> void scanCheckpoints(Visitor<Checkpoint, X> visitor) throws X {
    delegate.scanCheckpoints(visitor);
  }

  @Override
  public Optional<ChainHead> head() {
    return delegate.head();
  }

  @Override
  public void close() {
    delegate.close();
  }
}
