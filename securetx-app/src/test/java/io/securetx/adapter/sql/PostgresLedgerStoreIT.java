package io.securetx.adapter.sql;

import io.securetx.ledger.LedgerStore;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;

/** The {@link LedgerStore} contract on PostgreSQL, each test in a schema of its own. */
class PostgresLedgerStoreIT extends LedgerStoreContract {

  private final PostgresSchema schema = PostgresSchema.create();

  @Override
  protected LedgerStore openEmptyStore() {
    return openSameVaultAgain();
  }

  @Override
  protected LedgerStore openSameVaultAgain() {
    return SqlLedgerStore.open(schema.url(), clock, Duration.ofHours(1));
  }

  @AfterEach
  void dropSchema() {
    schema.drop();
  }
}
