package io.securetx.adapter.sql;

import io.securetx.ledger.LedgerStore;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.io.TempDir;

/** The tamper suite on an embedded SQLite vault. */
class SqliteVaultTamperTest extends VaultTamperContract {

  @TempDir Path dir;

  @Override
  protected LedgerStore openEmptyStore() {
    return SqlLedgerStore.open(
        DatabaseUrl.sqlite(dir.resolve("vault.db")), Clock.systemUTC(), Duration.ofHours(1));
  }

  @Override
  protected Connection connect() throws SQLException {
    return DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("vault.db"));
  }
}
