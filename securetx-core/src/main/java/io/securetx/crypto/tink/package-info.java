/**
 * The Tink implementation of {@link io.securetx.crypto.KeyRing}: HMAC-SHA256, AES-256-GCM, Ed25519
 * and HMAC-SHA256 PRF keysets, each stored as a Tink JSON keyset encrypted under the master key.
 * This is the only package allowed to import Tink.
 */
@NullMarked
package io.securetx.crypto.tink;

import org.jspecify.annotations.NullMarked;
