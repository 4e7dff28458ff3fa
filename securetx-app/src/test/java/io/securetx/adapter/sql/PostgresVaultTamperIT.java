package io.securetx.adapter.sql;

import io.securetx.ledger.LedgerStore;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;

/** The tamper suite on a PostgreSQL vault. */
class PostgresVaultTamperIT extends VaultTamperContract {

  private final PostgresSchema schema = PostgresSchema.create();

  @Override
  protected LedgerStore openEmptyStore() {
    return SqlLedgerStore.open(schema.url(), Clock.systemUTC(), Duration.ofHours(1));
  }

  @Override
  protected Connection connect() throws SQLException {
    return schema.connect();
  }

  @AfterEach
  void dropSchema() {
    schema.drop();
  }
}
