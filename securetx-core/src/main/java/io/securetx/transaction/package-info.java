/**
 * Transactions as values: money in integer minor units of an ISO 4217 currency, validated user ids,
 * time-ordered unguessable transaction ids, and the canonical byte encoding that is signed, sealed
 * and hashed into the ledger.
 */
@NullMarked
package io.securetx.transaction;

import org.jspecify.annotations.NullMarked;
