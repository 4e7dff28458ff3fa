package io.securetx.adapter.sql;

import static io.securetx.adapter.sql.TestEntries.aPendingEntry;
import static io.securetx.adapter.sql.TestEntries.key;
import static io.securetx.adapter.sql.TestEntries.numbering;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.securetx.ledger.AppendOutcome;
import io.securetx.ledger.ChainExtension;
import io.securetx.ledger.ChainHead;
import io.securetx.ledger.Checkpoint;
import io.securetx.ledger.LedgerEntry;
import io.securetx.ledger.LedgerReader;
import io.securetx.ledger.LedgerStore;
import io.securetx.ledger.PendingEntry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link LedgerStore} keeps, run against each adapter by a subclass ({@code
 * SqliteLedgerStoreTest}, {@code PostgresLedgerStoreIT}).
 */
abstract class LedgerStoreContract {

  /** A clock the tests move by hand, for idempotency retention. */
  protected final MutableClock clock = new MutableClock(Instant.parse("2026-08-01T10:00:00Z"));

  protected LedgerStore store;

  /** Opens a fresh, empty store with a one-hour idempotency retention on {@link #clock}. */
  protected abstract LedgerStore openEmptyStore();

  /** Opens a second store on the vault {@link #openEmptyStore()} created: another writer. */
  protected abstract LedgerStore openSameVaultAgain();

  @BeforeEach
  void open() {
    store = openEmptyStore();
  }

  @AfterEach
  void close() {
    store.close();
  }

  @Test
  void head_emptyStore_isSeqZeroWithGenesisHash() {
    ChainHead head = store.head().orElseThrow();

    assertThat(head.seq()).isZero();
    assertThat(head.entryHash()).isEqualTo(new byte[32]);
    List<LedgerEntry> all = new ArrayList<>();
    store.scan(1, all::add);
    assertThat(all).isEmpty();
  }

  @Test
  void append_batch_storesEveryColumnAndMovesHead() {
    List<PendingEntry> batch = List.of(aPendingEntry(), aPendingEntry(), aPendingEntry());

    List<AppendOutcome> outcomes = store.append(batch, numbering());

    assertThat(outcomes).hasSize(3).allMatch(o -> o instanceof AppendOutcome.Appended);
    List<LedgerEntry> stored = new ArrayList<>();
    store.scan(1, stored::add);
    assertThat(stored).extracting(LedgerEntry::seq).containsExactly(1L, 2L, 3L);
    for (int i = 0; i < 3; i++) {
      PendingEntry p = batch.get(i);
      LedgerEntry e = stored.get(i);
      assertThat(e.txId()).isEqualTo(p.txId());
      assertThat(e.createdAtMicros()).isEqualTo(p.createdAtMicros());
      assertThat(e.userIndex()).isEqualTo(p.userIndex());
      assertThat(e.macKeyId()).isEqualTo(p.macKeyId());
      assertThat(e.aeadKeyId()).isEqualTo(p.aeadKeyId());
      assertThat(e.ciphertext()).isEqualTo(p.ciphertext());
      assertThat(e.mac()).isEqualTo(p.mac());
      assertThat(e.entryHash()[31]).isEqualTo((byte) (i + 1));
    }
    ChainHead head = store.head().orElseThrow();
    assertThat(head.seq()).isEqualTo(3);
    assertThat(head.entryHash()).isEqualTo(stored.get(2).entryHash());
  }

  @Test
  void append_secondBatch_extenderSeesHeadOfFirst() {
    store.append(List.of(aPendingEntry(), aPendingEntry()), numbering());
    AtomicReference<ChainHead> seen = new AtomicReference<>();

    store.append(
        List.of(aPendingEntry()),
        (head, fresh) -> {
          seen.set(head);
          return numbering().extend(head, fresh);
        });

    assertThat(seen.get().seq()).isEqualTo(2);
    assertThat(seen.get().entryHash()[31]).isEqualTo((byte) 2);
  }

