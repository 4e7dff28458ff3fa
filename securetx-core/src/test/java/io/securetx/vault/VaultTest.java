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
}
