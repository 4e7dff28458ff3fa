package io.securetx.ledger;

import static io.securetx.ledger.InMemoryLedgerStore.flipped;
import static io.securetx.ledger.PendingEntries.aPendingEntry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.securetx.crypto.CheckpointVerifier;
import io.securetx.crypto.tink.TinkKeyRing;
import io.securetx.ledger.LedgerIntegrityException.Reason;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A ledger of 10 genuine entries with checkpoints at seq 1, 5 and 9, tampered the ways a person
 * with write access to the store could.
 */
class ChainVerifierTest {

  private static final TinkKeyRing KEYS = TinkKeyRing.generate();
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2024-05-01T10:00:00Z"), ZoneOffset.UTC);
  private static final long ENTRIES = 10;

  private InMemoryLedgerStore store;

  @BeforeEach
  void setUp() {
    store = new InMemoryLedgerStore();
    try (Ledger ledger =
        new Ledger(
            store, KEYS.checkpointSigner(), CLOCK, new LedgerOptions(16, 4, Duration.ofHours(1)))) {
      for (int i = 1; i <= ENTRIES; i++) {
        ledger.append(aPendingEntry(KEYS, CLOCK, "user-" + (i % 3), 100L * i));
      }
    }
    assertThat(store.checkpoints()).extracting(Checkpoint::seq).containsExactly(1L, 5L, 9L);
  }

  private static ChainVerifier publicOnly() {
    CheckpointVerifier verifier =
        TinkKeyRing.checkpointVerifierFromPublicKeyset(KEYS.exportCheckpointPublicKeyset());
    return new ChainVerifier(verifier, null);
  }

  private static ChainVerifier withOpener() {
    return new ChainVerifier(KEYS.checkpointSigner().verifier(), new EntryOpener(KEYS));
  }

  private void assertFails(ChainVerifier verifier, long seq, Reason reason) {
    assertThatThrownBy(() -> verifier.verify(store))
        .isInstanceOfSatisfying(
            LedgerIntegrityException.class,
            e -> {
              assertThat(e.reason()).as("reason").isEqualTo(reason);
              assertThat(e.seq()).as("seq").isEqualTo(seq);
              assertThat(e).hasMessageContaining("seq " + seq).hasMessageContaining(reason.name());
            });
  }

  private static LedgerEntry copy(
      LedgerEntry e,
      @Nullable String txId,
      @Nullable Long micros,
      byte @Nullable [] userIndex,
      @Nullable Long macKeyId,
      @Nullable Long aeadKeyId,
      byte @Nullable [] ciphertext,
      byte @Nullable [] mac,
      byte @Nullable [] hash) {
    return new LedgerEntry(
        e.seq(),
        txId != null ? txId : e.txId(),
        micros != null ? micros : e.createdAtMicros(),
        userIndex != null ? userIndex : e.userIndex(),
        macKeyId != null ? macKeyId : e.macKeyId(),
        aeadKeyId != null ? aeadKeyId : e.aeadKeyId(),
        ciphertext != null ? ciphertext : e.ciphertext(),
        mac != null ? mac : e.mac(),
        hash != null ? hash : e.entryHash());
  }

  private static final String OTHER_TX_ID = "tx_01890a5d-ac96-774b-bcce-b302099a8057";

  static Stream<Arguments> columnChanges() {
    return Stream.<Arguments>of(
        Arguments.of(
            "tx_id", change(e -> copy(e, OTHER_TX_ID, null, null, null, null, null, null, null))),
        Arguments.of(
            "created_at",
            change(
                e -> copy(e, null, e.createdAtMicros() + 1, null, null, null, null, null, null))),
        Arguments.of(
            "user_index",
            change(
                e ->
                    copy(
                        e,
                        null,
                        null,
                        flipped(e.userIndex(), 0, 1),
                        null,
                        null,
                        null,
                        null,
                        null))),
        Arguments.of(
            "mac_key_id",
            change(e -> copy(e, null, null, null, e.macKeyId() + 1, null, null, null, null))),
        Arguments.of(
            "aead_key_id",
            change(e -> copy(e, null, null, null, null, e.aeadKeyId() + 1, null, null, null))),
        Arguments.of(
            "ciphertext",
            change(
                e ->
                    copy(
                        e,
                        null,
                        null,
                        null,
                        null,
                        null,
                        flipped(e.ciphertext(), 20, 0x10),
                        null,
                        null))),
        Arguments.of(
            "mac",
            change(
                e -> copy(e, null, null, null, null, null, null, flipped(e.mac(), 10, 1), null))),
        Arguments.of(
            "entry_hash",
            change(
                e ->
                    copy(
                        e,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        flipped(e.entryHash(), 31, 0x80)))));
  }

  private static UnaryOperator<LedgerEntry> change(UnaryOperator<LedgerEntry> change) {
    return change;
  }

