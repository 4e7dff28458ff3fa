package io.securetx.adapter.sql;

import io.securetx.ingest.ImportContract;
import io.securetx.ledger.LedgerStore;
import java.time.Clock;
import java.time.Duration;

/** The import contract on PostgreSQL, where large batches are streamed with COPY. */
class PostgresImportIT extends ImportContract {

  private PostgresSchema schema;

  @Override
  protected LedgerStore openStore(Clock clock) {
    schema = PostgresSchema.create();
    return SqlLedgerStore.open(schema.url(), clock, Duration.ofHours(24));
  }

  @Override
  protected void dropStore() {
    schema.drop();
  }
}
