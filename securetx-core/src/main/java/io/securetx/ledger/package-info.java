/**
 * The tamper-evident ledger: an append-only sequence of sealed entries linked by a SHA-256 hash
 * chain, with Ed25519-signed checkpoints. {@link io.securetx.ledger.Ledger} batches appends from
 * many callers into one store commit (group commit); {@link io.securetx.ledger.ChainVerifier}
 * checks the chain with public keys only, or also opens every record with the secret keys. Storage
 * is the {@link io.securetx.ledger.LedgerStore} port.
 */
@NullMarked
package io.securetx.ledger;

import org.jspecify.annotations.NullMarked;
