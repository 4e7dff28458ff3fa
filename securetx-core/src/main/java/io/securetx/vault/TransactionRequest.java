package io.securetx.vault;

import io.securetx.transaction.IdempotencyKey;
import io.securetx.transaction.Money;
import io.securetx.transaction.UserId;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * A validated request to process a transaction.
 *
 * @param userId the user
 * @param amount the amount and currency
 * @param idempotencyKey makes a retry safe, or null
 */
public record TransactionRequest(
    UserId userId, Money amount, @Nullable IdempotencyKey idempotencyKey) {

  /** The request's identity for idempotency: what must match when a key is seen again. */
  byte[] identity() {
    byte[] user = userId.value().getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(4 + user.length + 3 + 8)
        .putInt(user.length)
        .put(user)
        .put(amount.currency().getCurrencyCode().getBytes(StandardCharsets.US_ASCII))
        .putLong(amount.minorUnits())
        .array();
  }
}
