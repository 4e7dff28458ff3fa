package io.securetx.adapter.sql;

import com.zaxxer.hikari.HikariDataSource;
import io.securetx.ledger.AppendOutcome;
import io.securetx.ledger.ChainExtension;
import io.securetx.ledger.ChainHead;
import io.securetx.ledger.Checkpoint;
import io.securetx.ledger.LedgerEntry;
import io.securetx.ledger.LedgerReader;
import io.securetx.ledger.LedgerStore;
import io.securetx.ledger.LedgerStoreException;
import io.securetx.ledger.PendingEntry;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * The ledger in a SQL database. A batch is one transaction: lock the head row ({@code BEGIN
 * IMMEDIATE} on SQLite, {@code SELECT ... FOR UPDATE} on PostgreSQL), resolve idempotency keys,
 * insert the chained entries with one batched statement, insert the checkpoint, move the head,
 * commit. SQLite runs in WAL mode with {@code synchronous=FULL}, so a returned commit survives a
 * power cut.
 */
public final class SqlLedgerStore implements LedgerStore {

  private static final String ENTRY_COLUMNS =
      "seq, tx_id, created_at, user_index, mac_key_id, aead_key_id, ciphertext, mac, entry_hash";
  private static final String ENTRY_PLACEHOLDERS = "(?, ?, ?, ?, ?, ?, ?, ?, ?)";
  private static final String MOVE_HEAD =
      "UPDATE ledger_head SET seq = ?, entry_hash = ? WHERE id = 1 AND seq = ?";
  private static final String INSERT_CHECKPOINT =
      "INSERT INTO ledger_checkpoint (seq, entry_hash, created_at, signature) VALUES (?, ?, ?, ?)";
  private static final int FETCH_SIZE = 1000;

  private final HikariDataSource dataSource;
  private final SqlDialect dialect;
  private final Clock clock;
  private final Duration idempotencyRetention;

  /** The head as this store last committed it; null when unknown or possibly stale. */
  private final AtomicReference<@Nullable ChainHead> lastHead = new AtomicReference<>();

  private SqlLedgerStore(
      HikariDataSource dataSource, SqlDialect dialect, Clock clock, Duration retention) {
    this.dataSource = dataSource;
    this.dialect = dialect;
    this.clock = clock;
    this.idempotencyRetention = retention;
  }

  /**
   * Opens the store and applies pending migrations.
   *
   * @param url where the database is
   * @param clock the time source for idempotency retention
   * @param idempotencyRetention how long an idempotency key is remembered
   * @return the open store
   * @throws LedgerStoreException if the database cannot be reached or migrated
   */
  public static SqlLedgerStore open(DatabaseUrl url, Clock clock, Duration idempotencyRetention) {
    HikariDataSource dataSource = Databases.open(url, "securetx-vault", 4, 8);
    return new SqlLedgerStore(dataSource, url.dialect(), clock, idempotencyRetention);
  }

  /** The dialect of the database behind this store. */
  public SqlDialect dialect() {
    return dialect;
  }

  /**
   * {@inheritDoc}
   *
   * <p>The head this store committed last is remembered. A batch first assumes it is still the head
   * and skips the locking read; the head moves with a compare-and-set ({@code WHERE seq = assumed})
   * and the primary key on {@code seq} refuses a second writer's clashing entries, so when another
   * process appended in between, the attempt fails, rolls back, and the batch is retried under the
   * lock. One writer per vault thus pays one round trip less per batch.
   */
  @Override
  public List<AppendOutcome> append(List<PendingEntry> batch, ChainExtender extender) {
    ChainHead assumed = lastHead.get();
    if (assumed != null) {
      try {
        return attempt(batch, extender, assumed);
      } catch (LedgerStoreException | IllegalStateException stale) {
        // Another writer moved the head, or the attempt failed for another reason; either way
        // the locked path below re-reads the truth, and a real failure repeats there.
      }
    }
    return attempt(batch, extender, null);
  }

