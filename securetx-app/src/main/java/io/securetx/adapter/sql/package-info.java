/**
 * The JDBC {@link io.securetx.ledger.LedgerStore} for SQLite (embedded, the default) and PostgreSQL
 * (several processes on one vault), with Flyway migrations per dialect.
 */
@NullMarked
package io.securetx.adapter.sql;

import org.jspecify.annotations.NullMarked;
