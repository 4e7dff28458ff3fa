package io.securetx.ledger;

import io.securetx.crypto.IntegrityException;

/** The ledger failed verification at a known sequence number, for a known reason. */
public final class LedgerIntegrityException extends IntegrityException {
  private static final long serialVersionUID = 1L;

  /** Why verification failed. */
  public enum Reason {
    /** An entry's stored hash does not match the hash of its columns and its predecessor. */
    BROKEN_LINK,
    /** A sequence number is missing, repeated or out of order. */
    GAP,
    /** A checkpoint's signature does not verify, or checkpoints are out of order. */
    BAD_CHECKPOINT,
    /** A checkpoint's hash differs from the entry hash at its sequence number. */
    CHECKPOINT_MISMATCH,
    /** A checkpoint covers entries that are no longer there. */
    TRUNCATED,
    /** The stored chain head does not match the last entry. */
    HEAD_MISMATCH,
    /** A record's MAC does not verify. */
    MAC_MISMATCH,
    /** A record's ciphertext does not open with the keys and its transaction id. */
    UNDECRYPTABLE,
    /** A record opens, but its content disagrees with the stored columns. */
    FIELD_MISMATCH
  }

  private final long seq;
  private final Reason reason;
  private final String detail;

  /**
   * Creates the exception.
   *
   * @param seq the first bad sequence number
   * @param reason the kind of failure
   * @param detail a human-readable explanation
   */
  public LedgerIntegrityException(long seq, Reason reason, String detail) {
    super("ledger verification failed at seq " + seq + ": " + reason + ": " + detail);
    this.seq = seq;
    this.reason = reason;
    this.detail = detail;
  }

  /** The first bad sequence number. */
  public long seq() {
    return seq;
  }

  /** Why it is bad. */
  public Reason reason() {
    return reason;
  }

  /** The human-readable explanation, without the sequence number and reason. */
  public String detail() {
    return detail;
  }
}