  @Test
  void append_twoWritersTakingTurns_eachSeesTheOthersEntries() {
    try (LedgerStore other = openSameVaultAgain()) {
      store.append(List.of(aPendingEntry(), aPendingEntry()), numbering());
      other.append(List.of(aPendingEntry()), numbering());
      // This writer's remembered head is stale now: the append must notice and still chain on.
      List<AppendOutcome> outcomes =
          store.append(List.of(aPendingEntry(), aPendingEntry()), numbering());
      other.append(List.of(aPendingEntry(key("shared", 1))), numbering());
      List<AppendOutcome> replay =
          store.append(List.of(aPendingEntry(key("shared", 1))), numbering());

      assertThat(outcomes)
          .extracting(o -> ((AppendOutcome.Appended) o).entry().seq())
          .containsExactly(4L, 5L);
      assertThat(replay.get(0)).isInstanceOf(AppendOutcome.Replayed.class);
      List<Long> seqs = new ArrayList<>();
      store.scan(1, e -> seqs.add(e.seq()));
      assertThat(seqs).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
      assertThat(other.head().orElseThrow().seq()).isEqualTo(6);
    }
  }

  @Test
  void snapshot_appendMeanwhile_notBlockedAndNotSeen() throws Exception {
    store.append(List.of(aPendingEntry(), aPendingEntry()), numbering());

    List<Long> seen =
        store.snapshot(
            reader -> {
              long before = reader.head().orElseThrow().seq();
              // Another writer appends while the snapshot is open: it must not wait for it.
              List<AppendOutcome> appended =
                  CompletableFuture.supplyAsync(
                          () -> store.append(List.of(aPendingEntry()), numbering()))
                      .get(5, TimeUnit.SECONDS);
              assertThat(appended).hasSize(1);
              List<Long> seqs = new ArrayList<>();
              reader.scan(1, e -> seqs.add(e.seq()));
              assertThat(reader.head().orElseThrow().seq()).isEqualTo(before);
              return seqs;
            });

    assertThat(seen).containsExactly(1L, 2L);
    assertThat(store.head().orElseThrow().seq()).isEqualTo(3);
  }

  @Test
  void scan_fromSeq_startsThere() {
    store.append(List.of(aPendingEntry(), aPendingEntry(), aPendingEntry()), numbering());
    List<Long> seqs = new ArrayList<>();

    store.scan(2, e -> seqs.add(e.seq()));

    assertThat(seqs).containsExactly(2L, 3L);
  }

  @Test
  void findByTxId_known_returnsEntry_unknown_returnsEmpty() {
    PendingEntry p = aPendingEntry();
    store.append(List.of(aPendingEntry(), p), numbering());

    assertThat(store.findByTxId(p.txId())).map(LedgerEntry::seq).contains(2L);
    assertThat(store.findByTxId(aPendingEntry().txId())).isEmpty();
  }

  @Test
  void append_withCheckpoint_storesItAndReportsItInNextHead() {
    byte[] signature = TestEntries.bytes(69);
    store.append(
        List.of(aPendingEntry(), aPendingEntry()),
        (head, fresh) -> {
          ChainExtension ext = numbering().extend(head, fresh);
          LedgerEntry last = ext.entries().get(ext.entries().size() - 1);
          return new ChainExtension(
              ext.entries(), new Checkpoint(last.seq(), last.entryHash(), 1234L, signature));
        });
    AtomicReference<ChainHead> seen = new AtomicReference<>();

    store.append(
        List.of(aPendingEntry()),
        (head, fresh) -> {
          seen.set(head);
          return numbering().extend(head, fresh);
        });

    List<Checkpoint> checkpoints = new ArrayList<>();
    store.scanCheckpoints(checkpoints::add);
    assertThat(checkpoints).hasSize(1);
    assertThat(checkpoints.get(0).seq()).isEqualTo(2);
    assertThat(checkpoints.get(0).signature()).isEqualTo(signature);
    assertThat(checkpoints.get(0).createdAtMicros()).isEqualTo(1234L);
    assertThat(seen.get().lastCheckpointSeq()).isEqualTo(2);
    assertThat(seen.get().lastCheckpointMicros()).isEqualTo(1234L);
  }

  @Test
  void lastCheckpoint_isTheNewestOfSeveral_andEmptyBeforeAny() {
    assertThat(store.snapshot(LedgerReader::lastCheckpoint)).isEmpty();
    for (int i = 1; i <= 3; i++) {
      long micros = 1000L * i;
      store.append(
          List.of(aPendingEntry(), aPendingEntry()),
          (head, fresh) -> {
            ChainExtension ext = numbering().extend(head, fresh);
            LedgerEntry last = ext.entries().get(ext.entries().size() - 1);
            return new ChainExtension(
                ext.entries(),
                new Checkpoint(last.seq(), last.entryHash(), micros, TestEntries.bytes(64)));
          });
    }

    Optional<Checkpoint> last = store.snapshot(LedgerReader::lastCheckpoint);

    assertThat(last).map(Checkpoint::seq).contains(6L);
    assertThat(last).map(Checkpoint::createdAtMicros).contains(3000L);
  }

