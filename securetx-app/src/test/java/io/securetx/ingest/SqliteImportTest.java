package io.securetx.ingest;

import io.securetx.adapter.sql.DatabaseUrl;
import io.securetx.adapter.sql.SqlLedgerStore;
import io.securetx.ledger.LedgerStore;
import java.time.Clock;
import java.time.Duration;

class SqliteImportTest extends ImportContract {

  @Override
  protected LedgerStore openStore(Clock clock) {
    return SqlLedgerStore.open(
        DatabaseUrl.sqlite(dir.resolve("vault.db")), clock, Duration.ofHours(24));
  }
}
