package io.securetx.adapter.sql;

import java.sql.Connection;
import java.sql.SQLException;
import org.junit.jupiter.api.AfterEach;

/** The dashboard's sessions in a PostgreSQL vault, each test in a schema of its own. */
class PostgresSessionStoreIT extends SqlSessionStoreContract {

  private final PostgresSchema schema = PostgresSchema.create();

  @Override
  protected DatabaseUrl url() {
    return schema.url();
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
