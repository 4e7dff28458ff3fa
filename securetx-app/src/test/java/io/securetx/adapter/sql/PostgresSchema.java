package io.securetx.adapter.sql;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;

/**
 * A throw-away schema in the test PostgreSQL ({@code securetx.test.pgUrl}, default {@code
 * jdbc:postgresql://127.0.0.1:5432/test?user=postgres}), so tests never see each other's vaults.
 */
public final class PostgresSchema {

  static final String BASE_URL =
      System.getProperty(
          "securetx.test.pgUrl",
          System.getenv()
              .getOrDefault(
                  "SECURETX_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test?user=postgres"));

  private final String name;

  private PostgresSchema(String name) {
    this.name = name;
  }

  public static PostgresSchema create() {
    String name = "t_" + UUID.randomUUID().toString().replace("-", "").toLowerCase(Locale.ROOT);
    execute(BASE_URL, "CREATE SCHEMA " + name);
    return new PostgresSchema(name);
  }

  /** A JDBC URL whose connections default to this schema. */
  public String jdbcUrl() {
    return BASE_URL + (BASE_URL.contains("?") ? "&" : "?") + "currentSchema=" + name;
  }

  public DatabaseUrl url() {
    return DatabaseUrl.parse(jdbcUrl());
  }

  Connection connect() throws SQLException {
    return DriverManager.getConnection(jdbcUrl());
  }

  public void drop() {
    execute(BASE_URL, "DROP SCHEMA IF EXISTS " + name + " CASCADE");
  }

  private static void execute(String url, String sql) {
    try (Connection c = DriverManager.getConnection(url);
        Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(
          "test PostgreSQL unavailable at " + url + ": " + e.getMessage(), e);
    }
  }
}
