package io.securetx.ledger;

import io.securetx.crypto.CheckpointVerifier;
import io.securetx.crypto.IntegrityException;
import io.securetx.ledger.LedgerIntegrityException.Reason;
import io.securetx.transaction.Transaction;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Verifies a whole ledger in one streaming pass. With only the public checkpoint key it checks the
 * hash chain, sequence numbers, checkpoint signatures, that no checkpointed entry is missing and
 * that the stored head matches; with an {@link EntryOpener} it also opens every record and checks
 * its MAC. The first failure stops it, naming the sequence number and why.
 *
 * <p>A caller that needs the records themselves (a report) passes a {@link RecordVisitor} to {@link
 * #verify(LedgerStore, RecordVisitor)}: the same single pass then hands over each record once it is
 * verified, so reading and verifying never take two passes over the store.
 */
public final class ChainVerifier {

  private final CheckpointVerifier checkpoints;
  private final @Nullable EntryOpener opener;

  /**
   * Creates a verifier.
   *
   * @param checkpoints verifies checkpoint signatures (public keys suffice)
   * @param opener opens and checks each record, or null to check the chain only
   */
  public ChainVerifier(CheckpointVerifier checkpoints, @Nullable EntryOpener opener) {
    this.checkpoints = checkpoints;
    this.opener = opener;
  }

  /**
   * Verifies the ledger in {@code store}.
   *
   * @param store the ledger's storage
   * @return what was verified
   * @throws LedgerIntegrityException at the first entry or checkpoint that fails
   * @throws LedgerStoreException if the store cannot be read
   */
  public VerificationSummary verify(LedgerStore store) throws LedgerIntegrityException {
    return store.snapshot(snapshot -> verify(snapshot, null));
  }

  /**
   * Verifies the ledger in {@code store} exactly as {@link #verify(LedgerStore)} does and, in the
   * same pass, hands every record to {@code visitor} once its chain link, its opening, its MAC and
   * any checkpoint over it have been checked. Records arrive in sequence order. A failure still
   * throws; the visitor has then seen exactly the records before the first bad one.
   *
   * @param store the ledger's storage
   * @param visitor receives each verified record with its decrypted transaction
   * @return what was verified
   * @throws LedgerIntegrityException at the first entry or checkpoint that fails
   * @throws LedgerStoreException if the store cannot be read
   * @throws IllegalStateException if this verifier has no {@link EntryOpener}
   */
  public VerificationSummary verify(LedgerStore store, RecordVisitor visitor)
      throws LedgerIntegrityException {
    if (opener == null) {
      throw new IllegalStateException("records can be visited only by a verifier that opens them");
    }
    return store.snapshot(snapshot -> verify(snapshot, visitor));
  }

  private VerificationSummary verify(LedgerReader store, @Nullable RecordVisitor visitor)
      throws LedgerIntegrityException {
    SignedCheckpoints signed = readCheckpoints(store);
    Walk walk = new Walk(signed, visitor);
    store.scan(1, walk::visit);
    if (walk.nextCheckpoint < signed.size()) {
      long missing = signed.seq(walk.nextCheckpoint);
      throw new LedgerIntegrityException(
          missing,
          Reason.TRUNCATED,
          "a checkpoint covers seq " + missing + " but the ledger ends at " + walk.lastSeq);
    }
    Optional<ChainHead> head = store.head();
    if (head.isEmpty()
        || head.get().seq() != walk.lastSeq
        || !MessageDigest.isEqual(head.get().entryHash(), walk.previous)) {
      throw new LedgerIntegrityException(
          walk.lastSeq + 1,
          Reason.HEAD_MISMATCH,
          head.map(h -> "the stored head is at seq " + h.seq() + " with a different hash")
                  .orElse("the stored head is missing")
              + "; the entries end at seq "
              + walk.lastSeq);
    }
    return VerificationSummary.of(
        walk.lastSeq,
        walk.previous,
        signed.size(),
        signed.size() == 0 ? 0 : signed.seq(signed.size() - 1),
        signed.size() == 0
            ? null
            : Instant.EPOCH.plus(signed.lastCreatedAtMicros, ChronoUnit.MICROS),
        opener != null);
  }

  private SignedCheckpoints readCheckpoints(LedgerReader store) throws LedgerIntegrityException {
    SignedCheckpoints signed = new SignedCheckpoints();
    store.scanCheckpoints(
        checkpoint -> {
          try {
            checkpoints.verify(checkpoint.signature(), checkpoint.statement());
          } catch (IntegrityException e) {
            throw new LedgerIntegrityException(
                checkpoint.seq(), Reason.BAD_CHECKPOINT, "checkpoint signature does not verify");
          }
          if (signed.size() > 0 && signed.seq(signed.size() - 1) >= checkpoint.seq()) {
            throw new LedgerIntegrityException(
                checkpoint.seq(), Reason.BAD_CHECKPOINT, "checkpoints out of order");
          }
          signed.add(checkpoint);
        });
    return signed;
  }

  /** Receives each record of a verification pass, after it verified. */
  @FunctionalInterface
  public interface RecordVisitor {
    /**
     * Handles one verified record.
     *
     * @param entry the stored entry, whose link, opening and MAC checked out
     * @param transaction its decrypted transaction, which agrees with the entry's columns
     */
    void visit(LedgerEntry entry, Transaction transaction);
  }

  /**
   * The checkpoints whose signatures verified, kept as their sequence numbers and hashes only (40
   * bytes each instead of the whole record with its signature): a quiet vault signs a checkpoint
   * almost per entry, and verification must not need memory in proportion to the vault.
   */
  private static final class SignedCheckpoints {
    private static final int HASH = 32;

    private long[] seqs = new long[16];
    private byte[] hashes = new byte[16 * HASH];
    // A signed hash of another length can match no entry; remembered rather than refused here,
    // so the failure is reported at the entry, as for any other mismatch.
    private final BitSet malformed = new BitSet();
    private int size;
    private long lastCreatedAtMicros;

    void add(Checkpoint checkpoint) {
      if (size == seqs.length) {
        seqs = Arrays.copyOf(seqs, size * 2);
        hashes = Arrays.copyOf(hashes, size * 2 * HASH);
      }
      seqs[size] = checkpoint.seq();
      byte[] hash = checkpoint.entryHash();
      if (hash.length == HASH) {
        System.arraycopy(hash, 0, hashes, size * HASH, HASH);
      } else {
        malformed.set(size);
      }
      lastCreatedAtMicros = checkpoint.createdAtMicros();
      size++;
    }

    int size() {
      return size;
    }

    long seq(int index) {
      return seqs[index];
    }

    boolean hashEquals(int index, byte[] hash) {
      if (malformed.get(index) || hash.length != HASH) {
        return false;
      }
      int difference = 0;
      for (int i = 0; i < HASH; i++) {
        difference |= hashes[index * HASH + i] ^ hash[i];
      }
      return difference == 0;
    }
  }

  /** The state of one pass over the entries. */
  private final class Walk {
    private final SignedCheckpoints signed;
    private final @Nullable RecordVisitor visitor;
    private byte[] previous = ChainHash.genesis();
    private long lastSeq;
    private int nextCheckpoint;

    Walk(SignedCheckpoints signed, @Nullable RecordVisitor visitor) {
      this.signed = signed;
      this.visitor = visitor;
    }

    void visit(LedgerEntry entry) throws LedgerIntegrityException {
      long expected = lastSeq + 1;
      if (entry.seq() != expected) {
        throw new LedgerIntegrityException(
            expected,
            Reason.GAP,
            "expected seq " + expected + " but the next stored entry is seq " + entry.seq());
      }
      byte[] hash = ChainHash.compute(previous, entry.seq(), entry);
      if (!MessageDigest.isEqual(hash, entry.entryHash())) {
        throw new LedgerIntegrityException(
            entry.seq(), Reason.BROKEN_LINK, "entry hash does not match its content and link");
      }
      Transaction opened = opener == null ? null : opener.open(entry);
      while (nextCheckpoint < signed.size() && signed.seq(nextCheckpoint) == entry.seq()) {
        if (!signed.hashEquals(nextCheckpoint, hash)) {
          throw new LedgerIntegrityException(
              entry.seq(), Reason.CHECKPOINT_MISMATCH, "the signed checkpoint hash differs");
        }
        nextCheckpoint++;
      }
      if (nextCheckpoint < signed.size() && signed.seq(nextCheckpoint) < entry.seq()) {
        throw new LedgerIntegrityException(
            signed.seq(nextCheckpoint),
            Reason.CHECKPOINT_MISMATCH,
            "a checkpoint names a sequence number the ledger does not hold");
      }
      previous = hash;
      lastSeq = entry.seq();
      if (visitor != null && opened != null) {
        visitor.visit(entry, opened);
      }
    }
  }
}
