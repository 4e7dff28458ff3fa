package io.securetx.adapter.http;

import io.javalin.http.Context;
import io.securetx.transaction.IdempotencyKey;
import io.securetx.transaction.ValidationException;
import java.util.Collections;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The {@code Idempotency-Key} request header (IETF draft "The Idempotency-Key HTTP Header Field")
 * and the {@code Idempotent-Replayed} response header: required for transactions, optional for task
 * sends, and read the same way for both.
 */
final class IdempotencyKeyHeader {

  static final String NAME = "Idempotency-Key";
  static final String REPLAYED = "Idempotent-Replayed";

  private IdempotencyKeyHeader() {}

  /**
   * The header, which must be there: once, as a token or a quoted string.
   *
   * @throws ProblemException 400 when it is missing, repeated or malformed
   */
  static String required(Context ctx) {
    String key = optional(ctx);
    if (key == null) {
      throw invalid(
          "idempotency_key.required",
          "an Idempotency-Key header is required, e.g. Idempotency-Key: order-42; a retry with"
              + " the same key returns the first result instead of storing a second transaction");
    }
    return key;
  }

  /**
   * The header when there is one: once, as a token or a quoted string.
   *
   * @return the key, or null without the header
   * @throws ProblemException 400 when it is repeated or malformed
   */
  static @Nullable String optional(Context ctx) {
    List<String> values = Collections.list(ctx.req().getHeaders(NAME));
    if (values.isEmpty()) {
      return null;
    }
    if (values.size() > 1) {
      throw invalid("idempotency_key.repeated", "send the Idempotency-Key header once");
    }
    String value = values.get(0).strip();
    // The header is a Structured Field string in the IETF draft: accept "key" as well as key.
    if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
      value = value.substring(1, value.length() - 1);
    }
    try {
      return new IdempotencyKey(value).value();
    } catch (ValidationException e) {
      throw invalid(e.rule(), "Idempotency-Key " + Problems.withoutField(e));
    }
  }

  /** Marks a response as the stored answer to an earlier request with the same key. */
  static void markReplayed(Context ctx) {
    ctx.header(REPLAYED, "true");
  }

  private static ProblemException invalid(String rule, String detail) {
    return ProblemException.of(
            400, "invalid-idempotency-key", "The Idempotency-Key header is not valid", detail)
        .with("errors", List.of(Problems.fieldError(NAME, rule, detail)));
  }
}