  private List<AppendOutcome> attempt(
      List<PendingEntry> batch, ChainExtender extender, @Nullable ChainHead assumed) {
    lastHead.set(null);
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        ChainHead head = assumed != null ? assumed : lockHead(c);
        Appended appended = appendAfter(c, head, batch, extender);
        c.commit();
        lastHead.set(appended.head());
        return appended.outcomes();
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw new LedgerStoreException("cannot append to the vault: " + e.getMessage(), e);
    }
  }

  private Appended appendAfter(
      Connection c, ChainHead head, List<PendingEntry> batch, ChainExtender extender)
      throws SQLException {
    ChainHead newHead = head;
    Map<String, StoredKey> known = knownKeys(c, batch);
    @Nullable AppendOutcome[] outcomes = new AppendOutcome[batch.size()];
    int[] freshIndex = new int[batch.size()];
    List<PendingEntry> fresh = new ArrayList<>(batch.size());
    Map<String, Integer> firstInBatch = new HashMap<>();
    int[] replayOf = new int[batch.size()];
    java.util.Arrays.fill(replayOf, -1);
    for (int i = 0; i < batch.size(); i++) {
      PendingEntry entry = batch.get(i);
      PendingEntry.Idempotency idem = entry.idempotency();
      if (idem != null) {
        StoredKey stored = known.get(idem.key());
        if (stored != null) {
          outcomes[i] =
              MessageDigest.isEqual(stored.requestHash, idem.requestHash())
                  ? new AppendOutcome.Replayed(entryAt(c, stored.seq))
                  : new AppendOutcome.Conflict(idem.key());
          continue;
        }
        Integer first = firstInBatch.get(idem.key());
        if (first != null) {
          PendingEntry.Idempotency firstIdem = batch.get(first).idempotency();
          if (firstIdem != null
              && MessageDigest.isEqual(firstIdem.requestHash(), idem.requestHash())) {
            replayOf[i] = first;
          } else {
            outcomes[i] = new AppendOutcome.Conflict(idem.key());
          }
          continue;
        }
        firstInBatch.put(idem.key(), i);
      }
      freshIndex[fresh.size()] = i;
      fresh.add(entry);
    }
    if (!fresh.isEmpty()) {
      ChainExtension extension = extender.extend(head, fresh);
      List<LedgerEntry> entries = extension.entries();
      LedgerEntry last = entries.get(entries.size() - 1);
      Checkpoint checkpoint = extension.checkpoint();
      // The head moves first: every writer takes the head row's lock before it touches entries,
      // so two writers never hold what the other one waits for.
      if (dialect == SqlDialect.POSTGRESQL) {
        writeInOneRoundTrip(c, head.seq(), entries, checkpoint);
      } else {
        moveHead(c, head.seq(), last.seq(), last.entryHash());
        insertEntries(c, entries);
        if (checkpoint != null) {
          insertCheckpoint(c, checkpoint);
        }
      }
      insertKeys(c, fresh, entries);
      newHead =
          checkpoint == null
              ? new ChainHead(
                  last.seq(),
                  last.entryHash(),
                  head.lastCheckpointSeq(),
                  head.lastCheckpointMicros())
              : new ChainHead(
                  last.seq(), last.entryHash(), checkpoint.seq(), checkpoint.createdAtMicros());
      for (int k = 0; k < entries.size(); k++) {
        outcomes[freshIndex[k]] = new AppendOutcome.Appended(entries.get(k));
      }
    }
    List<AppendOutcome> result = new ArrayList<>(batch.size());
    for (int i = 0; i < batch.size(); i++) {
      AppendOutcome outcome = outcomes[i];
      if (outcome == null) {
        AppendOutcome original = outcomes[replayOf[i]];
        if (!(original instanceof AppendOutcome.Appended appended)) {
          throw new IllegalStateException("a replay in the batch refers to no appended entry");
        }
        outcome = new AppendOutcome.Replayed(appended.entry());
      }
      result.add(outcome);
    }
    return new Appended(result, newHead);
  }

  private ChainHead lockHead(Connection c) throws SQLException {
    // One round trip: the head row, locked, with the newest checkpoint beside it.
    try (PreparedStatement ps =
            c.prepareStatement(
                "SELECT h.seq, h.entry_hash, c.seq, c.created_at FROM ledger_head h"
                    + " LEFT JOIN (SELECT seq, created_at FROM ledger_checkpoint"
                    + " ORDER BY seq DESC LIMIT 1) c ON 1 = 1 WHERE h.id = 1"
                    + dialect.lockClause());
        ResultSet rs = ps.executeQuery()) {
      if (!rs.next()) {
        throw new LedgerStoreException("the vault's head row is missing; run securetx verify");
      }
      // A missing checkpoint reads as seq 0 and time 0, which is what ChainHead expects.
      return new ChainHead(rs.getLong(1), rs.getBytes(2), rs.getLong(3), rs.getLong(4));
    }
  }

  private Map<String, StoredKey> knownKeys(Connection c, List<PendingEntry> batch)
      throws SQLException {
    Map<String, StoredKey> known = new HashMap<>();
    if (batch.stream().allMatch(entry -> entry.idempotency() == null)) {
      return known;
    }
    long oldest = nowMicros() - idempotencyRetention.toNanos() / 1000;
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT request_hash, seq, created_at FROM idempotency_key WHERE idem_key = ?")) {
      for (PendingEntry entry : batch) {
        PendingEntry.Idempotency idem = entry.idempotency();
        if (idem == null || known.containsKey(idem.key())) {
          continue;
        }
        ps.setString(1, idem.key());
        try (ResultSet rs = ps.executeQuery()) {
          if (rs.next() && rs.getLong(3) >= oldest) {
            known.put(idem.key(), new StoredKey(rs.getBytes(1), rs.getLong(2)));
          }
        }
      }
    }
    return known;
  }

  private static void insertEntries(Connection c, List<LedgerEntry> entries) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO ledger_entry (" + ENTRY_COLUMNS + ") VALUES " + ENTRY_PLACEHOLDERS)) {
      for (LedgerEntry e : entries) {
        bindEntry(ps, 1, e);
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  /**
   * PostgreSQL: moves the head, inserts the entries and the checkpoint with one multi-statement
   * request, so the whole batch costs two round trips (this and the commit) instead of four.
   */
  private static void writeInOneRoundTrip(
      Connection c, long fromSeq, List<LedgerEntry> entries, @Nullable Checkpoint checkpoint)
      throws SQLException {
    LedgerEntry last = entries.get(entries.size() - 1);
    StringBuilder sql =
        new StringBuilder(MOVE_HEAD)
            .append("; INSERT INTO ledger_entry (")
            .append(ENTRY_COLUMNS)
            .append(") VALUES ")
            .append(ENTRY_PLACEHOLDERS);
    for (int i = 1; i < entries.size(); i++) {
      sql.append(", ").append(ENTRY_PLACEHOLDERS);
    }
    if (checkpoint != null) {
      sql.append("; ").append(INSERT_CHECKPOINT);
    }
    try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
      ps.setLong(1, last.seq());
      ps.setBytes(2, last.entryHash());
      ps.setLong(3, fromSeq);
      int index = 4;
      for (LedgerEntry e : entries) {
        index = bindEntry(ps, index, e);
      }
      if (checkpoint != null) {
        bindCheckpoint(ps, index, checkpoint);
      }
      ps.execute();
      if (ps.getUpdateCount() != 1) {
        throw new LedgerStoreException(headMovedMessage(fromSeq));
      }
    }
  }

  /** Binds the nine entry columns from {@code first}; returns the next parameter index. */
  private static int bindEntry(PreparedStatement ps, int first, LedgerEntry e) throws SQLException {
    ps.setLong(first, e.seq());
    ps.setString(first + 1, e.txId());
    ps.setLong(first + 2, e.createdAtMicros());
    ps.setBytes(first + 3, e.userIndex());
    ps.setLong(first + 4, e.macKeyId());
    ps.setLong(first + 5, e.aeadKeyId());
    ps.setBytes(first + 6, e.ciphertext());
    ps.setBytes(first + 7, e.mac());
    ps.setBytes(first + 8, e.entryHash());
    return first + 9;
  }

  private void insertKeys(Connection c, List<PendingEntry> fresh, List<LedgerEntry> entries)
      throws SQLException {
    if (fresh.stream().allMatch(entry -> entry.idempotency() == null)) {
      return;
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO idempotency_key (idem_key, request_hash, seq, created_at)"
                + " VALUES (?, ?, ?, ?) ON CONFLICT (idem_key) DO UPDATE SET"
                + " request_hash = excluded.request_hash, seq = excluded.seq,"
                + " created_at = excluded.created_at")) {
      long now = nowMicros();
      for (int k = 0; k < fresh.size(); k++) {
        PendingEntry.Idempotency idem = fresh.get(k).idempotency();
        if (idem == null) {
          continue;
        }
        ps.setString(1, idem.key());
        ps.setBytes(2, idem.requestHash());
        ps.setLong(3, entries.get(k).seq());
        ps.setLong(4, now);
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  private static void insertCheckpoint(Connection c, Checkpoint checkpoint) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(INSERT_CHECKPOINT)) {
      bindCheckpoint(ps, 1, checkpoint);
      ps.executeUpdate();
    }
  }

  private static void bindCheckpoint(PreparedStatement ps, int first, Checkpoint checkpoint)
      throws SQLException {
    ps.setLong(first, checkpoint.seq());
    ps.setBytes(first + 1, checkpoint.entryHash());
    ps.setLong(first + 2, checkpoint.createdAtMicros());
    ps.setBytes(first + 3, checkpoint.signature());
  }

  private static String headMovedMessage(long fromSeq) {
    return "the vault's head is not at seq " + fromSeq + " (moved by another writer, or missing)";
  }

  /** Moves the head from {@code fromSeq}; fails if it is no longer there. */
  private static void moveHead(Connection c, long fromSeq, long seq, byte[] hash)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(MOVE_HEAD)) {
      ps.setLong(1, seq);
      ps.setBytes(2, hash);
      ps.setLong(3, fromSeq);
      if (ps.executeUpdate() != 1) {
        throw new LedgerStoreException(headMovedMessage(fromSeq));
      }
    }
  }

  private static LedgerEntry entryAt(Connection c, long seq) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT " + ENTRY_COLUMNS + " FROM ledger_entry WHERE seq = ?")) {
      ps.setLong(1, seq);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw new LedgerStoreException(
              "an idempotency key refers to seq " + seq + ", which the vault does not hold");
        }
        return readEntry(rs);
      }
    }
  }

  @Override
  public Optional<LedgerEntry> findByTxId(String txId) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement("SELECT " + ENTRY_COLUMNS + " FROM ledger_entry WHERE tx_id = ?")) {
      ps.setString(1, txId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(readEntry(rs)) : Optional.empty();
      }
    } catch (SQLException e) {
      throw new LedgerStoreException("cannot read the vault: " + e.getMessage(), e);
    }
  }

  @Override
  public <X extends Exception> void scan(long fromSeq, Visitor<LedgerEntry, X> visitor) throws X {
    this.<Boolean, X>snapshot(
        reader -> {
          reader.scan(fromSeq, visitor);
          return true;
        });
  }

  @Override
  public <X extends Exception> void scanCheckpoints(Visitor<Checkpoint, X> visitor) throws X {
    this.<Boolean, X>snapshot(
        reader -> {
          reader.scanCheckpoints(visitor);
          return true;
        });
  }

  @Override
  public Optional<ChainHead> head() {
    return this.<Optional<ChainHead>, RuntimeException>snapshot(LedgerReader::head);
  }

  /**
   * {@inheritDoc}
   *
   * <p>PostgreSQL: a read-only REPEATABLE READ transaction. SQLite: a deferred read transaction,
   * which in WAL mode sees one snapshot and never blocks the writer (a {@code BEGIN IMMEDIATE} here
   * would hold the write lock for the whole verification).
   */
  @Override
  public <T, X extends Exception> T snapshot(SnapshotReader<T, X> reader) throws X {
    try (Connection c = dataSource.getConnection()) {
      if (dialect == SqlDialect.POSTGRESQL) {
        c.setAutoCommit(false);
        c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
        c.setReadOnly(true);
      } else {
        execute(c, "BEGIN DEFERRED");
      }
      try {
        return reader.read(new ConnectionReader(c));
      } finally {
        if (dialect == SqlDialect.POSTGRESQL) {
          c.rollback();
          c.setReadOnly(false);
          c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
          c.setAutoCommit(true);
        } else {
          execute(c, "ROLLBACK");
        }
      }
    } catch (SQLException e) {
      throw new LedgerStoreException("cannot read the vault: " + e.getMessage(), e);
    }
  }

  private static void execute(Connection c, String sql) throws SQLException {
    try (Statement statement = c.createStatement()) {
      statement.execute(sql);
    }
  }

  /** Reads on one connection, inside the snapshot's transaction. */
  private static final class ConnectionReader implements LedgerReader {
    private final Connection c;

    ConnectionReader(Connection c) {
      this.c = c;
    }

    @Override
    public <X extends Exception> void scan(long fromSeq, Visitor<LedgerEntry, X> visitor) throws X {
      stream(
          c,
          "SELECT " + ENTRY_COLUMNS + " FROM ledger_entry WHERE seq >= ? ORDER BY seq",
          fromSeq,
          rs -> visitor.visit(readEntry(rs)));
    }

    @Override
    public <X extends Exception> void scanCheckpoints(Visitor<Checkpoint, X> visitor) throws X {
      stream(
          c,
          "SELECT seq, entry_hash, created_at, signature FROM ledger_checkpoint WHERE seq >= ?"
              + " ORDER BY seq",
          Long.MIN_VALUE,
          rs ->
              visitor.visit(
                  new Checkpoint(rs.getLong(1), rs.getBytes(2), rs.getLong(3), rs.getBytes(4))));
    }

    @Override
    public Optional<ChainHead> head() {
      try (PreparedStatement ps =
              c.prepareStatement("SELECT seq, entry_hash FROM ledger_head WHERE id = 1");
          ResultSet rs = ps.executeQuery()) {
        return rs.next()
            ? Optional.of(new ChainHead(rs.getLong(1), rs.getBytes(2), 0, 0))
            : Optional.empty();
      } catch (SQLException e) {
        throw new LedgerStoreException("cannot read the vault: " + e.getMessage(), e);
      }
    }
  }

  /** Streams rows through a cursor, without buffering the result. */
  private static <X extends Exception> void stream(
      Connection c, String sql, long from, RowVisitor<X> visitor) throws X {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setFetchSize(FETCH_SIZE);
      ps.setLong(1, from);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          visitor.visit(rs);
        }
      }
    } catch (SQLException e) {
      throw new LedgerStoreException("cannot read the vault: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    dataSource.close();
  }

  private static LedgerEntry readEntry(ResultSet rs) throws SQLException {
    return new LedgerEntry(
        rs.getLong(1),
        rs.getString(2),
        rs.getLong(3),
        rs.getBytes(4),
        rs.getLong(5),
        rs.getLong(6),
        rs.getBytes(7),
        rs.getBytes(8),
        rs.getBytes(9));
  }

  private long nowMicros() {
    return ChronoUnit.MICROS.between(Instant.EPOCH, clock.instant());
  }

  /** Handles one row of a streamed query; may throw the caller's checked exception. */
  @FunctionalInterface
  private interface RowVisitor<X extends Exception> {
    void visit(ResultSet rs) throws SQLException, X;
  }

  private record StoredKey(byte[] requestHash, long seq) {}

  private record Appended(List<AppendOutcome> outcomes, ChainHead head) {}
}