  @Test
  void append_extenderFails_storesNothing() {
    store.append(List.of(aPendingEntry()), numbering());

    assertThatThrownBy(
            () ->
                store.append(
                    List.of(aPendingEntry(), aPendingEntry()),
                    (head, fresh) -> {
                      throw new IllegalStateException("boom");
                    }))
        .isInstanceOf(IllegalStateException.class);

    assertOnlyEntries(1);
  }

  @Test
  void append_duplicateSeqFromExtender_rollsBackWholeBatch() {
    store.append(List.of(aPendingEntry()), numbering());

    assertThatThrownBy(
            () ->
                store.append(
                    List.of(aPendingEntry(), aPendingEntry()),
                    (head, fresh) -> {
                      ChainExtension ext = numbering().extend(head, fresh);
                      LedgerEntry clash = ext.entries().get(0).withSeq(1);
                      return new ChainExtension(List.of(ext.entries().get(1), clash), null);
                    }))
        .isInstanceOf(RuntimeException.class);

    assertOnlyEntries(1);
  }

  @Test
  void append_sameKeySameRequest_replaysOriginalAndStoresNothing() {
    List<AppendOutcome> first = store.append(List.of(aPendingEntry(key("k1", 1))), numbering());
    LedgerEntry original = ((AppendOutcome.Appended) first.get(0)).entry();

    List<AppendOutcome> again = store.append(List.of(aPendingEntry(key("k1", 1))), numbering());

    assertThat(again.get(0)).isInstanceOf(AppendOutcome.Replayed.class);
    LedgerEntry replayed = ((AppendOutcome.Replayed) again.get(0)).entry();
    assertThat(replayed.txId()).isEqualTo(original.txId());
    assertThat(replayed.mac()).isEqualTo(original.mac());
    assertThat(store.head().orElseThrow().seq()).isEqualTo(1);
  }

  @Test
  void append_sameKeyDifferentRequest_conflictsAndStoresNothing() {
    store.append(List.of(aPendingEntry(key("k1", 1))), numbering());

    List<AppendOutcome> again =
        store.append(List.of(aPendingEntry(key("k1", 2)), aPendingEntry()), numbering());

    assertThat(again.get(0)).isEqualTo(new AppendOutcome.Conflict("k1"));
    assertThat(again.get(1)).isInstanceOf(AppendOutcome.Appended.class);
    assertThat(store.head().orElseThrow().seq()).isEqualTo(2);
  }

  @Test
  void append_sameKeyTwiceInOneBatch_secondReplaysFirstOrConflicts() {
    List<AppendOutcome> outcomes =
        store.append(
            List.of(
                aPendingEntry(key("k", 1)), aPendingEntry(key("k", 1)), aPendingEntry(key("k", 2))),
            numbering());

    assertThat(outcomes.get(0)).isInstanceOf(AppendOutcome.Appended.class);
    assertThat(outcomes.get(1)).isInstanceOf(AppendOutcome.Replayed.class);
    assertThat(((AppendOutcome.Replayed) outcomes.get(1)).entry().txId())
        .isEqualTo(((AppendOutcome.Appended) outcomes.get(0)).entry().txId());
    assertThat(outcomes.get(2)).isEqualTo(new AppendOutcome.Conflict("k"));
    assertThat(store.head().orElseThrow().seq()).isEqualTo(1);
  }

  @Test
  void append_keyOlderThanRetention_isFreeAgain() {
    store.append(List.of(aPendingEntry(key("old", 1))), numbering());
    clock.advance(Duration.ofHours(2));

    List<AppendOutcome> outcomes = store.append(List.of(aPendingEntry(key("old", 2))), numbering());

    assertThat(outcomes.get(0)).isInstanceOf(AppendOutcome.Appended.class);
    List<AppendOutcome> replay = store.append(List.of(aPendingEntry(key("old", 2))), numbering());
    assertThat(((AppendOutcome.Replayed) replay.get(0)).entry().seq()).isEqualTo(2);
  }

  @Test
  void append_largeBatchWithKeys_storesEveryColumnAndKey() {
    // Larger than what PostgreSQL sends as one multi-row insert: streamed with COPY there.
    int n = SqlLedgerStore.ONE_REQUEST_ROWS * 3 + 7;
    List<PendingEntry> batch = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      batch.add(aPendingEntry(i % 2 == 0 ? key("bulk-" + i, 1) : null));
    }

