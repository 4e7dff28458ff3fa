package io.securetx.ledger;

import java.util.List;
import java.util.Optional;

/**
 * Where ledger entries, checkpoints, the chain head and idempotency keys are stored. One store may
 * be shared by several processes: {@link #append} serialises them on the chain head, once per
 * batch.
 */
public interface LedgerStore extends LedgerReader, AutoCloseable {

  /**
   * Appends a batch in one atomic commit. Under the store's append lock it reads the chain head,
   * resolves idempotency keys (a key seen before is replayed or a conflict, and is not appended),
   * lets {@code extender} place the remaining entries after the head, then stores the entries,
   * their idempotency keys, the optional checkpoint and the new head together.
   *
   * @param batch the entries to append, in order
   * @param extender turns the fresh entries into chained entries and maybe a checkpoint
   * @return one outcome per batch element, in the same order
   * @throws LedgerStoreException if the commit fails; then nothing of the batch is stored
   */
  List<AppendOutcome> append(List<PendingEntry> batch, ChainExtender extender);

  /**
   * Finds an entry by its transaction id.
   *
   * @param txId the {@code tx_...} text
   * @return the stored entry, not yet verified
   * @throws LedgerStoreException if the store cannot be read
   */
  Optional<LedgerEntry> findByTxId(String txId);

  /**
   * Runs {@code reader} against one consistent snapshot of the ledger: entries, checkpoints and
   * head as of one moment, unaffected by appends that commit meanwhile (so verifying a vault that
   * is being appended to raises no false alarm). Reading never blocks appends.
   *
   * @param reader what to do with the snapshot
   * @param <T> the reader's result
   * @param <X> the reader's checked exception, passed through unchanged
   * @return the reader's result
   * @throws X when the reader throws it
   * @throws LedgerStoreException if the store cannot be read
   */
  default <T, X extends Exception> T snapshot(SnapshotReader<T, X> reader) throws X {
    return reader.read(this);
  }

  /**
   * Releases connections.
   *
   * @throws LedgerStoreException if closing fails
   */
  @Override
  void close();

  /** Reads a consistent snapshot. */
  @FunctionalInterface
  interface SnapshotReader<T, X extends Exception> {
    /**
     * Reads.
     *
     * @param snapshot the ledger as of one moment; valid only during this call
     * @return the result
     * @throws X to stop
     */
    T read(LedgerReader snapshot) throws X;
  }

  /** Places fresh entries after the chain head; called by the store under its append lock. */
  @FunctionalInterface
  interface ChainExtender {
    /**
     * Chains the entries.
     *
     * @param head the current head
     * @param fresh the entries to place, in order
     * @return the chained entries and a checkpoint, if one is due
     */
    ChainExtension extend(ChainHead head, List<PendingEntry> fresh);
  }
}
