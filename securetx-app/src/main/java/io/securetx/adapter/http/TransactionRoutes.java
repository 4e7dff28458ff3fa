package io.securetx.adapter.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.securetx.ledger.LedgerIntegrityException;
import io.securetx.ledger.VerificationSummary;
import io.securetx.observability.Audit;
import io.securetx.observability.Metrics;
import io.securetx.transaction.TransactionId;
import io.securetx.transaction.TransactionLimits;
import io.securetx.transaction.ValidationException;
import io.securetx.vault.IdempotencyConflictException;
import io.securetx.vault.Receipt;
import io.securetx.vault.TransactionRequest;
import io.securetx.vault.Vault;
import io.securetx.vault.VerifiedTransaction;
import java.util.Currency;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * {@code /v1/transactions} and {@code /v1/vault/verify}: the seed's {@code
 * process_secure_transaction} over HTTP, with idempotency keys, and reading the vault back.
 */
final class TransactionRoutes implements RouteModule {

  private static final Set<String> FIELDS = Set.of("user_id", "amount", "currency");

  /** The MDC key of the transaction a log line is about. */
  static final String MDC_TX_ID = "tx_id";

  private static final Logger LOG = LoggerFactory.getLogger(TransactionRoutes.class);

  private final Vault vault;
  private final Currency defaultCurrency;
  private final TransactionLimits limits;
  private final Metrics metrics;

  /** Keys of requests this instance is processing right now; the vault resolves the rest. */
  private final Set<String> inFlight = ConcurrentHashMap.newKeySet();

  /** A full verification reads the whole vault: one at a time per instance. */
  private final Semaphore verifying = new Semaphore(1);

  TransactionRoutes(
      Vault vault, Metrics metrics, Currency defaultCurrency, TransactionLimits limits) {
    this.vault = vault;
    this.metrics = metrics;
    this.defaultCurrency = defaultCurrency;
    this.limits = limits;
  }

  @Override
  public void register(ApiRoutes routes) {
    routes.post("/v1/transactions", this::create);
    routes.get("/v1/transactions/{tx_id}", this::show);
    routes.get("/v1/vault/verify", this::verify);
  }

  private void create(Context ctx) {
    try {
      Receipt receipt = store(ctx);
      metrics.transaction(receipt.replayed() ? "replayed" : "created");
    } catch (RuntimeException e) {
      metrics.transaction(outcome(e));
      throw e;
    }
  }

  /** The outcome label of a request to store a transaction that failed. */
  private static String outcome(RuntimeException e) {
    if (e instanceof IdempotencyConflictException) {
      return "conflict";
    }
    if (e instanceof ValidationException) {
      return "rejected";
    }
    if (e instanceof ProblemException problem) {
      int status = problem.status();
      return status == 409 ? "conflict" : status < 500 ? "rejected" : "error";
    }
    return "error";
  }

  private Receipt store(Context ctx) {
    String key = IdempotencyKeyHeader.required(ctx);
    ObjectNode body = RequestBodies.object(ctx);
    TransactionRequest request = request(body, key);
    if (!inFlight.add(key)) {
      throw ProblemException.of(
              409,
              "request-in-progress",
              "A request with this idempotency key is in progress",
              "the first request with this Idempotency-Key has not finished yet; retry it"
                  + " shortly to get its result")
          .withHeader("Retry-After", "1");
    }
    Receipt receipt;
    try {
      receipt = vault.process(request);
    } finally {
      inFlight.remove(key);
    }
    MDC.put(MDC_TX_ID, receipt.txId());
    LOG.info(
        "transaction {} at ledger seq {}",
        receipt.replayed() ? "replayed" : "stored",
        receipt.ledgerSeq());
    if (receipt.replayed()) {
      IdempotencyKeyHeader.markReplayed(ctx);
    }
    ctx.header("Location", "/v1/transactions/" + receipt.txId());
    ApiRoutes.json(ctx, 201, receipt(receipt));
    return receipt;
  }

  private TransactionRequest request(ObjectNode body, String key) {
    List<Map<String, String>> errors =
        RequestBodies.unknownFields(body, FIELDS, "is not a field of a transaction");
    String userId = text(body, "user_id", true, errors);
    String amount = text(body, "amount", true, errors);
    String currency = text(body, "currency", false, errors);
    if (!errors.isEmpty() || userId == null || amount == null) {
      throw Problems.invalid(errors);
    }
    return TransactionRequest.parse(userId, amount, currency, key, defaultCurrency, limits);
  }

  private static @Nullable String text(
      ObjectNode body, String field, boolean required, List<Map<String, String>> errors) {
    JsonNode node = body.get(field);
    if (node == null) {
      if (required) {
        errors.add(Problems.fieldError(field, field + ".required", "is required"));
      }
      return null;
    }
    if (!node.isTextual()) {
      String hint =
          field.equals("amount") && node.isNumber()
              ? "must be a JSON string such as \"100.00\": JSON numbers are refused because"
                  + " senders often produce them from binary floats"
              : "must be a JSON string";
      errors.add(Problems.fieldError(field, field + ".type", hint));
      return null;
    }
    return node.textValue();
  }

  private void show(Context ctx) throws LedgerIntegrityException {
    TransactionId id;
    try {
      id = TransactionId.parse(ctx.pathParam("tx_id"));
    } catch (ValidationException e) {
      throw RequestBodies.malformed("the transaction id " + Problems.withoutField(e))
          .with("errors", List.of(Problems.fieldError(e)));
    }
    MDC.put(MDC_TX_ID, id.toString());
    Optional<VerifiedTransaction> found;
    try {
      found = vault.show(id);
    } catch (LedgerIntegrityException e) {
      metrics.integrityFailure("show");
      throw e;
    }
    if (found.isEmpty()) {
      throw ProblemException.of(
          404, "transaction-not-found", "No such transaction", "the vault holds no " + id);
    }
    ApiRoutes.json(ctx, 200, transaction(found.get()));
  }

  private void verify(Context ctx) throws LedgerIntegrityException {
    if (!verifying.tryAcquire()) {
      throw ProblemException.http(
              429, "a verification of the whole vault is already running; retry later")
          .withHeader("Retry-After", "5");
    }
    VerificationSummary summary;
    try {
      summary = vault.verify();
    } catch (LedgerIntegrityException e) {
      metrics.integrityFailure("verify");
      Audit.failure("vault.verify")
          .with("source", "http")
          .with("key_id", ApiRoutes.apiKeyId(ctx))
          .with("seq", e.seq())
          .with("reason", e.reason().name().toLowerCase(java.util.Locale.ROOT))
          .log();
      throw e;
    } finally {
      verifying.release();
    }
    Audit.success("vault.verify")
        .with("source", "http")
        .with("key_id", ApiRoutes.apiKeyId(ctx))
        .with("entries", summary.entries())
        .log();
    ApiRoutes.json(ctx, 200, verification(summary));
  }

  /** The same fields as {@code securetx process --json}; a replay is signalled by a header. */
  static Map<String, Object> receipt(Receipt receipt) {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("status", receipt.status());
    map.put("tx_id", receipt.txId());
    map.put("signature", receipt.signature());
    map.put("ledger_seq", receipt.ledgerSeq());
    map.put("created_at", receipt.createdAt().toString());
    return map;
  }

  static Map<String, Object> transaction(VerifiedTransaction verified) {
    return verified.fields();
  }

  static Map<String, Object> verification(VerificationSummary summary) {
    return summary.fields();
  }
}
