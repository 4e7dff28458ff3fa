package io.securetx.vault;

import io.securetx.transaction.IdempotencyKey;
import io.securetx.transaction.Money;
import io.securetx.transaction.TransactionLimits;
import io.securetx.transaction.UserId;
import io.securetx.transaction.ValidationException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
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

  /**
   * Validates a request as a caller wrote it (command line, HTTP body): every field is checked, not
   * only up to the first bad one. The CLI and the HTTP API both build requests here, so they accept
   * and refuse exactly the same input.
   *
   * @param userId the user id text
   * @param amount the amount as decimal text, e.g. {@code 100.00}
   * @param currencyCode an ISO 4217 code, or null for {@code defaultCurrency}
   * @param idempotencyKey the idempotency key, or null for none
   * @param defaultCurrency the currency when the caller names none
   * @param limits the largest accepted amount
   * @return the validated request
   * @throws ValidationException for the first bad field; every further bad field is attached as a
   *     {@linkplain Throwable#getSuppressed() suppressed} {@link ValidationException}
   */
  public static TransactionRequest parse(
      String userId,
      String amount,
      @Nullable String currencyCode,
      @Nullable String idempotencyKey,
      Currency defaultCurrency,
      TransactionLimits limits) {
    List<ValidationException> problems = new ArrayList<>();
    UserId user = null;
    try {
      user = new UserId(userId);
    } catch (ValidationException e) {
      problems.add(e);
    }
    Currency currency = null;
    try {
      currency = currencyCode == null ? defaultCurrency : Money.currency(currencyCode);
    } catch (ValidationException e) {
      problems.add(e);
    }
    Money money = null;
    if (currency != null) {
      try {
        money = Money.parse(amount, currency, limits);
      } catch (ValidationException e) {
        problems.add(e);
      }
    }
    IdempotencyKey key = null;
    if (idempotencyKey != null) {
      try {
        key = new IdempotencyKey(idempotencyKey);
      } catch (ValidationException e) {
        problems.add(e);
      }
    }
    if (!problems.isEmpty()) {
      ValidationException first = problems.get(0);
      problems.subList(1, problems.size()).forEach(first::addSuppressed);
      throw first;
    }
    if (user == null || money == null) {
      throw new IllegalStateException("validated fields missing without a validation error");
    }
    return new TransactionRequest(user, money, key);
  }

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