    List<AppendOutcome> outcomes = store.append(batch, numbering());

    assertThat(outcomes).hasSize(n).allMatch(o -> o instanceof AppendOutcome.Appended);
    List<LedgerEntry> all = new ArrayList<>();
    store.scan(1, all::add);
    assertThat(all).hasSize(n);
    for (int i = 0; i < n; i++) {
      LedgerEntry stored = all.get(i);
      PendingEntry sent = batch.get(i);
      assertThat(stored.seq()).isEqualTo(i + 1);
      assertThat(stored.txId()).isEqualTo(sent.txId());
      assertThat(stored.createdAtMicros()).isEqualTo(sent.createdAtMicros());
      assertThat(stored.userIndex()).isEqualTo(sent.userIndex());
      assertThat(stored.macKeyId()).isEqualTo(sent.macKeyId());
      assertThat(stored.aeadKeyId()).isEqualTo(sent.aeadKeyId());
      assertThat(stored.ciphertext()).isEqualTo(sent.ciphertext());
      assertThat(stored.mac()).isEqualTo(sent.mac());
      assertThat(stored.entryHash())
          .isEqualTo(((AppendOutcome.Appended) outcomes.get(i)).entry().entryHash());
    }
    List<PendingEntry> again = new ArrayList<>();
    for (int i = 0; i < n; i += 2) {
      again.add(aPendingEntry(key("bulk-" + i, i == 0 ? 2 : 1)));
    }
    List<AppendOutcome> replays = store.append(again, numbering());
    assertThat(replays.get(0)).isEqualTo(new AppendOutcome.Conflict("bulk-0"));
    for (int k = 1; k < again.size(); k++) {
      String original = batch.get(2 * k).txId();
      assertThat(replays.get(k))
          .isInstanceOfSatisfying(
              AppendOutcome.Replayed.class, r -> assertThat(r.entry().txId()).isEqualTo(original));
    }
    assertOnlyEntries(n);
  }

  @Test
  void append_keysScatteredAmongManyOthers_stillFoundEachOne() {
    // Stored keys a..z with many keys between them: a range read would return far more rows than
    // the batch asks about, so the store has to look them up by list.
    List<PendingEntry> filler = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      filler.add(aPendingEntry(key(String.format("m-%04d", i), 1)));
    }
    store.append(filler, numbering());
    List<AppendOutcome> ends =
        store.append(
            List.of(aPendingEntry(key("a-first", 1)), aPendingEntry(key("z-last", 1))),
            numbering());

    List<AppendOutcome> outcomes =
        store.append(
            List.of(
                aPendingEntry(key("a-first", 1)),
                aPendingEntry(key("z-last", 2)),
                aPendingEntry(key("n-new", 1))),
            numbering());

    assertThat(outcomes.get(0))
        .isInstanceOfSatisfying(
            AppendOutcome.Replayed.class,
            r ->
                assertThat(r.entry().seq())
                    .isEqualTo(((AppendOutcome.Appended) ends.get(0)).entry().seq()));
    assertThat(outcomes.get(1)).isEqualTo(new AppendOutcome.Conflict("z-last"));
    assertThat(outcomes.get(2)).isInstanceOf(AppendOutcome.Appended.class);
    assertOnlyEntries(303);
  }

  @Test
  void append_replaysOfFarApartEntries_eachGetsItsOwnEntry() {
    store.append(List.of(aPendingEntry(key("early", 1))), numbering());
    List<PendingEntry> middle = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      middle.add(aPendingEntry());
    }
    store.append(middle, numbering());
    store.append(List.of(aPendingEntry(key("late", 1))), numbering());

    List<AppendOutcome> replays =
        store.append(
            List.of(aPendingEntry(key("late", 1)), aPendingEntry(key("early", 1))), numbering());

    assertThat(((AppendOutcome.Replayed) replays.get(0)).entry().seq()).isEqualTo(102);
    assertThat(((AppendOutcome.Replayed) replays.get(1)).entry().seq()).isEqualTo(1);
  }

  /** A clock that stands still until a test moves it. */
  static final class MutableClock extends Clock {
    private volatile Instant now;

    MutableClock(Instant now) {
      this.now = now;
    }

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  private void assertOnlyEntries(long count) {
    assertThat(store.head().orElseThrow().seq()).isEqualTo(count);
    List<LedgerEntry> all = new ArrayList<>();
    store.scan(1, all::add);
    assertThat(all).hasSize((int) count);
  }
}
