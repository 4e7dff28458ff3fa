package io.securetx.adapter.sql;

/** The few places where SQLite and PostgreSQL differ. */
public enum SqlDialect {
  /** An embedded SQLite file: WAL, full sync, one writer at a time via {@code BEGIN IMMEDIATE}. */
  SQLITE("sqlite", ""),
  /** PostgreSQL: appenders serialise on a row lock of the chain head. */
  POSTGRESQL("postgresql", " FOR UPDATE OF h");

  private final String migrations;
  private final String lockClause;

  SqlDialect(String migrations, String lockClause) {
    this.migrations = migrations;
    this.lockClause = lockClause;
  }

  /** The Flyway location of this dialect's migrations. */
  String migrationLocation() {
    return "classpath:db/migration/" + migrations;
  }

  /** What to append to the head query to lock the row until commit. */
  String lockClause() {
    return lockClause;
  }
}
