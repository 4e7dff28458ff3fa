package io.securetx.ledger;

import java.util.Optional;

/** Read access to a ledger: its entries, checkpoints and chain head. */
public interface LedgerReader {

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
   * The checkpoint with the highest sequence number. Stores with an index should answer without
   * scanning: callers such as a dashboard ask on every refresh.
   *
   * @return the newest checkpoint, or empty when there is none
   * @throws LedgerStoreException if the store cannot be read
   */
  default Optional<Checkpoint> lastCheckpoint() {
    Checkpoint[] last = new Checkpoint[1];
    this.<RuntimeException>scanCheckpoints(checkpoint -> last[0] = checkpoint);
    return Optional.ofNullable(last[0]);
  }

  /**
   * Reads the stored chain head, outside any lock.
   *
   * @return the head, or empty when the head row is missing (never for an intact store)
   * @throws LedgerStoreException if the store cannot be read
   */
  Optional<ChainHead> head();

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
}
