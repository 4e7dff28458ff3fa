package io.securetx.adapter.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.securetx.crypto.tink.TinkKeyRing;
import io.securetx.ledger.ChainVerifier;
import io.securetx.ledger.LedgerIntegrityException;
import io.securetx.ledger.LedgerIntegrityException.Reason;
import io.securetx.ledger.LedgerOptions;
import io.securetx.ledger.LedgerStore;
import io.securetx.ledger.VerificationSummary;
import io.securetx.transaction.Money;
import io.securetx.transaction.TransactionLimits;
import io.securetx.transaction.UserId;
import io.securetx.vault.TransactionRequest;
import io.securetx.vault.Vault;
import io.securetx.vault.VaultStatus;
import io.securetx.vault.VerifiedTransaction;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Tampers with a small vault in every way an attacker with write access to the database could —
 * every byte of every stored column, deleted, reordered, duplicated and inserted rows, truncation
 * below a checkpoint — and requires {@code verify} to catch each one, with the secret keys and with
 * the public checkpoint key alone. Run per database by a subclass.
 *
 * <p>The vault: six transactions, a checkpoint every two entries (and one with the first entry), so
 * checkpoints at seq 1, 3 and 5, and seq 6 after the last checkpoint.
 */
abstract class VaultTamperContract {

  private static final int ENTRIES = 6;

  /** The columns of each table, and the column that identifies a row. */
  private static final Map<String, List<String>> COLUMNS =
      Map.of(
          "ledger_entry",
          List.of(
              "seq",
              "tx_id",
              "created_at",
              "user_index",
              "mac_key_id",
              "aead_key_id",
              "ciphertext",
              "mac",
              "entry_hash"),
          "ledger_checkpoint",
          List.of("seq", "entry_hash", "created_at", "signature"),
          "ledger_head",
          List.of("id", "seq", "entry_hash"));

  private final TinkKeyRing keys = TinkKeyRing.generate();
  private LedgerStore store;
  private Vault vault;

  /** Opens a fresh, empty store. */
  protected abstract LedgerStore openEmptyStore();

  /** A plain JDBC connection to the same database, for the attacker. */
  protected abstract Connection connect() throws SQLException;

  @BeforeEach
  void buildVault() {
    store = openEmptyStore();
    vault = new Vault(keys, store, Clock.systemUTC(), new LedgerOptions(16, 2, Duration.ofDays(1)));
    String[] users = {"123", "alice", "bob", "ünïcödé-用户", "123", "alice"};
    for (int i = 0; i < ENTRIES; i++) {
      vault.process(
          new TransactionRequest(
              new UserId(users[i]),
              Money.parse((i + 1) + "0.25", Money.currency("USD"), TransactionLimits.DEFAULT),
              null));
    }
  }

  @AfterEach
  void closeVault() {
    vault.close();
  }

  @Test
  void verify_untouchedVault_passesWithSecretAndPublicKeys() throws Exception {
    assertThat(vault.verify().entries()).isEqualTo(ENTRIES);
    assertThat(vault.verify().checkpoints()).isEqualTo(3);
    assertThat(publicVerifier().verify(store).entries()).isEqualTo(ENTRIES);
  }

  @Test
  void recent_returnsTheNewestFirst_openedAndLimited() throws Exception {
    List<VerifiedTransaction> recent = vault.recent(4);

    assertThat(recent).extracting(VerifiedTransaction::ledgerSeq).containsExactly(6L, 5L, 4L, 3L);
    assertThat(recent.get(0).transaction().userId().value()).isEqualTo("alice");
    assertThat(recent.get(2).transaction().userId().value()).isEqualTo("ünïcödé-用户");
    assertThat(recent.get(0).transaction().amount().toDecimal().toPlainString()).isEqualTo("60.25");
    assertThat(vault.recent(1000)).hasSize(ENTRIES);
    assertThat(vault.recent(1)).extracting(VerifiedTransaction::ledgerSeq).containsExactly(6L);
  }

  @Test
  void recent_flippedCiphertextInTheWindow_throws_outsideItIsNotRead() throws Exception {
    try (Connection c = connect()) {
      byte[] ciphertext = (byte[]) read(c, "ledger_entry", "ciphertext", "seq", 2);
      ciphertext[ciphertext.length / 2] ^= 1;
      write(c, "ledger_entry", "ciphertext", "seq", 2, ciphertext);
    }

    assertThat(vault.recent(4)).hasSize(4);
    assertThatThrownBy(() -> vault.recent(5)).isInstanceOf(LedgerIntegrityException.class);
  }

