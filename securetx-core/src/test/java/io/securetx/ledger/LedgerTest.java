package io.securetx.ledger;

import static io.securetx.ledger.PendingEntries.aPendingEntry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.securetx.crypto.tink.TinkKeyRing;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LedgerTest {

  private static final TinkKeyRing KEYS = TinkKeyRing.generate();
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2024-05-01T10:00:00.123456Z"), ZoneOffset.UTC);

  private InMemoryLedgerStore store;
  private Ledger ledger;
  private ExecutorService pool;

  @BeforeEach
  void setUp() {
    store = new InMemoryLedgerStore();
    ledger = new Ledger(store, KEYS.checkpointSigner(), CLOCK, LedgerOptions.DEFAULT);
    pool = Executors.newFixedThreadPool(16);
  }

  @AfterEach
  void tearDown() throws InterruptedException {
    pool.shutdownNow();
    assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    ledger.close();
  }

  private static PendingEntry.Idempotency idempotency(String key, String request) {
    return new PendingEntry.Idempotency(key, request.getBytes(StandardCharsets.UTF_8));
  }

  private static long seqOf(AppendOutcome outcome) {
    assertThat(outcome).isInstanceOf(AppendOutcome.Appended.class);
    return ((AppendOutcome.Appended) outcome).entry().seq();
  }

  @Test
  void append_16ThreadsTimes200_seqsOneTo3200WithoutGapAndChainVerifies() throws Exception {
    int threads = 16;
    int perThread = 200;
    CountDownLatch start = new CountDownLatch(1);
    List<Future<List<Long>>> results = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      String user = "user-" + t;
      results.add(
          pool.submit(
              () -> {
                List<Long> seqs = new ArrayList<>();
                start.await();
                for (int i = 1; i <= perThread; i++) {
                  seqs.add(seqOf(ledger.append(aPendingEntry(KEYS, CLOCK, user, i))));
                }
                return seqs;
              }));
    }
    start.countDown();
    List<Long> all = new ArrayList<>();
    for (Future<List<Long>> result : results) {
      List<Long> seqs = result.get(60, TimeUnit.SECONDS);
      assertThat(seqs).isSorted(); // one thread's appends keep their order
      all.addAll(seqs);
    }
    Collections.sort(all);

    assertThat(all).containsExactlyElementsOf(LongStream.rangeClosed(1, 3200).boxed().toList());
    assertThat(store.head().orElseThrow().seq()).isEqualTo(3200);
    assertThat(store.batchSizes().stream().mapToInt(Integer::intValue).sum()).isEqualTo(3200);
    VerificationSummary chainOnly =
        new ChainVerifier(KEYS.checkpointSigner().verifier(), null).verify(store);
    assertThat(chainOnly.entries()).isEqualTo(3200);
    assertThat(chainOnly.checkpoints()).isPositive();
    VerificationSummary opened =
        new ChainVerifier(KEYS.checkpointSigner().verifier(), new EntryOpener(KEYS)).verify(store);
    assertThat(opened.entries()).isEqualTo(3200);
    assertThat(opened.recordsOpened()).isTrue();
  }

  @Test
  void submit_manyWhileFirstCommitBlocked_committedTogetherInOneBatch() throws Exception {
    CountDownLatch firstEntered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicBoolean first = new AtomicBoolean(true);
    store.beforeAppend(
        batch -> {
          if (first.getAndSet(false)) {
            firstEntered.countDown();
            try {
              assertThat(release.await(30, TimeUnit.SECONDS)).isTrue();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              throw new LedgerStoreException("interrupted", e);
            }
          }
        });
    CompletableFuture<AppendOutcome> blocked =
        ledger.submit(aPendingEntry(KEYS, CLOCK, "first", 1));
    assertThat(firstEntered.await(30, TimeUnit.SECONDS)).isTrue();

    // 15 concurrent submitters; each submit returns once its entry is queued.
    List<Future<CompletableFuture<AppendOutcome>>> submissions = new ArrayList<>();
    for (int i = 0; i < 15; i++) {
      long amount = i + 2;
      submissions.add(
          pool.submit(() -> ledger.submit(aPendingEntry(KEYS, CLOCK, "queued", amount))));
    }
    List<CompletableFuture<AppendOutcome>> queued = new ArrayList<>();
    for (Future<CompletableFuture<AppendOutcome>> submission : submissions) {
      queued.add(submission.get(30, TimeUnit.SECONDS));
    }
    assertThat(queued).noneMatch(CompletableFuture::isDone);
    release.countDown();

    assertThat(seqOf(blocked.get(30, TimeUnit.SECONDS))).isEqualTo(1);
    List<Long> seqs = new ArrayList<>();
    for (CompletableFuture<AppendOutcome> future : queued) {
      seqs.add(seqOf(future.get(30, TimeUnit.SECONDS)));
    }
    assertThat(seqs)
        .containsExactlyInAnyOrderElementsOf(LongStream.rangeClosed(2, 16).boxed().toList());
    assertThat(store.batchSizes()).containsExactly(1, 15);
    assertThat(Collections.max(store.batchSizes())).isGreaterThan(1);
    new ChainVerifier(KEYS.checkpointSigner().verifier(), new EntryOpener(KEYS)).verify(store);
  }

  @Test
  void append_sameKeySameRequest_replaysOriginalEntryAndStoresNothing() {
    PendingEntry original = aPendingEntry(KEYS, CLOCK, "alice", 500, idempotency("k-1", "req-A"));
    LedgerEntry stored = ((AppendOutcome.Appended) ledger.append(original)).entry();

    AppendOutcome retry =
        ledger.append(aPendingEntry(KEYS, CLOCK, "alice", 500, idempotency("k-1", "req-A")));

    assertThat(retry).isInstanceOf(AppendOutcome.Replayed.class);
    LedgerEntry replayed = ((AppendOutcome.Replayed) retry).entry();
    assertThat(replayed.seq()).isEqualTo(stored.seq()).isEqualTo(1);
    assertThat(replayed.txId()).isEqualTo(original.txId());
    assertThat(replayed.entryHash()).isEqualTo(stored.entryHash());
    assertThat(store.entries()).hasSize(1);
    assertThat(store.head().orElseThrow().seq()).isEqualTo(1);
  }

  @Test
  void append_sameKeyDifferentRequest_conflictAndStoresNothing() {
    ledger.append(aPendingEntry(KEYS, CLOCK, "alice", 500, idempotency("k-1", "req-A")));

    AppendOutcome other =
        ledger.append(aPendingEntry(KEYS, CLOCK, "alice", 999, idempotency("k-1", "req-B")));

    assertThat(other).isEqualTo(new AppendOutcome.Conflict("k-1"));
    assertThat(store.entries()).hasSize(1);
    assertThat(store.head().orElseThrow().seq()).isEqualTo(1);
  }

  @Test
  void append_sameKeyTwiceInOneBatch_secondReplaysFirstAndThirdConflicts() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch entered = new CountDownLatch(1);
    AtomicBoolean first = new AtomicBoolean(true);
    store.beforeAppend(
        batch -> {
          if (first.getAndSet(false)) {
            entered.countDown();
            try {
              assertThat(release.await(30, TimeUnit.SECONDS)).isTrue();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
        });
    CompletableFuture<AppendOutcome> warmUp = ledger.submit(aPendingEntry(KEYS, CLOCK, "w", 1));
    assertThat(entered.await(30, TimeUnit.SECONDS)).isTrue();
    CompletableFuture<AppendOutcome> a =
        ledger.submit(aPendingEntry(KEYS, CLOCK, "alice", 5, idempotency("dup", "req-A")));
    CompletableFuture<AppendOutcome> b =
        ledger.submit(aPendingEntry(KEYS, CLOCK, "alice", 5, idempotency("dup", "req-A")));
    CompletableFuture<AppendOutcome> c =
        ledger.submit(aPendingEntry(KEYS, CLOCK, "alice", 6, idempotency("dup", "req-C")));
    release.countDown();

    warmUp.get(30, TimeUnit.SECONDS);
    LedgerEntry appended = ((AppendOutcome.Appended) a.get(30, TimeUnit.SECONDS)).entry();
    assertThat(b.get(30, TimeUnit.SECONDS))
        .isInstanceOfSatisfying(
            AppendOutcome.Replayed.class,
            r -> assertThat(r.entry().seq()).isEqualTo(appended.seq()));
    assertThat(c.get(30, TimeUnit.SECONDS)).isEqualTo(new AppendOutcome.Conflict("dup"));
    assertThat(store.batchSizes()).containsExactly(1, 3);
    assertThat(store.entries()).hasSize(2);
  }

  @Test
  void append_storeFails_futureFailsAndNothingStored() {
    store.beforeAppend(
        batch -> {
          throw new LedgerStoreException("disk full");
        });

    assertThatThrownBy(() -> ledger.append(aPendingEntry(KEYS, CLOCK, "alice", 1)))
        .isInstanceOf(LedgerStoreException.class)
        .hasMessage("disk full");
    assertThat(store.entries()).isEmpty();
    assertThat(store.head().orElseThrow().seq()).isZero();
  }

  @Test
  void append_checkpointEveryFour_checkpointsAtOneFiveNine() throws LedgerIntegrityException {
    ledger.close();
    ledger =
        new Ledger(
            store, KEYS.checkpointSigner(), CLOCK, new LedgerOptions(16, 4, Duration.ofHours(1)));

    for (int i = 1; i <= 10; i++) {
      ledger.append(aPendingEntry(KEYS, CLOCK, "alice", i));
    }

    // The first batch is always checkpointed: no checkpoint existed, so the interval has passed.
    assertThat(store.checkpoints()).extracting(Checkpoint::seq).containsExactly(1L, 5L, 9L);
    ChainHead head = store.head().orElseThrow();
    assertThat(head.lastCheckpointSeq()).isEqualTo(9);
    assertThat(head.lastCheckpointMicros()).isEqualTo(1_714_557_600_123_456L);
    VerificationSummary summary =
        new ChainVerifier(KEYS.checkpointSigner().verifier(), null).verify(store);
    assertThat(summary.checkpoints()).isEqualTo(3);
    assertThat(summary.lastCheckpointSeq()).isEqualTo(9);
  }

  @Test
  void close_afterSubmits_commitsThemThenRefusesNewOnes() throws Exception {
    List<CompletableFuture<AppendOutcome>> futures = new ArrayList<>();
    for (int i = 1; i <= 20; i++) {
      futures.add(ledger.submit(aPendingEntry(KEYS, CLOCK, "alice", i)));
    }

    ledger.close();

    assertThat(futures).allMatch(f -> f.isDone() && !f.isCompletedExceptionally());
    assertThat(store.head().orElseThrow().seq()).isEqualTo(20);
    assertThatThrownBy(() -> ledger.submit(aPendingEntry(KEYS, CLOCK, "alice", 1)))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void submit_racingClose_everyReturnedFutureCompletes() throws Exception {
    List<CompletableFuture<AppendOutcome>> futures =
        Collections.synchronizedList(new ArrayList<>());
    CountDownLatch start = new CountDownLatch(1);
    List<Future<?>> submitters = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      String user = "user-" + t;
      submitters.add(
          pool.submit(
              () -> {
                start.await();
                for (int i = 1; i <= 500; i++) {
                  try {
                    futures.add(ledger.submit(aPendingEntry(KEYS, CLOCK, user, i)));
                  } catch (IllegalStateException closed) {
                    return null;
                  }
                }
                return null;
              }));
    }
    start.countDown();
    while (futures.size() < 100) {
      Thread.onSpinWait();
    }

    ledger.close();
    for (Future<?> submitter : submitters) {
      submitter.get(30, TimeUnit.SECONDS);
    }

    assertThat(futures).isNotEmpty().allMatch(CompletableFuture::isDone);
    long committed = futures.stream().filter(f -> !f.isCompletedExceptionally()).count();
    assertThat(store.head().orElseThrow().seq()).isEqualTo(committed);
  }

  @Test
  void submitAll_groupsWhileFirstCommitBlocked_keptTogetherInOrderUpToMaxBatch() throws Exception {
    ledger.close();
    ledger =
        new Ledger(
            store, KEYS.checkpointSigner(), CLOCK, new LedgerOptions(8, 1000, Duration.ofHours(1)));
    CountDownLatch firstEntered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicBoolean first = new AtomicBoolean(true);
    store.beforeAppend(
        batch -> {
          if (first.getAndSet(false)) {
            firstEntered.countDown();
            try {
              assertThat(release.await(30, TimeUnit.SECONDS)).isTrue();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
        });
    CompletableFuture<AppendOutcome> blocked =
        ledger.submit(aPendingEntry(KEYS, CLOCK, "first", 1));
    assertThat(firstEntered.await(30, TimeUnit.SECONDS)).isTrue();
    List<PendingEntry> groupA = group("a", 3);
    List<PendingEntry> groupB = group("b", 4);
    List<PendingEntry> groupC = group("c", 3); // would pass 8 with A and B: next batch
    List<PendingEntry> groupD = group("d", 12); // larger than maxBatch: a batch of its own
    CompletableFuture<List<AppendOutcome>> a = ledger.submitAll(groupA);
    CompletableFuture<List<AppendOutcome>> b = ledger.submitAll(groupB);
    CompletableFuture<List<AppendOutcome>> c = ledger.submitAll(groupC);
    CompletableFuture<List<AppendOutcome>> d = ledger.submitAll(groupD);
    release.countDown();

    assertThat(seqOf(blocked.get(30, TimeUnit.SECONDS))).isEqualTo(1);
    assertThat(seqs(a.get(30, TimeUnit.SECONDS))).containsExactly(2L, 3L, 4L);
    assertThat(seqs(b.get(30, TimeUnit.SECONDS))).containsExactly(5L, 6L, 7L, 8L);
    assertThat(seqs(c.get(30, TimeUnit.SECONDS))).containsExactly(9L, 10L, 11L);
    assertThat(seqs(d.get(30, TimeUnit.SECONDS)))
        .containsExactlyElementsOf(LongStream.rangeClosed(12, 23).boxed().toList());
    assertThat(store.batchSizes()).containsExactly(1, 7, 3, 12);
    assertThat(store.entries())
        .extracting(LedgerEntry::txId)
        .containsExactlyElementsOf(
            java.util.stream.Stream.of(
                    List.of(store.entries().get(0).txId()),
                    txIds(groupA),
                    txIds(groupB),
                    txIds(groupC),
                    txIds(groupD))
                .flatMap(List::stream)
                .toList());
  }

  @Test
  void submitAll_storeFails_wholeGroupFailsAndNothingStored() {
    store.beforeAppend(
        batch -> {
          throw new LedgerStoreException("disk full");
        });

    CompletableFuture<List<AppendOutcome>> result = ledger.submitAll(group("a", 5));

    assertThatThrownBy(() -> result.get(30, TimeUnit.SECONDS))
        .hasCauseInstanceOf(LedgerStoreException.class);
    assertThat(store.entries()).isEmpty();
  }

  @Test
  void submitAll_empty_refused() {
    assertThatThrownBy(() -> ledger.submitAll(List.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static List<PendingEntry> group(String user, int size) {
    List<PendingEntry> entries = new ArrayList<>();
    for (int i = 1; i <= size; i++) {
      entries.add(aPendingEntry(KEYS, CLOCK, user, i));
    }
    return entries;
  }

  private static List<String> txIds(List<PendingEntry> entries) {
    return entries.stream().map(PendingEntry::txId).toList();
  }

  private static List<Long> seqs(List<AppendOutcome> outcomes) {
    return outcomes.stream().map(LedgerTest::seqOf).toList();
  }
}
