package io.securetx.ledger;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A store that hands every call to another one. Wrappers that change one thing (count commits, hold
 * an append, fail it) extend it and override only that, so they keep the wrapped store's own
 * snapshots and keyed reads instead of falling back to the interface's defaults.
 */
public abstract class ForwardingLedgerStore implements LedgerStore {

  private final LedgerStore delegate;

  /**
   * Wraps a store.
   *
   * @param delegate the store every call goes to; closing this closes it
   */
  protected ForwardingLedgerStore(LedgerStore delegate) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
  }

  @Override
  public List<AppendOutcome> append(List<PendingEntry> batch, ChainExtender extender) {
    return delegate.append(batch, extender);
  }

  @Override
  public Optional<LedgerEntry> findByTxId(String txId) {
    return delegate.findByTxId(txId);
  }

  @Override
  public <T, X extends Exception> T snapshot(SnapshotReader<T, X> reader) throws X {
    return delegate.snapshot(reader);
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
  public Optional<Checkpoint> lastCheckpoint() {
    return delegate.lastCheckpoint();
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
