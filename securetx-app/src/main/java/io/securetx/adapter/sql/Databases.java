package io.securetx.adapter.sql;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.securetx.ledger.LedgerStoreException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.flywaydb.core.Flyway;
import org.sqlite.SQLiteConfig;

/**
 * Opens a connection pool on the vault's database and applies pending migrations, the same way for
 * every store that lives there. SQLite runs in WAL mode with {@code synchronous=FULL}, a 30 s busy
 * timeout and {@code BEGIN IMMEDIATE} transactions; PostgreSQL gets its credentials apart from the
 * URL.
 */
final class Databases {

  private Databases() {}

  /**
   * Opens a pool and migrates the database.
   *
   * @param url where the database is
   * @param poolName the pool's name, shown in thread names
   * @param sqlitePoolSize connections for SQLite
   * @param postgresPoolSize connections for PostgreSQL
   * @return the open, migrated pool
   * @throws LedgerStoreException if the database cannot be reached or migrated; the message shows
   *     the URL without credentials
   */
  static HikariDataSource open(
      DatabaseUrl url, String poolName, int sqlitePoolSize, int postgresPoolSize) {
    HikariConfig config = new HikariConfig();
    config.setPoolName(poolName);
    config.setJdbcUrl(url.jdbcUrl());
    config.setAutoCommit(true);
    config.setInitializationFailTimeout(-1);
    config.setConnectionTimeout(10_000);
    if (url.dialect() == SqlDialect.SQLITE) {
      createParentDirectory(url.jdbcUrl());
      SQLiteConfig sqlite = new SQLiteConfig();
      sqlite.setJournalMode(SQLiteConfig.JournalMode.WAL);
      sqlite.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
      sqlite.setBusyTimeout(30_000);
      sqlite.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
      sqlite.enforceForeignKeys(true);
      config.setDataSourceProperties(sqlite.toProperties());
      config.setMaximumPoolSize(sqlitePoolSize);
    } else {
      config.addDataSourceProperty("reWriteBatchedInserts", "true");
      config.setMaximumPoolSize(postgresPoolSize);
      if (url.user() != null) {
        config.setUsername(url.user());
      }
      if (url.password() != null) {
        config.setPassword(url.password());
      }
    }
    HikariDataSource dataSource = null;
    try {
      dataSource = new HikariDataSource(config);
      Flyway.configure()
          .dataSource(dataSource)
          .locations(url.dialect().migrationLocation())
          .loggers("slf4j")
          .load()
          .migrate();
      return dataSource;
    } catch (RuntimeException e) {
      if (dataSource != null) {
        dataSource.close();
      }
      throw new LedgerStoreException(
          "cannot open the vault at " + url.redacted() + ": " + rootMessage(e), e);
    }
  }

  private static void createParentDirectory(String jdbcUrl) {
    String file = jdbcUrl.substring("jdbc:sqlite:".length());
    int query = file.indexOf('?');
    Path parent = Path.of(query < 0 ? file : file.substring(0, query)).toAbsolutePath().getParent();
    try {
      if (parent != null) {
        Files.createDirectories(parent);
      }
    } catch (IOException e) {
      throw new LedgerStoreException("cannot create the vault directory " + parent, e);
    }
  }

  /** The innermost message, which names the real problem (a refused connection, a bad password). */
  static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return String.valueOf(t.getMessage());
  }
}
