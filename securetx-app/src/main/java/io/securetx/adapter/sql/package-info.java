/**
 * The JDBC {@link io.securetx.ledger.LedgerStore} for SQLite (embedded, the default) and PostgreSQL
 * (several processes on one vault), with Flyway migrations per dialect; beside the ledger, in the
 * same database, the mail sent-markers and the dashboard's sessions, so every process of a
 * deployment shares them.
 */
@NullMarked
package io.securetx.adapter.sql;

import org.jspecify.annotations.NullMarked;
