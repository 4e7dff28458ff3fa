package io.securetx.ledger;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * A {@link LedgerStore} in memory, honest to the port's contract: one lock serialises appends, a
 * batch commits entirely or not at all, idempotency keys are resolved against earlier batches and
 * earlier entries of the same batch, and the head and checkpoints are kept like a database would.
 *
 * <p>For tests it also records the size of every committed batch, can run a hook before each commit
 * (to hold the writer while others queue up), and can alter stored rows the way an attacker with
 * write access to the database could.
 */
public final class InMemoryLedgerStore implements LedgerStore {

  private record StoredKey(byte[] requestHash, String txId) {}

  private final Object lock = new Object();
  private final List<LedgerEntry> entries = new ArrayList<>();
  private final List<Checkpoint> checkpoints = new ArrayList<>();
  private final Map<String, StoredKey> keys = new HashMap<>();
  private final List<Integer> batchSizes = new ArrayList<>();
  private @Nullable ChainHead head = new ChainHead(0, ChainHash.genesis(), 0, 0);
  private volatile Consumer<List<PendingEntry>> beforeAppend = batch -> {};

  @Override
  public List<AppendOutcome> append(List<PendingEntry> batch, ChainExtender extender) {
    synchronized (lock) {
      beforeAppend.accept(batch);
      ChainHead current = head;
      if (current == null) {
        throw new LedgerStoreException("the chain head row is missing");
      }
      AppendOutcome[] outcomes = new AppendOutcome[batch.size()];
      int[] freshIndex = new int[batch.size()];
      List<PendingEntry> fresh = new ArrayList<>();
      Map<String, Integer> freshByKey = new HashMap<>();
      Map<Integer, Integer> replayOfFresh = new HashMap<>();
      for (int i = 0; i < batch.size(); i++) {
        PendingEntry entry = batch.get(i);
        PendingEntry.Idempotency idempotency = entry.idempotency();
        if (idempotency == null) {
          freshIndex[i] = fresh.size();
          fresh.add(entry);
          continue;
        }
        StoredKey stored = keys.get(idempotency.key());
        Integer earlier = freshByKey.get(idempotency.key());
        if (stored != null) {
          outcomes[i] =
              MessageDigest.isEqual(stored.requestHash(), idempotency.requestHash())
                  ? new AppendOutcome.Replayed(findLocked(stored.txId()).orElseThrow())
                  : new AppendOutcome.Conflict(idempotency.key());
        } else if (earlier != null) {
          PendingEntry.Idempotency first = fresh.get(earlier).idempotency();
          if (first != null
              && MessageDigest.isEqual(first.requestHash(), idempotency.requestHash())) {
            replayOfFresh.put(i, earlier);
          } else {
            outcomes[i] = new AppendOutcome.Conflict(idempotency.key());
          }
        } else {
          freshByKey.put(idempotency.key(), fresh.size());
          freshIndex[i] = fresh.size();
          fresh.add(entry);
        }
      }
      ChainExtension extension =
          fresh.isEmpty() ? new ChainExtension(List.of(), null) : extender.extend(current, fresh);
      List<LedgerEntry> chained = extension.entries();
      if (chained.size() != fresh.size()) {
        throw new LedgerStoreException("the extender placed a different number of entries");
      }
      for (int k = 0; k < chained.size(); k++) {
        if (chained.get(k).seq() != current.seq() + 1 + k) {
          throw new LedgerStoreException("seq " + chained.get(k).seq() + " breaks the sequence");
        }
      }
      // Everything is checked: commit all of it at once.
      entries.addAll(chained);
      for (int k = 0; k < fresh.size(); k++) {
        PendingEntry.Idempotency idempotency = fresh.get(k).idempotency();
        if (idempotency != null) {
          keys.put(
              idempotency.key(),
              new StoredKey(idempotency.requestHash().clone(), chained.get(k).txId()));
        }
      }
      Checkpoint checkpoint = extension.checkpoint();
      if (checkpoint != null) {
        checkpoints.add(checkpoint);
      }
      if (!chained.isEmpty()) {
        LedgerEntry last = chained.get(chained.size() - 1);
        head =
            new ChainHead(
                last.seq(),
                last.entryHash(),
                checkpoint == null ? current.lastCheckpointSeq() : checkpoint.seq(),
                checkpoint == null ? current.lastCheckpointMicros() : checkpoint.createdAtMicros());
      }
      batchSizes.add(batch.size());
      List<AppendOutcome> result = new ArrayList<>(batch.size());
      for (int i = 0; i < batch.size(); i++) {
        Integer replayed = replayOfFresh.get(i);
        if (outcomes[i] != null) {
          result.add(outcomes[i]);
        } else if (replayed != null) {
          result.add(new AppendOutcome.Replayed(chained.get(replayed)));
        } else {
          result.add(new AppendOutcome.Appended(chained.get(freshIndex[i])));
        }
      }
      return result;
    }
  }

  @Override
  public Optional<LedgerEntry> findByTxId(String txId) {
    synchronized (lock) {
      return findLocked(txId);
    }
  }

