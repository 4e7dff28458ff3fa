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

  /**
   * PostgreSQL: a batch up to this many entries goes in one request of multi-row inserts (the
   * fewest round trips, what a single caller needs); a larger one is streamed with binary {@code
   * COPY}, which costs the server a third of the CPU per row.
   */
  static final int ONE_REQUEST_ROWS = 256;

  /** Keys or seqs per {@code IN (...)} list. */
  private static final int IN_LIST = 500;

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
    Map<String, StoredKey> stored = storedKeys(c, batch);
    long oldest = nowMicros() - idempotencyRetention.toNanos() / 1000;
    @Nullable AppendOutcome[] outcomes = new AppendOutcome[batch.size()];
    int[] freshIndex = new int[batch.size()];
    List<PendingEntry> fresh = new ArrayList<>(batch.size());
    Map<String, Integer> firstInBatch = new HashMap<>();
    int[] replayOf = new int[batch.size()];
    java.util.Arrays.fill(replayOf, -1);
    // Seqs of stored entries to replay, read in one pass after the loop.
    Map<Integer, Long> replaySeq = new HashMap<>();
    for (int i = 0; i < batch.size(); i++) {
      PendingEntry entry = batch.get(i);
      PendingEntry.Idempotency idem = entry.idempotency();
      if (idem != null) {
        StoredKey known = stored.get(idem.key());
        if (known != null && known.createdAt >= oldest) {
          if (MessageDigest.isEqual(known.requestHash, idem.requestHash())) {
            replaySeq.put(i, known.seq);
          } else {
            outcomes[i] = new AppendOutcome.Conflict(idem.key());
          }
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
    if (!replaySeq.isEmpty()) {
      Map<Long, LedgerEntry> replayed = entriesAt(c, replaySeq.values());
      for (Map.Entry<Integer, Long> r : replaySeq.entrySet()) {
        LedgerEntry original = replayed.get(r.getValue());
        if (original == null) {
          throw new LedgerStoreException(
              "an idempotency key refers to seq "
                  + r.getValue()
                  + ", which the vault does not hold");
        }
        outcomes[r.getKey()] = new AppendOutcome.Replayed(original);
      }
    }
    if (!fresh.isEmpty()) {
      ChainExtension extension = extender.extend(head, fresh);
      List<LedgerEntry> entries = extension.entries();
      LedgerEntry last = entries.get(entries.size() - 1);
      Checkpoint checkpoint = extension.checkpoint();
      // The head moves first: every writer takes the head row's lock before it touches entries,
      // so two writers never hold what the other one waits for.
      if (dialect == SqlDialect.POSTGRESQL && entries.size() <= ONE_REQUEST_ROWS) {
        writeInOneRoundTrip(c, head.seq(), entries, checkpoint);
      } else {
        moveHead(c, head.seq(), last.seq(), last.entryHash());
        if (dialect == SqlDialect.POSTGRESQL) {
          PostgresCopy.entries(c, entries);
        } else {
          insertEntries(c, entries);
        }
        if (checkpoint != null) {
          insertCheckpoint(c, checkpoint);
        }
      }
      insertKeys(c, fresh, entries, stored);
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

  /**
   * The stored idempotency keys among the batch's, expired ones included (their rows are reused).
   * Without a round trip per key: PostgreSQL is asked for all of them at once ({@code = ANY}); on
   * SQLite one range read between the smallest and the largest key usually answers everything (keys
   * of one import are consecutive), and only when that range holds far more keys than the batch
   * does it fall back to lookups by lists of keys.
   */
  private Map<String, StoredKey> storedKeys(Connection c, List<PendingEntry> batch)
      throws SQLException {
    Map<String, StoredKey> stored = new HashMap<>();
    java.util.Set<String> keys = new java.util.HashSet<>();
    String first = null;
    String last = null;
    for (PendingEntry entry : batch) {
      PendingEntry.Idempotency idem = entry.idempotency();
      if (idem != null && keys.add(idem.key())) {
        String key = idem.key();
        first = first == null || key.compareTo(first) < 0 ? key : first;
        last = last == null || key.compareTo(last) > 0 ? key : last;
      }
    }
    if (first == null || last == null) {
      return stored;
    }
    String select = "SELECT idem_key, request_hash, seq, created_at FROM idempotency_key WHERE ";
    if (dialect == SqlDialect.POSTGRESQL) {
      try (PreparedStatement ps = c.prepareStatement(select + "idem_key = ANY(?)")) {
        ps.setArray(1, c.createArrayOf("text", keys.toArray()));
        readKeys(ps, keys, stored);
      }
      return stored;
    }
    // Keys are ASCII (IdempotencyKey allows nothing else), so Java's order is SQLite's BINARY
    // collation and every key of the batch lies in [first, last].
    int limit = 2 * keys.size() + 16;
    try (PreparedStatement ps =
        c.prepareStatement(select + "idem_key >= ? AND idem_key <= ? LIMIT ?")) {
      ps.setString(1, first);
      ps.setString(2, last);
      ps.setInt(3, limit);
      if (readKeys(ps, keys, stored) < limit) {
        return stored;
      }
    }
    stored.clear();
    List<String> all = new ArrayList<>(keys);
    for (int from = 0; from < all.size(); from += IN_LIST) {
      List<String> part = all.subList(from, Math.min(all.size(), from + IN_LIST));
      try (PreparedStatement ps =
          c.prepareStatement(select + "idem_key IN (" + placeholders(part.size()) + ")")) {
        for (int i = 0; i < part.size(); i++) {
          ps.setString(i + 1, part.get(i));
        }
        readKeys(ps, keys, stored);
      }
    }
    return stored;
  }

  /** Reads key rows, keeps those in {@code wanted}; returns how many rows were read. */
  private static int readKeys(
      PreparedStatement ps, java.util.Set<String> wanted, Map<String, StoredKey> stored)
      throws SQLException {
    int rows = 0;
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        rows++;
        String key = rs.getString(1);
        if (wanted.contains(key)) {
          stored.put(key, new StoredKey(rs.getBytes(2), rs.getLong(3), rs.getLong(4)));
        }
      }
    }
    return rows;
  }

  private static String placeholders(int n) {
    StringBuilder sql = new StringBuilder(n * 3);
    for (int i = 0; i < n; i++) {
      sql.append(i == 0 ? "?" : ", ?");
    }
    return sql.toString();
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

  /**
   * Stores the fresh entries' keys: new ones inserted (PostgreSQL copies a large batch in), the
   * rows of expired ones taken over by an update.
   */
  private void insertKeys(
      Connection c,
      List<PendingEntry> fresh,
      List<LedgerEntry> entries,
      Map<String, StoredKey> stored)
      throws SQLException {
    List<PostgresCopy.KeyRow> inserts = new ArrayList<>();
    List<PostgresCopy.KeyRow> updates = new ArrayList<>();
    long now = nowMicros();
    for (int k = 0; k < fresh.size(); k++) {
      PendingEntry.Idempotency idem = fresh.get(k).idempotency();
      if (idem != null) {
        PostgresCopy.KeyRow row =
            new PostgresCopy.KeyRow(idem.key(), idem.requestHash(), entries.get(k).seq(), now);
        (stored.containsKey(idem.key()) ? updates : inserts).add(row);
      }
    }
    if (dialect == SqlDialect.POSTGRESQL && inserts.size() > ONE_REQUEST_ROWS) {
      PostgresCopy.keys(c, inserts);
    } else if (!inserts.isEmpty()) {
      writeKeys(
          c,
          "INSERT INTO idempotency_key (request_hash, seq, created_at, idem_key)"
              + " VALUES (?, ?, ?, ?)",
          inserts);
    }
    if (!updates.isEmpty()) {
      writeKeys(
          c,
          "UPDATE idempotency_key SET request_hash = ?, seq = ?, created_at = ? WHERE idem_key = ?",
          updates);
    }
  }

  private static void writeKeys(Connection c, String sql, List<PostgresCopy.KeyRow> rows)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (PostgresCopy.KeyRow row : rows) {
        ps.setBytes(1, row.requestHash());
        ps.setLong(2, row.seq());
        ps.setLong(3, row.createdAtMicros());
        ps.setString(4, row.key());
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

  /** The stored entries at {@code seqs}: one range read when they are close together. */
  private static Map<Long, LedgerEntry> entriesAt(Connection c, java.util.Collection<Long> wanted)
      throws SQLException {
    java.util.TreeSet<Long> seqs = new java.util.TreeSet<>(wanted);
    Map<Long, LedgerEntry> found = new HashMap<>();
    String select = "SELECT " + ENTRY_COLUMNS + " FROM ledger_entry WHERE ";
    if (seqs.last() - seqs.first() < 2L * seqs.size() + 16) {
      try (PreparedStatement ps = c.prepareStatement(select + "seq >= ? AND seq <= ?")) {
        ps.setLong(1, seqs.first());
        ps.setLong(2, seqs.last());
        readEntries(ps, seqs, found);
      }
      return found;
    }
    List<Long> all = new ArrayList<>(seqs);
    for (int from = 0; from < all.size(); from += IN_LIST) {
      List<Long> part = all.subList(from, Math.min(all.size(), from + IN_LIST));
      try (PreparedStatement ps =
          c.prepareStatement(select + "seq IN (" + placeholders(part.size()) + ")")) {
        for (int i = 0; i < part.size(); i++) {
          ps.setLong(i + 1, part.get(i));
        }
        readEntries(ps, seqs, found);
      }
    }
    return found;
  }

  private static void readEntries(
      PreparedStatement ps, java.util.Set<Long> wanted, Map<Long, LedgerEntry> found)
      throws SQLException {
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        LedgerEntry entry = readEntry(rs);
        if (wanted.contains(entry.seq())) {
          found.put(entry.seq(), entry);
        }
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
    public Optional<Checkpoint> lastCheckpoint() {
      // The primary key on seq answers this without a scan.
      try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT seq, entry_hash, created_at, signature FROM ledger_checkpoint"
                      + " ORDER BY seq DESC LIMIT 1");
          ResultSet rs = ps.executeQuery()) {
        return rs.next()
            ? Optional.of(
                new Checkpoint(rs.getLong(1), rs.getBytes(2), rs.getLong(3), rs.getBytes(4)))
            : Optional.empty();
      } catch (SQLException e) {
        throw new LedgerStoreException("cannot read the vault: " + e.getMessage(), e);
      }
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

  private record StoredKey(byte[] requestHash, long seq, long createdAt) {}

  private record Appended(List<AppendOutcome> outcomes, ChainHead head) {}
}
