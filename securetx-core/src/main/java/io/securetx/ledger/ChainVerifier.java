package io.securetx.ledger;

import io.securetx.crypto.CheckpointVerifier;
import io.securetx.crypto.IntegrityException;
import io.securetx.ledger.LedgerIntegrityException.Reason;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Verifies a whole ledger in one streaming pass. With only the public checkpoint key it checks the
 * hash chain, sequence numbers, checkpoint signatures, that no checkpointed entry is missing and
 * that the stored head matches; with an {@link EntryOpener} it also opens every record and checks
 * its MAC. The first failure stops it, naming the sequence number and why.
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
    return store.snapshot(this::verify);
  }

  private VerificationSummary verify(LedgerReader store) throws LedgerIntegrityException {
    List<Checkpoint> signed = readCheckpoints(store);
    Walk walk = new Walk(signed);
    store.scan(1, walk::visit);
    if (walk.nextCheckpoint < signed.size()) {
      Checkpoint missing = signed.get(walk.nextCheckpoint);
      throw new LedgerIntegrityException(
          missing.seq(),
          Reason.TRUNCATED,
          "a checkpoint covers seq " + missing.seq() + " but the ledger ends at " + walk.lastSeq);
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
    long lastCheckpoint = signed.isEmpty() ? 0 : signed.get(signed.size() - 1).seq();
    return VerificationSummary.of(
        walk.lastSeq, walk.previous, signed.size(), lastCheckpoint, opener != null);
  }

  private List<Checkpoint> readCheckpoints(LedgerReader store) throws LedgerIntegrityException {
    List<Checkpoint> signed = new ArrayList<>();
    store.scanCheckpoints(
        checkpoint -> {
          try {
            checkpoints.verify(checkpoint.signature(), checkpoint.statement());
          } catch (IntegrityException e) {
            throw new LedgerIntegrityException(
                checkpoint.seq(), Reason.BAD_CHECKPOINT, "checkpoint signature does not verify");
          }
          if (!signed.isEmpty() && signed.get(signed.size() - 1).seq() >= checkpoint.seq()) {
            throw new LedgerIntegrityException(
                checkpoint.seq(), Reason.BAD_CHECKPOINT, "checkpoints out of order");
          }
          signed.add(checkpoint);
        });
    return signed;
  }

  /** The state of one pass over the entries. */
  private final class Walk {
    private final List<Checkpoint> signed;
    private byte[] previous = ChainHash.genesis();
    private long lastSeq;
    private int nextCheckpoint;

    Walk(List<Checkpoint> signed) {
      this.signed = signed;
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
      if (opener != null) {
        opener.open(entry);
      }
      while (nextCheckpoint < signed.size() && signed.get(nextCheckpoint).seq() == entry.seq()) {
        if (!MessageDigest.isEqual(signed.get(nextCheckpoint).entryHash(), hash)) {
          throw new LedgerIntegrityException(
              entry.seq(), Reason.CHECKPOINT_MISMATCH, "the signed checkpoint hash differs");
        }
        nextCheckpoint++;
      }
      if (nextCheckpoint < signed.size() && signed.get(nextCheckpoint).seq() < entry.seq()) {
        throw new LedgerIntegrityException(
            signed.get(nextCheckpoint).seq(),
            Reason.CHECKPOINT_MISMATCH,
            "a checkpoint names a sequence number the ledger does not hold");
      }
      previous = hash;
      lastSeq = entry.seq();
    }
  }
}
