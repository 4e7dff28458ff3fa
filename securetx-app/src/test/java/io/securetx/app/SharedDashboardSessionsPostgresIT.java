package io.securetx.app;

import io.securetx.adapter.sql.PostgresSchema;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;

/** Two servers on one PostgreSQL vault (a schema of its own), as behind a load balancer. */
class SharedDashboardSessionsPostgresIT extends SharedDashboardSessionsContract {

  private final PostgresSchema schema = PostgresSchema.create();

  @Override
  protected Map<String, String> database(Path dataDir) {
    return Map.of("DB_URL", schema.jdbcUrl());
  }

  @Override
  protected Connection connect(Path dataDir) throws SQLException {
    return DriverManager.getConnection(schema.jdbcUrl());
  }

  @AfterEach
  void dropSchema() {
    schema.drop();
  }
}
