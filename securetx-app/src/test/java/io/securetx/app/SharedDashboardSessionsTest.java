package io.securetx.app;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;

/** Two servers on the embedded SQLite vault file of one data directory. */
class SharedDashboardSessionsTest extends SharedDashboardSessionsContract {

  @Override
  protected Map<String, String> database(Path dataDir) {
    return Map.of();
  }

  @Override
  protected Connection connect(Path dataDir) throws SQLException {
    return DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("vault.db"));
  }
}