  @Test
  void status_matchesWhatVerifyFinds() throws Exception {
    VaultStatus status = vault.status();
    VerificationSummary verified = vault.verify();

    assertThat(status.entries()).isEqualTo(ENTRIES);
    assertThat(status.headHash()).isEqualTo(verified.headHash()).matches("[0-9a-f]{64}");
    assertThat(status.lastCheckpointSeq()).isEqualTo(5);
    assertThat(status.lastCheckpointAt()).isEqualTo(verified.lastCheckpointAt());
  }

  @Test
  void verify_everyByteOfEveryColumnFlipped_isCaught() throws Exception {
    int applied = 0;
    List<String> refusedByDatabase = new ArrayList<>();
    try (Connection c = connect()) {
      for (Map.Entry<String, List<String>> table : COLUMNS.entrySet()) {
        String rowKey = table.getKey().equals("ledger_head") ? "id" : "seq";
        for (long row : rowKeys(c, table.getKey(), rowKey)) {
          for (String column : table.getValue()) {
            Object original = read(c, table.getKey(), column, rowKey, row);
            for (Object mutated : mutations(original)) {
              long where = column.equals(rowKey) ? row : row;
              try {
                write(c, table.getKey(), column, rowKey, where, mutated);
              } catch (SQLException e) {
                // A mutation the database itself refuses (a clashing primary key) cannot happen.
                refusedByDatabase.add(table.getKey() + "." + column + "@" + row);
                continue;
              }
              long key = column.equals(rowKey) ? ((Number) mutated).longValue() : row;
              String what = table.getKey() + "." + column + " of row " + row + " -> " + mutated;
              assertCaught(what);
              write(c, table.getKey(), column, rowKey, key, original);
              applied++;
            }
          }
        }
      }
    }
    assertThat(applied).isGreaterThan(1000);
    assertThat(refusedByDatabase).allMatch(s -> s.contains(".seq@") || s.contains(".id@"));
    verify_untouchedVault_passesWithSecretAndPublicKeys();
  }

  @Test
  void verify_rowDeleted_isCaughtAtThatSeq() throws Exception {
    for (int seq = 1; seq <= ENTRIES; seq++) {
      try (Connection c = connect()) {
        List<Object> saved = saveRow(c, seq);
        update(c, "DELETE FROM ledger_entry WHERE seq = " + seq);
        LedgerIntegrityException e = assertCaught("delete seq " + seq);
        assertThat(e.seq()).isEqualTo(seq);
        restoreRow(c, saved);
      }
    }
  }

  @Test
  void verify_twoRowsSwapped_isCaught() throws Exception {
    try (Connection c = connect()) {
      update(c, "UPDATE ledger_entry SET seq = -2 WHERE seq = 2");
      update(c, "UPDATE ledger_entry SET seq = 2 WHERE seq = 3");
      update(c, "UPDATE ledger_entry SET seq = 3 WHERE seq = -2");
      LedgerIntegrityException e = assertCaught("swap seq 2 and 3");
      assertThat(e.seq()).isEqualTo(2);
      assertThat(e.reason()).isEqualTo(Reason.BROKEN_LINK);
    }
  }

  @Test
  void verify_rowDuplicatedAtTheEnd_isCaught() throws Exception {
    try (Connection c = connect()) {
      update(c, "DROP INDEX ledger_entry_tx_id");
      update(
          c,
          "INSERT INTO ledger_entry SELECT 7, tx_id, created_at, user_index, mac_key_id,"
              + " aead_key_id, ciphertext, mac, entry_hash FROM ledger_entry WHERE seq = 3");
      LedgerIntegrityException e = assertCaught("duplicate seq 3 as seq 7");
      assertThat(e.seq()).isEqualTo(7);
    }
  }

  @Test
  void verify_rowInsertedInTheMiddle_isCaught() throws Exception {
    try (Connection c = connect()) {
      update(c, "DROP INDEX ledger_entry_tx_id");
      for (int seq = ENTRIES; seq >= 3; seq--) {
        update(c, "UPDATE ledger_entry SET seq = " + (seq + 1) + " WHERE seq = " + seq);
      }
      update(
          c,
          "INSERT INTO ledger_entry SELECT 3, tx_id, created_at, user_index, mac_key_id,"
              + " aead_key_id, ciphertext, mac, entry_hash FROM ledger_entry WHERE seq = 1");
      LedgerIntegrityException e = assertCaught("insert a copy of seq 1 at seq 3");
      assertThat(e.seq()).isEqualTo(3);
    }
  }

  @Test
  void verify_truncatedBelowACheckpoint_isCaughtEvenWithHeadRewritten() throws Exception {
    try (Connection c = connect()) {
      update(c, "DELETE FROM ledger_entry WHERE seq > 3");
      update(
          c,
          "UPDATE ledger_head SET seq = 3, entry_hash = (SELECT entry_hash FROM ledger_entry"
              + " WHERE seq = 3) WHERE id = 1");
      LedgerIntegrityException e = assertCaught("truncate after seq 3");
      assertThat(e.reason()).isEqualTo(Reason.TRUNCATED);
      assertThat(e.seq()).isEqualTo(5);
    }
  }

