package io.securetx.adapter.sql;

import io.securetx.ledger.LedgerStore;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.io.TempDir;

/** The {@link LedgerStore} contract on an embedded SQLite file. */
class SqliteLedgerStoreTest extends LedgerStoreContract {

  @TempDir Path dir;

  @Override
  protected LedgerStore openEmptyStore() {
    return openSameVaultAgain();
  }

  @Override
  protected LedgerStore openSameVaultAgain() {
    return SqlLedgerStore.open(
        DatabaseUrl.sqlite(dir.resolve("vault.db")), clock, Duration.ofHours(1));
  }
}
