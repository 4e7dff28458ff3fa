/**
 * The cryptographic operations securetx relies on, as small interfaces: a {@link
 * io.securetx.crypto.Signer} (a MAC), a {@link io.securetx.crypto.Sealer} (authenticated encryption
 * bound to associated data), checkpoint signatures that anyone can verify with a public key, and a
 * keyed blind index. Verification throws {@link io.securetx.crypto.IntegrityException} instead of
 * returning a boolean, so a failed check cannot be ignored. The implementation lives in {@code
 * io.securetx.crypto.tink}, the only package that imports Tink.
 */
@NullMarked
package io.securetx.crypto;

import org.jspecify.annotations.NullMarked;
