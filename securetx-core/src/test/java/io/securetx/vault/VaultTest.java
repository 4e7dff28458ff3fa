package io.securetx.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.securetx.crypto.tink.TinkKeyRing;
import io.securetx.ledger.InMemoryLedgerStore;
import io.securetx.ledger.LedgerEntry;
import io.securetx.ledger.LedgerIntegrityException;
import io.securetx.ledger.LedgerOptions;
import io.securetx.ledger.VerificationSummary;
import io.securetx.transaction.IdempotencyKey;
import io.securetx.transaction.Money;
import io.securetx.transaction.TransactionId;
import io.securetx.transaction.TransactionLimits;
import io.securetx.transaction.UserId;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Currency;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class VaultTest {

  private static final Instant NOW = Instant.parse("2024-05-01T10:00:00.123456Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  private static final Currency USD = Currency.getInstance("USD");

  private TinkKeyRing ring;
  private InMemoryLedgerStore store;
  private Vault vault;

  @BeforeEach
  void setUp() {
    ring = TinkKeyRing.generate();
    store = new InMemoryLedgerStore();
    vault = open(ring);
  }

  @AfterEach
  void tearDown() {
    vault.close();
  }

  private Vault open(TinkKeyRing keys) {
    return new Vault(keys, store, CLOCK, LedgerOptions.DEFAULT);
  }

  private static TransactionRequest request(
      String user, String amount, @Nullable String idempotencyKey) {
    return new TransactionRequest(
        new UserId(user),
        Money.parse(amount, USD, TransactionLimits.DEFAULT),
        idempotencyKey == null ? null : new IdempotencyKey(idempotencyKey));
  }

  @Test
  void process_validRequest_successReceiptAtSeqOne() {
    Receipt receipt = vault.process(request("alice", "100.00", null));

    assertThat(receipt.status()).isEqualTo("success");
    assertThat(receipt.txId()).startsWith("tx_");
    assertThat(TransactionId.parse(receipt.txId()).epochMillis()).isEqualTo(NOW.toEpochMilli());
    assertThat(receipt.ledgerSeq()).isEqualTo(1);
    assertThat(receipt.createdAt()).isEqualTo(NOW);
    assertThat(receipt.replayed()).isFalse();
    assertThat(receipt.signature()).matches("[0-9a-f]{74}"); // Tink prefix + 32-byte HMAC
  }

  @Test
  void recent_emptyVault_isEmpty_andStatusIsZero() throws LedgerIntegrityException {
    assertThat(vault.recent(10)).isEmpty();
    VaultStatus status = vault.status();
    assertThat(status.entries()).isZero();
    assertThat(status.lastCheckpointSeq()).isZero();
    assertThat(status.lastCheckpointAt()).isNull();
  }

  @Test
  void recent_newestFirst_limited() throws LedgerIntegrityException {
    for (int i = 1; i <= 5; i++) {
      vault.process(request("user-" + i, i + ".00", null));
    }

    List<VerifiedTransaction> recent = vault.recent(3);

    assertThat(recent).extracting(VerifiedTransaction::ledgerSeq).containsExactly(5L, 4L, 3L);
    assertThat(recent)
        .extracting(t -> t.transaction().userId().value())
        .containsExactly("user-5", "user-4", "user-3");
    assertThat(vault.status().entries()).isEqualTo(5);
  }

  @Test
  void recent_limitOutOfRange_throws() {
    assertThatThrownBy(() -> vault.recent(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> vault.recent(Vault.MAX_RECENT + 1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void show_processedTransaction_returnsSameUserAndAmount() throws LedgerIntegrityException {
    Receipt receipt = vault.process(request("用户-Zoë", "12.34", null));

    VerifiedTransaction shown = vault.show(TransactionId.parse(receipt.txId())).orElseThrow();

    assertThat(shown.transaction().userId().value()).isEqualTo("用户-Zoë");
    assertThat(shown.transaction().amount().minorUnits()).isEqualTo(1234);
    assertThat(shown.transaction().amount().currency()).isEqualTo(USD);
    assertThat(shown.transaction().createdAt()).isEqualTo(NOW);
    assertThat(shown.transaction().id().toString()).isEqualTo(receipt.txId());
    assertThat(shown.ledgerSeq()).isEqualTo(1);
    assertThat(shown.signature()).isEqualTo(receipt.signature());
  }

  @Test
  void show_unknownId_empty() throws LedgerIntegrityException {
    vault.process(request("alice", "1.00", null));

    assertThat(vault.show(TransactionId.parse("tx_01890a5d-ac96-774b-bcce-b302099a8057")))
        .isEmpty();
  }

  @Test
  void verify_afterProcessing_passesWithRecordsOpened() throws LedgerIntegrityException {
    for (int i = 1; i <= 5; i++) {
      vault.process(request("user-" + i, i + ".00", null));
    }

    VerificationSummary summary = vault.verify();

    assertThat(summary.entries()).isEqualTo(5);
    assertThat(summary.recordsOpened()).isTrue();
    assertThat(summary.checkpoints()).isPositive();
  }

  @Test
  void process_sameKeySameRequest_replayedReceipt() {
    Receipt first = vault.process(request("alice", "5.00", "order-1"));

    Receipt again = vault.process(request("alice", "5.00", "order-1"));

    assertThat(again.replayed()).isTrue();
    assertThat(again.txId()).isEqualTo(first.txId());
    assertThat(again.ledgerSeq()).isEqualTo(first.ledgerSeq());
    assertThat(store.entries()).hasSize(1);
  }

  @Test
  void process_sameKeyDifferentRequest_conflictNamingKey() {
    vault.process(request("alice", "5.00", "order-1"));

    assertThatThrownBy(() -> vault.process(request("alice", "5.01", "order-1")))
        .isInstanceOf(IdempotencyConflictException.class)
        .hasMessageContaining("order-1");
    assertThat(store.entries()).hasSize(1);
  }

  @Test
  void show_tamperedRecord_throwsIntegrityException() {
    Receipt receipt = vault.process(request("alice", "5.00", null));
    store.replaceEntry(
        1,
        e ->
            new LedgerEntry(
                e.seq(),
                e.txId(),
                e.createdAtMicros(),
                e.userIndex(),
                e.macKeyId(),
                e.aeadKeyId(),
                InMemoryLedgerStore.flipped(e.ciphertext(), 25, 1),
                e.mac(),
                e.entryHash()));

    assertThatThrownBy(() -> vault.show(TransactionId.parse(receipt.txId())))
        .isInstanceOfSatisfying(
            LedgerIntegrityException.class, e -> assertThat(e.seq()).isEqualTo(1));
  }

  @Test
  void rotatedRing_oldRecordsStillShowAndVerify_newRecordsUseNewKeys()
      throws LedgerIntegrityException {
    Receipt old = vault.process(request("alice", "10.00", null));
    VerifiedTransaction oldShown = vault.show(TransactionId.parse(old.txId())).orElseThrow();
    vault.close();

    vault = open(ring.rotate());
    Receipt fresh = vault.process(request("bob", "20.00", null));

    VerifiedTransaction oldAgain = vault.show(TransactionId.parse(old.txId())).orElseThrow();
    VerifiedTransaction freshShown = vault.show(TransactionId.parse(fresh.txId())).orElseThrow();
    assertThat(oldAgain.transaction()).isEqualTo(oldShown.transaction());
    assertThat(oldAgain.macKeyId()).isEqualTo(oldShown.macKeyId());
    assertThat(fresh.ledgerSeq()).isEqualTo(2);
    assertThat(freshShown.transaction().userId().value()).isEqualTo("bob");
    assertThat(freshShown.macKeyId()).isNotEqualTo(oldShown.macKeyId());
    assertThat(freshShown.aeadKeyId()).isNotEqualTo(oldShown.aeadKeyId());
    VerificationSummary summary = vault.verify();
    assertThat(summary.entries()).isEqualTo(2);
    assertThat(summary.recordsOpened()).isTrue();
  }

  @Test
  void sealThenAppend_batches_outcomesInOrderAndChainFollowsBatches() throws Exception {
    SealedBatch first =
        vault.seal(List.of(request("alice", "1.00", null), request("bob", "2.00", "k-1")));
    SealedBatch second =
        vault.seal(
            List.of(
                request("bob", "2.00", "k-1"), // same key, same request: replayed
                request("carol", "3.00", "k-1"), // same key, other request: conflict
                request("dave", "4.00", null)));

    List<Outcome> a = vault.append(first).get(30, TimeUnit.SECONDS);
    List<Outcome> b = vault.append(second).get(30, TimeUnit.SECONDS);

    assertThat(first.size()).isEqualTo(2);
    assertThat(a).allSatisfy(o -> assertThat(o).isInstanceOf(Outcome.Processed.class));
    Receipt alice = ((Outcome.Processed) a.get(0)).receipt();
    Receipt bob = ((Outcome.Processed) a.get(1)).receipt();
    assertThat(alice.ledgerSeq()).isEqualTo(1);
    assertThat(bob.ledgerSeq()).isEqualTo(2);
    assertThat(alice.replayed()).isFalse();
    Outcome.Processed replay = (Outcome.Processed) b.get(0);
    assertThat(replay.replayed()).isTrue();
    assertThat(replay.receipt())
        .isEqualTo(
            new Receipt(bob.txId(), bob.signature(), bob.ledgerSeq(), bob.createdAt(), true));
    assertThat(b.get(1))
        .isInstanceOfSatisfying(
            Outcome.Conflict.class, c -> assertThat(c.idempotencyKey()).isEqualTo("k-1"));
    Receipt dave = ((Outcome.Processed) b.get(2)).receipt();
    assertThat(dave.ledgerSeq()).isEqualTo(3);
    assertThat(store.entries()).hasSize(3);
    assertThat(vault.verify().entries()).isEqualTo(3);
    assertThat(vault.show(TransactionId.parse(dave.txId())).orElseThrow().transaction().userId())
        .isEqualTo(new UserId("dave"));
  }

  @Test
  void seal_empty_refused() {
    assertThatThrownBy(() -> vault.seal(List.of())).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void receiptFields_replayed_onlyThenCarriesReplayed() {
    Receipt receipt = vault.process(request("alice", "100.00", "k-9"));
    Receipt again = vault.process(request("alice", "100.00", "k-9"));

    assertThat(receipt.fields())
        .containsExactly(
            java.util.Map.entry("status", "success"),
            java.util.Map.entry("tx_id", receipt.txId()),
            java.util.Map.entry("signature", receipt.signature()),
            java.util.Map.entry("ledger_seq", 1L),
            java.util.Map.entry("created_at", "2024-05-01T10:00:00.123456Z"));
    assertThat(again.fields()).containsEntry("replayed", true).hasSize(6);
  }

  @Test
  void process_manyIds_allDistinctAndVersion7() {
    // More ids than one block of buffered randomness serves, all in one millisecond.
    java.util.Set<String> txIds = new java.util.HashSet<>();
    for (int i = 0; i < 1000; i++) {
      txIds.add(vault.process(request("alice", "1.00", null)).txId());
    }
    assertThat(txIds).hasSize(1000);
    assertThat(txIds).allSatisfy(id -> TransactionId.parse(id));
  }
}