  private Optional<LedgerEntry> findLocked(String txId) {
    return entries.stream().filter(e -> e.txId().equals(txId)).findFirst();
  }

  @Override
  public <X extends Exception> void scan(long fromSeq, Visitor<LedgerEntry, X> visitor) throws X {
    List<LedgerEntry> snapshot;
    synchronized (lock) {
      snapshot = new ArrayList<>(entries);
    }
    // Like ORDER BY seq: a stored seq decides the position, not the insertion order.
    snapshot.sort(Comparator.comparingLong(LedgerEntry::seq));
    for (LedgerEntry entry : snapshot) {
      if (entry.seq() >= fromSeq) {
        visitor.visit(entry);
      }
    }
  }

  @Override
  public <X extends Exception> void scanCheckpoints(Visitor<Checkpoint, X> visitor) throws X {
    List<Checkpoint> snapshot;
    synchronized (lock) {
      snapshot = new ArrayList<>(checkpoints);
    }
    snapshot.sort(Comparator.comparingLong(Checkpoint::seq));
    for (Checkpoint checkpoint : snapshot) {
      visitor.visit(checkpoint);
    }
  }

  @Override
  public Optional<ChainHead> head() {
    synchronized (lock) {
      return Optional.ofNullable(head);
    }
  }

  /** Nothing to release; the store stays usable, so a test can open a second vault over it. */
  @Override
  public void close() {}

  // ---- test hooks ----

  /** Runs {@code hook} under the append lock before each batch commits; it may block or throw. */
  public void beforeAppend(Consumer<List<PendingEntry>> hook) {
    this.beforeAppend = hook;
  }

  /** The size of every committed batch, in commit order. */
  public List<Integer> batchSizes() {
    synchronized (lock) {
      return List.copyOf(batchSizes);
    }
  }

  /** A snapshot of the stored rows, in storage order. */
  public List<LedgerEntry> entries() {
    synchronized (lock) {
      return List.copyOf(entries);
    }
  }

  /** A snapshot of the stored checkpoints. */
  public List<Checkpoint> checkpoints() {
    synchronized (lock) {
      return List.copyOf(checkpoints);
    }
  }

  /** Rewrites the row stored at {@code seq}. */
  public void replaceEntry(long seq, UnaryOperator<LedgerEntry> change) {
    synchronized (lock) {
      int index = indexOf(seq);
      entries.set(index, change.apply(entries.get(index)));
    }
  }

  /** Deletes the row stored at {@code seq}. */
  public void deleteEntry(long seq) {
    synchronized (lock) {
      entries.remove(indexOf(seq));
    }
  }

  /** Exchanges every column but {@code seq} between two rows. */
  public void swapContents(long seqA, long seqB) {
    synchronized (lock) {
      int a = indexOf(seqA);
      int b = indexOf(seqB);
      LedgerEntry first = entries.get(a);
      LedgerEntry second = entries.get(b);
      entries.set(a, second.withSeq(first.seq()));
      entries.set(b, first.withSeq(second.seq()));
    }
  }

  /**
   * Recomputes every entry hash from {@code fromSeq} on and the head, as an attacker who altered a
   * row could: the chain hash is unkeyed, so only checkpoints and the secret keys catch this.
   */
  public void rechainFrom(long fromSeq) {
    synchronized (lock) {
      entries.sort(Comparator.comparingLong(LedgerEntry::seq));
      byte[] previous = ChainHash.genesis();
      for (int i = 0; i < entries.size(); i++) {
        LedgerEntry entry = entries.get(i);
        if (entry.seq() >= fromSeq) {
          byte[] hash = ChainHash.compute(previous, entry.seq(), entry);
          entry = entry.withEntryHash(hash);
          entries.set(i, entry);
        }
        previous = entry.entryHash();
      }
      ChainHead current = head;
      if (current != null && !entries.isEmpty()) {
        LedgerEntry last = entries.get(entries.size() - 1);
        head =
            new ChainHead(
                last.seq(),
                last.entryHash(),
                current.lastCheckpointSeq(),
                current.lastCheckpointMicros());
      }
    }
  }

  /** Overwrites the stored head; null deletes the head row. */
  public void setHead(@Nullable ChainHead newHead) {
    synchronized (lock) {
      head = newHead;
    }
  }

  /** Rewrites the {@code index}-th stored checkpoint. */
  public void replaceCheckpoint(int index, UnaryOperator<Checkpoint> change) {
    synchronized (lock) {
      checkpoints.set(index, change.apply(checkpoints.get(index)));
    }
  }

  private int indexOf(long seq) {
    for (int i = 0; i < entries.size(); i++) {
      if (entries.get(i).seq() == seq) {
        return i;
      }
    }
    throw new IllegalArgumentException("no row with seq " + seq);
  }

  /** A copy of {@code bytes} with the bits of {@code mask} flipped at {@code index}. */
  public static byte[] flipped(byte[] bytes, int index, int mask) {
    byte[] copy = Arrays.copyOf(bytes, bytes.length);
    copy[index] ^= (byte) mask;
    return copy;
  }
}
