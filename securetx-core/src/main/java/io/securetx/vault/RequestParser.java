package io.securetx.vault;

import io.securetx.transaction.IdempotencyKey;
import io.securetx.transaction.Money;
import io.securetx.transaction.TransactionLimits;
import io.securetx.transaction.UserId;
import java.util.Currency;
import org.jspecify.annotations.Nullable;

/**
 * Turns the fields of a request as an interface receives them (command-line options, task
 * arguments, a CSV row, a JSON object) into a validated {@link TransactionRequest}, by the same
 * rules everywhere: the currency first (a missing one is the configured default), then the user id,
 * the amount and the idempotency key. The first rule broken throws (with any further broken rules
 * attached as suppressed exceptions); nothing is half-built.
 */
public final class RequestParser {

  private final TransactionLimits limits;
  private final Currency defaultCurrency;

  /**
   * Creates a parser.
   *
   * @param limits the largest accepted amount
   * @param defaultCurrency the currency of a request that names none
   */
  public RequestParser(TransactionLimits limits, Currency defaultCurrency) {
    this.limits = limits;
    this.defaultCurrency = defaultCurrency;
  }

  /**
   * Parses a request whose amount is decimal text such as {@code "100.00"} (see {@link
   * Money#parse}).
   *
   * @param userId the user id
   * @param amount the amount as written
   * @param currency an ISO 4217 code, or null for the default
   * @param idempotencyKey the caller's key, or null
   * @return the validated request
   * @throws io.securetx.transaction.ValidationException naming the field and rule broken
   */
  public TransactionRequest parse(
      String userId, String amount, @Nullable String currency, @Nullable String idempotencyKey) {
    return TransactionRequest.parse(
        userId, amount, currency, idempotencyKey, defaultCurrency, limits);
  }

  /**
   * Parses a request whose amount is a binary float, such as a Python {@code float} sent as a JSON
   * number (see {@link Money#ofBinaryFloat}: accepted only when it is exactly a decimal with at
   * most the currency's minor digits).
   *
   * @param userId the user id
   * @param amount the amount in major units
   * @param currency an ISO 4217 code, or null for the default
   * @param idempotencyKey the caller's key, or null
   * @return the validated request
   * @throws io.securetx.transaction.ValidationException naming the field and rule broken
   */
  public TransactionRequest parseBinaryFloat(
      String userId, double amount, @Nullable String currency, @Nullable String idempotencyKey) {
    Currency resolved = currency(currency);
    UserId user = new UserId(userId);
    return new TransactionRequest(
        user, Money.ofBinaryFloat(amount, resolved, limits), idempotencyKey(idempotencyKey));
  }

  /** The currency of a request that names none. */
  public Currency defaultCurrency() {
    return defaultCurrency;
  }

  private Currency currency(@Nullable String code) {
    return code == null ? defaultCurrency : Money.currency(code);
  }

  private static @Nullable IdempotencyKey idempotencyKey(@Nullable String key) {
    return key == null ? null : new IdempotencyKey(key);
  }
}
