package io.securetx.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import io.securetx.transaction.ValidationException;
import io.securetx.vault.RequestParser;
import io.securetx.vault.TransactionRequest;
import org.jspecify.annotations.Nullable;

/**
 * Requests whose amount arrived as JSON (a task argument, a JSON Lines field). The amount rule:
 *
 * <ul>
 *   <li>a <b>string</b> is decimal text, exactly as {@code securetx process --amount} takes it
 *       ({@code "100.00"}); the safe form for every client;
 *   <li>an <b>integer</b> is that many major units ({@code 100} is {@code 100.00 USD});
 *   <li>a <b>number with a fraction or exponent</b> is a binary float (a Python {@code float}) and
 *       is accepted only when it is exactly the float of a decimal with at most the currency's
 *       minor digits: {@code 100.0} and {@code 19.99} pass, {@code 0.1 + 0.2} is refused, never
 *       rounded;
 *   <li>anything else ({@code true}, {@code null}, a list, an object) is refused.
 * </ul>
 */
public final class JsonRequests {

  private JsonRequests() {}

  /**
   * Validates a request whose user id and amount are JSON values. The user id is a string, or an
   * integer taken as its decimal digits (the seed called {@code process(user_id=123, ...)}).
   *
   * @param parser the installation's rules (limits, default currency)
   * @param userId the user id as JSON
   * @param amount the amount as JSON
   * @param currency an ISO 4217 code, or null for the default
   * @param idempotencyKey the caller's key, or null
   * @return the validated request
   * @throws ValidationException naming the field and rule broken; a value of the wrong JSON type
   *     breaks the rule {@code user_id.type} or {@code amount.type}
   */
  public static TransactionRequest parse(
      RequestParser parser,
      JsonNode userId,
      JsonNode amount,
      @Nullable String currency,
      @Nullable String idempotencyKey) {
    if (!userId.isTextual() && !userId.isIntegralNumber()) {
      throw new ValidationException(
          "user_id", "user_id.type", "must be a string or an integer, not " + typeOf(userId));
    }
    String user = userId.asText();
    if (amount.isTextual()) {
      return parser.parse(user, amount.textValue(), currency, idempotencyKey);
    }
    if (amount.isIntegralNumber()) {
      return parser.parse(user, amount.asText(), currency, idempotencyKey);
    }
    if (amount.isNumber()) {
      return parser.parseBinaryFloat(user, amount.doubleValue(), currency, idempotencyKey);
    }
    throw new ValidationException(
        "amount", "amount.type", "must be a decimal string or a number, not " + typeOf(amount));
  }

  /** The JSON type of a value, as a reject reason names it. */
  static String typeOf(JsonNode node) {
    switch (node.getNodeType()) {
      case STRING:
        return "a string";
      case NUMBER:
        return "a number";
      case BOOLEAN:
        return "a boolean";
      case ARRAY:
        return "an array";
      case OBJECT:
        return "an object";
      case NULL:
        return "null";
      default:
        return node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    }
  }
}
