package io.securetx.bench;

import io.securetx.ledger.AppendOutcome;
import io.securetx.ledger.ForwardingLedgerStore;
import io.securetx.ledger.LedgerStore;
import io.securetx.ledger.PendingEntry;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/** A store that counts batches and the time spent committing them, to explain a figure. */
final class MeasuredStore extends ForwardingLedgerStore {

  private final LongAdder batches = new LongAdder();
  private final LongAdder entries = new LongAdder();
  private final LongAdder nanos = new LongAdder();

  MeasuredStore(LedgerStore delegate) {
    super(delegate);
  }

  @Override
  public List<AppendOutcome> append(List<PendingEntry> batch, ChainExtender extender) {
    long start = System.nanoTime();
    try {
      return super.append(batch, extender);
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
}
