package io.securetx.adapter.sql;

import com.zaxxer.hikari.HikariDataSource;
import io.securetx.session.SessionKey;
import io.securetx.session.SessionPolicy;
import io.securetx.session.SessionStore;
import io.securetx.session.SessionStoreException;
import io.securetx.session.StoredSession;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * The dashboard's sessions in the vault's database (table {@code dashboard_session}, migration V3),
 * so every server sharing {@code DB_URL} (or the SQLite file) knows every session and a load
 * balancer needs no sticky sessions. Rows hold the SHA-256 of a session id and two times in
 * microseconds. Opening a session deletes the expired rows and, at the cap, the oldest, in one
 * transaction that concurrent opens take in turn (SQLite's {@code BEGIN IMMEDIATE}, a PostgreSQL
 * table lock), so the table stays within the cap.
 */
public final class SqlSessionStore implements SessionStore, AutoCloseable {

  private static final String LIVE = " AND last_seen_at > ? AND created_at > ?";
  private static final String EXPIRED = " AND (last_seen_at <= ? OR created_at <= ?)";

  private final HikariDataSource dataSource;
  private final SqlDialect dialect;
  private final Clock clock;
  private final SessionPolicy policy;

  private SqlSessionStore(
      HikariDataSource dataSource, SqlDialect dialect, Clock clock, SessionPolicy policy) {
    this.dataSource = dataSource;
    this.dialect = dialect;
    this.clock = clock;
    this.policy = policy;
  }

  /**
   * Opens the sessions on the vault's database and applies pending migrations.
   *
   * @param url where the vault's database is
   * @param clock the time source of expiry; servers sharing the database need synchronised clocks
   * @param policy lifetimes and cap
   * @return the open store
   * @throws io.securetx.ledger.LedgerStoreException if the database cannot be reached or migrated
   */
  public static SqlSessionStore open(DatabaseUrl url, Clock clock, SessionPolicy policy) {
    return new SqlSessionStore(
        Databases.open(url, "securetx-dashboard-sessions", 2, 4), url.dialect(), clock, policy);
  }

  @Override
  public void open(SessionKey key) {
    long now = micros(clock.instant());
    inTransaction(
        c -> {
          if (dialect == SqlDialect.POSTGRESQL) {
            try (Statement s = c.createStatement()) {
              // Conflicts with itself and with writers, not with plain reads: opens take turns.
              s.execute("LOCK TABLE dashboard_session IN SHARE ROW EXCLUSIVE MODE");
            }
          }
          try (PreparedStatement ps =
              c.prepareStatement("DELETE FROM dashboard_session WHERE 1 = 1" + EXPIRED)) {
            bindCutoffs(ps, 1, now);
            ps.executeUpdate();
          }
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO dashboard_session (key_hash, created_at, last_seen_at)"
                      + " VALUES (?, ?, ?)")) {
            ps.setString(1, key.hash());
            ps.setLong(2, now);
            ps.setLong(3, now);
            ps.executeUpdate();
          }
          // The new session always stays; of the others, the newest maxSessions - 1 do.
          try (PreparedStatement ps =
              c.prepareStatement(
                  "DELETE FROM dashboard_session WHERE key_hash <> ? AND key_hash NOT IN"
                      + " (SELECT key_hash FROM dashboard_session WHERE key_hash <> ?"
                      + " ORDER BY created_at DESC, key_hash DESC LIMIT ?)")) {
            ps.setString(1, key.hash());
            ps.setString(2, key.hash());
            ps.setInt(3, policy.maxSessions() - 1);
            return ps.executeUpdate(); // the sessions evicted beyond the cap
          }
        });
  }

  @Override
  public Optional<StoredSession> find(SessionKey key) {
    long now = micros(clock.instant());
    return inTransaction(
        c -> {
          int touched;
          // Only a live row is touched, and never moved back (another server's clock may be
          // behind).
          try (PreparedStatement ps =
              c.prepareStatement(
                  "UPDATE dashboard_session SET last_seen_at ="
                      + " CASE WHEN last_seen_at < ? THEN ? ELSE last_seen_at END"
                      + " WHERE key_hash = ?"
                      + LIVE)) {
            ps.setLong(1, now);
            ps.setLong(2, now);
            ps.setString(3, key.hash());
            bindCutoffs(ps, 4, now);
            touched = ps.executeUpdate();
          }
          return touched == 0 ? deleteIfExpired(c, key, now) : select(c, key);
        });
  }

  /** Work inside one transaction on one connection. */
  private interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  /**
   * Runs {@code work} in a transaction of its own: committed when it returns, rolled back when it
   * throws.
   *
   * @throws SessionStoreException if the database fails
   */
  private <T> T inTransaction(Work<T> work) {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        T result = work.run(c);
        c.commit();
        return result;
      } catch (SQLException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw failure("write", e);
    }
  }

  @Override
  public Optional<StoredSession> peek(SessionKey key) {
    long now = micros(clock.instant());
    try (Connection c = dataSource.getConnection()) {
      Optional<StoredSession> session = select(c, key);
      if (session.isPresent()
          && policy.expired(session.get().createdAt(), session.get().lastSeenAt(), instant(now))) {
        return deleteIfExpired(c, key, now);
      }
      return session;
    } catch (SQLException e) {
      throw failure("read", e);
    }
  }

  @Override
  public void close(SessionKey key) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement("DELETE FROM dashboard_session WHERE key_hash = ?")) {
      ps.setString(1, key.hash());
      ps.executeUpdate();
    } catch (SQLException e) {
      throw failure("write", e);
    }
  }

  @Override
  public int size() {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM dashboard_session");
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getInt(1);
    } catch (SQLException e) {
      throw failure("read", e);
    }
  }

  /** Closes the connection pool. */
  @Override
  public void close() {
    dataSource.close();
  }

  private Optional<StoredSession> deleteIfExpired(Connection c, SessionKey key, long now)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("DELETE FROM dashboard_session WHERE key_hash = ?" + EXPIRED)) {
      ps.setString(1, key.hash());
      bindCutoffs(ps, 2, now);
      ps.executeUpdate();
    }
    return Optional.empty();
  }

  private static Optional<StoredSession> select(Connection c, SessionKey key) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT created_at, last_seen_at FROM dashboard_session WHERE key_hash = ?")) {
      ps.setString(1, key.hash());
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        return Optional.of(new StoredSession(key, instant(rs.getLong(1)), instant(rs.getLong(2))));
      }
    }
  }

  /** Binds the idle and absolute cutoffs: a row is expired when a time is at or before its own. */
  private void bindCutoffs(PreparedStatement ps, int index, long now) throws SQLException {
    ps.setLong(index, now - micros(policy.idle()));
    ps.setLong(index + 1, now - micros(policy.absolute()));
  }

  private static long micros(Instant instant) {
    return ChronoUnit.MICROS.between(Instant.EPOCH, instant);
  }

  private static long micros(Duration duration) {
    return duration.toNanos() / 1000;
  }

  private static Instant instant(long micros) {
    return Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
  }

  private static SessionStoreException failure(String what, SQLException e) {
    return new SessionStoreException(
        "cannot " + what + " the dashboard sessions (table dashboard_session): " + e.getMessage(),
        e);
  }
}
