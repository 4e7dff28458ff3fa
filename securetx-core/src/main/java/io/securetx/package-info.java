/**
 * The securetx core: transactions as validated values, the cryptography that signs and seals them,
 * and the tamper-evident ledger they are appended to. The core performs no network I/O; storage and
 * transport are ports implemented by adapters.
 */
@NullMarked
package io.securetx;

import org.jspecify.annotations.NullMarked;