  @Test
  void verify_intactLedgerPublicKeyOnly_passes() throws LedgerIntegrityException {
    VerificationSummary summary = publicOnly().verify(store);

    assertThat(summary.entries()).isEqualTo(ENTRIES);
    assertThat(summary.checkpoints()).isEqualTo(3);
    assertThat(summary.lastCheckpointSeq()).isEqualTo(9);
    assertThat(summary.recordsOpened()).isFalse();
    assertThat(summary.headHash())
        .isEqualTo(HexFormat.of().formatHex(store.head().orElseThrow().entryHash()));
  }

  @Test
  void verify_intactLedgerWithOpener_passesAndOpensRecords() throws LedgerIntegrityException {
    VerificationSummary summary = withOpener().verify(store);

    assertThat(summary.entries()).isEqualTo(ENTRIES);
    assertThat(summary.recordsOpened()).isTrue();
  }

  @Test
  void verifyWithVisitor_intactLedger_visitsEveryRecordInOrderWithItsTransaction()
      throws LedgerIntegrityException {
    java.util.List<Long> seqs = new java.util.ArrayList<>();
    java.util.List<Long> amounts = new java.util.ArrayList<>();

    VerificationSummary summary =
        withOpener()
            .verify(
                store,
                (entry, tx) -> {
                  seqs.add(entry.seq());
                  amounts.add(tx.amount().minorUnits());
                  assertThat(tx.id().toString()).isEqualTo(entry.txId());
                });

    assertThat(seqs).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
    assertThat(amounts)
        .containsExactly(100L, 200L, 300L, 400L, 500L, 600L, 700L, 800L, 900L, 1000L);
    assertThat(summary).isEqualTo(withOpener().verify(store));
    assertThat(summary.lastCheckpointAt()).isEqualTo(CLOCK.instant());
  }

  @Test
  void verifyWithVisitor_tamperedEntry_throwsAfterVisitingOnlyTheEntriesBefore() {
    store.replaceEntry(7, e -> e.withEntryHash(flipped(e.entryHash(), 3, 0x10)));
    java.util.List<Long> seqs = new java.util.ArrayList<>();

    assertThatThrownBy(() -> withOpener().verify(store, (entry, tx) -> seqs.add(entry.seq())))
        .isInstanceOfSatisfying(
            LedgerIntegrityException.class,
            e -> {
              assertThat(e.seq()).isEqualTo(7);
              assertThat(e.reason()).isEqualTo(Reason.BROKEN_LINK);
              assertThat(e.detail()).isEqualTo("entry hash does not match its content and link");
            });
    assertThat(seqs).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
  }