  @Test
  void verify_tailAfterLastCheckpointDeleted_isCaughtByHead() throws Exception {
    try (Connection c = connect()) {
      update(c, "DELETE FROM ledger_entry WHERE seq = 6");
      LedgerIntegrityException e = assertCaught("delete the uncheckpointed tail");
      assertThat(e.reason()).isEqualTo(Reason.HEAD_MISMATCH);
    }
  }

  @Test
  void verify_checkpointDeleted_stillPassesButNoFalseAlarm() throws Exception {
    // Removing a checkpoint removes evidence, not history: what remains must still verify.
    try (Connection c = connect()) {
      update(c, "DELETE FROM ledger_checkpoint WHERE seq = 2");
    }
    assertThatCode(() -> vault.verify()).doesNotThrowAnyException();
  }

  private LedgerIntegrityException assertCaught(String what) {
    try {
      publicVerifier().verify(store);
      throw new AssertionError("verification with the public key missed: " + what);
    } catch (LedgerIntegrityException expected) {
      // caught, as it must be
    }
    try {
      vault.verify();
    } catch (LedgerIntegrityException e) {
      return e;
    }
    throw new AssertionError("verification with the secret keys missed: " + what);
  }

  private ChainVerifier publicVerifier() {
    return new ChainVerifier(
        TinkKeyRing.checkpointVerifierFromPublicKeyset(keys.exportCheckpointPublicKeyset()), null);
  }

  /** Every single-byte change of a value: each byte of a blob, text or 64-bit integer, xor 1. */
  private static List<Object> mutations(Object value) {
    List<Object> out = new ArrayList<>();
    if (value instanceof byte[] bytes) {
      for (int i = 0; i < bytes.length; i++) {
        byte[] copy = bytes.clone();
        copy[i] ^= 1;
        out.add(copy);
      }
    } else if (value instanceof String text) {
      for (int i = 0; i < text.length(); i++) {
        char[] chars = text.toCharArray();
        chars[i] ^= 1;
        out.add(new String(chars));
      }
    } else {
      long n = ((Number) value).longValue();
      for (int i = 0; i < 8; i++) {
        out.add(n ^ (1L << (8 * i)));
      }
    }
    return out;
  }

  private static List<Long> rowKeys(Connection c, String table, String key) throws SQLException {
    List<Long> keys = new ArrayList<>();
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT " + key + " FROM " + table + " ORDER BY " + key)) {
      while (rs.next()) {
        keys.add(rs.getLong(1));
      }
    }
    assertThat(keys).as("rows of %s", table).isNotEmpty();
    return keys;
  }

  private static Object read(Connection c, String table, String column, String key, long row)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT " + column + " FROM " + table + " WHERE " + key + " = ?")) {
      ps.setLong(1, row);
      try (ResultSet rs = ps.executeQuery()) {
        assertThat(rs.next()).isTrue();
        int type = rs.getMetaData().getColumnType(1);
        if (type == Types.BINARY || type == Types.VARBINARY || type == Types.BLOB) {
          return rs.getBytes(1);
        }
        if (type == Types.VARCHAR || type == Types.LONGVARCHAR || type == Types.CLOB) {
          return rs.getString(1);
        }
        Object value = rs.getObject(1);
        if (value instanceof byte[] || value instanceof String) {
          return value;
        }
        return rs.getLong(1);
      }
    }
  }

  private static void write(
      Connection c, String table, String column, String key, long row, Object value)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("UPDATE " + table + " SET " + column + " = ? WHERE " + key + " = ?")) {
      if (value instanceof byte[] bytes) {
        ps.setBytes(1, bytes);
      } else if (value instanceof String text) {
        ps.setString(1, text);
      } else {
        ps.setLong(1, ((Number) value).longValue());
      }
      ps.setLong(2, row);
      assertThat(ps.executeUpdate()).isEqualTo(1);
    }
  }

  private static List<Object> saveRow(Connection c, long seq) throws SQLException {
    List<Object> values = new ArrayList<>();
    for (String column : COLUMNS.get("ledger_entry")) {
      values.add(read(c, "ledger_entry", column, "seq", seq));
    }
    return values;
  }

  private static void restoreRow(Connection c, List<Object> values) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO ledger_entry ("
                + String.join(", ", COLUMNS.get("ledger_entry"))
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      for (int i = 0; i < values.size(); i++) {
        Object v = values.get(i);
        if (v instanceof byte[] b) {
          ps.setBytes(i + 1, b);
        } else if (v instanceof String s) {
          ps.setString(i + 1, s);
        } else {
          ps.setLong(i + 1, ((Number) v).longValue());
        }
      }
      ps.executeUpdate();
    }
  }

  private static void update(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }
}
