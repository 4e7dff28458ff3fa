package io.securetx.ledger;

import java.util.List;
import java.util.Optional;

/**
 * Where ledger entries, checkpoints, the chain head and idempotency keys are stored. One store may
 * be shared by several processes: {@link #append} serialises them on the chain head, once per
 * batch.
 */
public interface LedgerStore extends AutoCloseable {

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
   * Streams every entry with {@code seq >= fromSeq}, in ascending order, without holding them all
   * in memory. The visitor's own checked exception passes through unchanged.
   *
   * @param fromSeq the first sequence number to visit
   * @param visitor called once per entry
   * @param <X> the visitor's checked exception
   * @throws X when the visitor throws it; the scan stops
   * @throws LedgerStoreException if the store cannot be read
   */
  <X extends Exception> void scan(long fromSeq, Visitor<LedgerEntry, X> visitor) throws X;

  /**
   * Streams every checkpoint in ascending order of sequence number.
   *
   * @param visitor called once per checkpoint
   * @param <X> the visitor's checked exception
   * @throws X when the visitor throws it
   * @throws LedgerStoreException if the store cannot be read
   */
  <X extends Exception> void scanCheckpoints(Visitor<Checkpoint, X> visitor) throws X;

  /**
   * Reads the stored chain head, outside any lock.
   *
   * @return the head, or empty when the head row is missing (never for an intact store)
   * @throws LedgerStoreException if the store cannot be read
   */
  Optional<ChainHead> head();

  /**
   * Releases connections.
   *
   * @throws LedgerStoreException if closing fails
   */
  @Override
  void close();

  /** Receives stored items one at a time. */
  @FunctionalInterface
  interface Visitor<T, X extends Exception> {
    /**
     * Handles one item.
     *
     * @param item the item
     * @throws X to stop the scan
     */
    void visit(T item) throws X;
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
