/**
 * Bulk ingestion: CSV and JSON Lines files (and task arguments) turned into validated transaction
 * requests by the same rules as {@code securetx process}, then sealed on several threads and
 * appended to the vault in file order through group commit. {@link io.securetx.ingest.Importer}
 * runs an import; bad rows go to a rejects file and never leave a partial record; rows without an
 * idempotency key get one derived from the import's source and their line, so rerunning a file adds
 * nothing. Depends on the core only, never on an adapter.
 */
@NullMarked
package io.securetx.ingest;

import org.jspecify.annotations.NullMarked;
