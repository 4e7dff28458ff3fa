package io.securetx.adapter.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.securetx.session.SessionKey;
import io.securetx.session.SessionPolicy;
import io.securetx.session.SessionStore;
import io.securetx.session.SessionStoreContract;
import io.securetx.session.SessionStoreException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The session-store contract on the vault's database, and what only a database store can do: be
 * shared by servers, fail, and sit beside the ledger. Two stores opened on one database stand for
 * two servers.
 */
abstract class SqlSessionStoreContract extends SessionStoreContract {

  private final List<SqlSessionStore> opened = new ArrayList<>();

  /** Where the vault's database is. */
  protected abstract DatabaseUrl url();

  /** A plain connection to the same database, for checking rows. */
  protected abstract Connection connect() throws SQLException;

  @Override
  protected SessionStore open(Clock clock, SessionPolicy policy) {
    SqlSessionStore store = SqlSessionStore.open(url(), clock, policy);
    opened.add(store);
    return store;
  }

  @Override
  protected SessionStore otherServer() {
    return open(clock, POLICY);
  }

  @AfterEach
  void closeAll() {
    opened.forEach(SqlSessionStore::close);
  }

  private List<String> storedKeys() throws SQLException {
    List<String> keys = new ArrayList<>();
    try (Connection c = connect();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT key_hash FROM dashboard_session")) {
      while (rs.next()) {
        keys.add(rs.getString(1));
      }
    }
    return keys;
  }

  @Test
  void rows_holdTheHashOfTheIdOnly() throws SQLException {
    store.open(SessionKey.of("the-raw-cookie-value"));

    assertThat(storedKeys()).containsExactly(SessionKey.of("the-raw-cookie-value").hash());
  }

  @Test
  void open_fromManyThreadsOfTwoServers_keepsTheCap() throws Exception {
    SessionStore first = store;
    SessionStore second = otherServer();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Callable<SessionKey>> opens = new ArrayList<>();
      for (int i = 0; i < 24; i++) {
        SessionStore server = i % 2 == 0 ? first : second;
        SessionKey key = newKey();
        opens.add(
            () -> {
              server.open(key);
              return key;
            });
      }
      for (Future<SessionKey> f : pool.invokeAll(opens)) {
        f.get();
      }
    } finally {
      pool.shutdown();
      assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(storedKeys()).hasSize(CAP);
  }

  @Test
  void everyOperation_storeUnreachable_sessionStoreException() {
    SessionKey key = newKey();
    store.open(key);
    SqlSessionStore closed = SqlSessionStore.open(url(), clock, POLICY);
    closed.close();

    for (Runnable call :
        List.<Runnable>of(
            () -> closed.open(newKey()),
            () -> closed.find(key),
            () -> closed.peek(key),
            () -> closed.close(key),
            closed::size)) {
      assertThatThrownBy(call::run)
          .isInstanceOf(SessionStoreException.class)
          .hasMessageContaining("dashboard_session");
    }
  }

  @Test
  void find_tableGone_sessionStoreException_notAnEmptyAnswer() throws SQLException {
    SessionKey key = newKey();
    store.open(key);
    try (Connection c = connect();
        Statement s = c.createStatement()) {
      s.execute("DROP TABLE dashboard_session");
    }

    assertThatThrownBy(() -> store.find(key)).isInstanceOf(SessionStoreException.class);
    assertThatThrownBy(() -> store.peek(key)).isInstanceOf(SessionStoreException.class);
  }

  @Test
  void open_beside_theLedgerStoreOnTheSameDatabase() {
    SessionKey key = newKey();
    store.open(key);

    try (SqlLedgerStore ledger =
        SqlLedgerStore.open(url(), Clock.systemUTC(), Duration.ofHours(1))) {
      assertThat(ledger.head()).isPresent();
    }
    assertThat(otherServer().peek(key)).isPresent();
  }
}
