package io.securetx.adapter.sql;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.junit.jupiter.api.io.TempDir;

/** The dashboard's sessions in the embedded SQLite vault file. */
class SqliteSessionStoreTest extends SqlSessionStoreContract {

  @TempDir Path dir;

  @Override
  protected DatabaseUrl url() {
    return DatabaseUrl.sqlite(dir.resolve("vault.db"));
  }

  @Override
  protected Connection connect() throws SQLException {
    return DriverManager.getConnection(url().jdbcUrl());
  }
}
