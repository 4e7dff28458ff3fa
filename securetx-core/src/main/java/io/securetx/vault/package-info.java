/**
 * The transaction path end to end — validate, sign, seal, append with group commit — and the
 * operations on the result: show one transaction, verify the whole vault. {@link
 * io.securetx.vault.Vault} is the seed's {@code process_secure_transaction}, made real.
 */
@NullMarked
package io.securetx.vault;

import org.jspecify.annotations.NullMarked;