  @Test
  void verifyWithVisitor_publicKeyOnly_refused() {
    assertThatThrownBy(() -> publicOnly().verify(store, (entry, tx) -> {}))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void verify_emptyLedger_passesWithGenesisHead() throws LedgerIntegrityException {
    VerificationSummary summary = withOpener().verify(new InMemoryLedgerStore());

    assertThat(summary.entries()).isZero();
    assertThat(summary.checkpoints()).isZero();
    assertThat(summary.headHash()).isEqualTo("00".repeat(32));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("columnChanges")
  void verify_anyColumnChanged_brokenLinkAtThatSeq(
      String column, UnaryOperator<LedgerEntry> change) {
    store.replaceEntry(6, change);

    assertFails(publicOnly(), 6, Reason.BROKEN_LINK);
    assertFails(withOpener(), 6, Reason.BROKEN_LINK);
  }

  @Test
  void verify_ciphertextByteReplacedAndRechained_undecryptableOrCheckpointMismatch() {
    store.replaceEntry(
        6,
        e -> copy(e, null, null, null, null, null, flipped(e.ciphertext(), 30, 0xFF), null, null));
    store.rechainFrom(6);

    assertFails(withOpener(), 6, Reason.UNDECRYPTABLE);
    assertFails(publicOnly(), 9, Reason.CHECKPOINT_MISMATCH);
  }

  @Test
  void verify_macByteReplacedAndRechained_macMismatch() {
    store.replaceEntry(
        6, e -> copy(e, null, null, null, null, null, null, flipped(e.mac(), 36, 0x01), null));
    store.rechainFrom(6);

    assertFails(withOpener(), 6, Reason.MAC_MISMATCH);
  }

  @Test
  void verify_txIdChangedAndRechained_undecryptableBecauseIdIsAssociatedData() {
    store.replaceEntry(6, e -> copy(e, OTHER_TX_ID, null, null, null, null, null, null, null));
    store.rechainFrom(6);

    assertFails(withOpener(), 6, Reason.UNDECRYPTABLE);
  }

  @Test
  void verify_columnsDisagreeWithRecordAfterRechain_fieldMismatch() {
    LedgerEntry seven = store.entries().get(6);
    store.replaceEntry(
        6, e -> copy(e, null, null, seven.userIndex(), null, null, null, null, null));
    store.rechainFrom(6);
    assertFails(withOpener(), 6, Reason.FIELD_MISMATCH);

    setUp();
    store.replaceEntry(
        6, e -> copy(e, null, e.createdAtMicros() - 1, null, null, null, null, null, null));
    store.rechainFrom(6);
    assertFails(withOpener(), 6, Reason.FIELD_MISMATCH);

    setUp();
    store.replaceEntry(6, e -> copy(e, null, null, null, e.macKeyId() ^ 1, null, null, null, null));
    store.rechainFrom(6);
    assertFails(withOpener(), 6, Reason.FIELD_MISMATCH);
  }

  @Test
  void verify_twoRowsSwapped_brokenLinkAtFirst() {
    store.swapContents(6, 7);

    assertFails(publicOnly(), 6, Reason.BROKEN_LINK);
    assertFails(withOpener(), 6, Reason.BROKEN_LINK);
  }

  @Test
  void verify_twoRowsSwappedAndRechained_checkpointMismatch() {
    store.swapContents(6, 7);
    store.rechainFrom(6);

    assertFails(publicOnly(), 9, Reason.CHECKPOINT_MISMATCH);
    assertFails(withOpener(), 9, Reason.CHECKPOINT_MISMATCH);
  }

  @Test
  void verify_middleRowDeleted_gapAtItsSeq() {
    store.deleteEntry(6);

    assertFails(publicOnly(), 6, Reason.GAP);
  }

  @Test
  void verify_seqChanged_gap() {
    store.replaceEntry(6, e -> e.withSeq(7));

    assertFails(publicOnly(), 6, Reason.GAP);
  }

  @Test
  void verify_lastRowDeleted_headMismatch() {
    store.deleteEntry(10);

    assertFails(publicOnly(), 10, Reason.HEAD_MISMATCH);
  }

  @Test
  void verify_truncatedBelowCheckpointWithHeadRewritten_truncated() {
    LedgerEntry eight = store.entries().get(7);
    store.deleteEntry(10);
    store.deleteEntry(9);
    store.setHead(new ChainHead(8, eight.entryHash(), 5, 0));

    assertFails(publicOnly(), 9, Reason.TRUNCATED);
  }

  @Test
  void verify_headHashChanged_headMismatchAfterLastEntry() {
    ChainHead head = store.head().orElseThrow();
    store.setHead(
        new ChainHead(
            head.seq(),
            flipped(head.entryHash(), 0, 1),
            head.lastCheckpointSeq(),
            head.lastCheckpointMicros()));

    assertFails(publicOnly(), ENTRIES + 1, Reason.HEAD_MISMATCH);
  }

  @Test
  void verify_headSeqChangedOrMissing_headMismatch() {
    ChainHead head = store.head().orElseThrow();
    store.setHead(new ChainHead(head.seq() + 1, head.entryHash(), 9, 0));
    assertFails(publicOnly(), ENTRIES + 1, Reason.HEAD_MISMATCH);

    store.setHead(null);
    assertFails(publicOnly(), ENTRIES + 1, Reason.HEAD_MISMATCH);
  }

  @Test
  void verify_checkpointSignatureFlipped_badCheckpoint() {
    store.replaceCheckpoint(
        1,
        c ->
            new Checkpoint(
                c.seq(), c.entryHash(), c.createdAtMicros(), flipped(c.signature(), 10, 4)));

    assertFails(publicOnly(), 5, Reason.BAD_CHECKPOINT);
  }

  @Test
  void verify_checkpointSignedByOtherKey_badCheckpoint() {
    TinkKeyRing other = TinkKeyRing.generate();
    store.replaceCheckpoint(
        1,
        c ->
            new Checkpoint(
                c.seq(),
                c.entryHash(),
                c.createdAtMicros(),
                other.checkpointSigner().sign(c.statement())));

    assertFails(publicOnly(), 5, Reason.BAD_CHECKPOINT);
  }

  @Test
  void verify_validlySignedCheckpointOverOtherHash_checkpointMismatch() {
    store.replaceCheckpoint(
        1,
        c -> {
          byte[] hash = flipped(c.entryHash(), 0, 1);
          byte[] statement = Checkpoint.statement(c.seq(), hash, c.createdAtMicros());
          return new Checkpoint(
              c.seq(), hash, c.createdAtMicros(), KEYS.checkpointSigner().sign(statement));
        });

    assertFails(publicOnly(), 5, Reason.CHECKPOINT_MISMATCH);
  }

  @Test
  void verify_checkpointBeyondLedgerEnd_truncated() {
    store.replaceCheckpoint(
        2,
        c -> {
          byte[] statement = Checkpoint.statement(11, c.entryHash(), c.createdAtMicros());
          return new Checkpoint(
              11, c.entryHash(), c.createdAtMicros(), KEYS.checkpointSigner().sign(statement));
        });

    assertFails(publicOnly(), 11, Reason.TRUNCATED);
  }
}
