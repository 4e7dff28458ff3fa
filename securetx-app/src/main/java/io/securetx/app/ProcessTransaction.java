package io.securetx.app;

import com.fasterxml.jackson.databind.JsonNode;
import io.securetx.ingest.JsonRequests;
import io.securetx.ledger.LedgerStoreException;
import io.securetx.task.RetryPolicy;
import io.securetx.task.TaskArgumentException;
import io.securetx.task.TaskContext;
import io.securetx.task.TaskHandler;
import io.securetx.transaction.IdempotencyKey;
import io.securetx.transaction.ValidationException;
import io.securetx.vault.IdempotencyConflictException;
import io.securetx.vault.RequestParser;
import io.securetx.vault.TransactionRequest;
import io.securetx.vault.Vault;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The task {@code process_transaction(user_id, amount, currency=None, idempotency_key=None)}: the
 * asynchronous path into the vault, answering what {@code securetx process --json} prints ({@code
 * {"status": "success", "tx_id", "signature", "ledger_seq", "created_at"}}, plus {@code "replayed":
 * true} when the transaction was stored before).
 *
 * <p>Arguments follow {@link JsonRequests}: {@code user_id} a string or an integer; {@code amount}
 * a decimal string ({@code "100.00"}, the safe form), an integer, or a float that is exactly a
 * decimal with the currency's digits ({@code 100.0} yes, {@code 0.1 + 0.2} no). Invalid arguments
 * and a reused idempotency key fail at once as Python's {@code ValueError} (arguments of the wrong
 * type as {@code TypeError}), nothing stored; an unavailable vault is retried with exponential
 * backoff.
 *
 * <p>A task can run more than once (a worker that dies after the commit but before storing the
 * result, a retry after a commit whose answer was lost). So a call without an idempotency key gets
 * one derived from the task id, {@code task:<id>}: every run of one task is one transaction, and a
 * rerun answers with the original receipt ({@code "replayed": true}). The vault remembers keys for
 * {@code SECURETX_IDEMPOTENCY_RETENTION} (24 hours by default).
 */
public final class ProcessTransaction
    implements TaskHandler<ProcessTransaction.Arguments, Map<String, Object>> {

  private static final Logger LOG = LoggerFactory.getLogger(ProcessTransaction.class);

  /** The task's name, as Celery clients send it. */
  public static final String NAME = "process_transaction";

  /**
   * Retries while the vault is unavailable: up to 10 times, backing off from 1 second to at most 5
   * minutes between tries (full jitter).
   */
  public static final RetryPolicy DEFAULT_RETRY =
      RetryPolicy.builder()
          .maxRetries(10)
          .baseDelay(Duration.ofSeconds(1))
          .maxDelay(Duration.ofMinutes(5))
          .retryOn(LedgerStoreException.class)
          .build();

  /**
   * The task's arguments.
   *
   * @param userId the user id: a string, or an integer
   * @param amount the amount: a decimal string, an integer, or an exact float
   * @param currency an ISO 4217 code, or null for {@code SECURETX_DEFAULT_CURRENCY}
   * @param idempotencyKey the caller's key, or null for one derived from the task id
   */
  public record Arguments(
      JsonNode userId,
      JsonNode amount,
      @Nullable String currency,
      @Nullable String idempotencyKey) {}

  private final Supplier<Vault> vault;
  private final RequestParser parser;
  private final RetryPolicy retryPolicy;

  /**
   * Creates the handler with {@link #DEFAULT_RETRY}.
   *
   * @param vault where transactions go, opened on first use; shared, not closed by the handler
   * @param parser the installation's rules: {@code SECURETX_MAX_AMOUNT}, {@code
   *     SECURETX_DEFAULT_CURRENCY}
   */
  public ProcessTransaction(Supplier<Vault> vault, RequestParser parser) {
    this(vault, parser, DEFAULT_RETRY);
  }

  /**
   * Creates the handler.
   *
   * @param vault where transactions go, opened on first use; shared, not closed by the handler
   * @param parser the installation's rules
   * @param retryPolicy when an unavailable vault is tried again
   */
  public ProcessTransaction(Supplier<Vault> vault, RequestParser parser, RetryPolicy retryPolicy) {
    this.vault = vault;
    this.parser = parser;
    this.retryPolicy = retryPolicy;
  }

  @Override
  public Class<Arguments> argumentType() {
    return Arguments.class;
  }

  @Override
  public Map<String, Object> run(Arguments arguments, TaskContext context) {
    String key = arguments.idempotencyKey();
    TransactionRequest request;
    try {
      request =
          JsonRequests.parse(
              parser,
              arguments.userId(),
              arguments.amount(),
              arguments.currency(),
              key != null ? key : derivedKey(context.taskId()));
    } catch (ValidationException e) {
      if (e.rule().endsWith(".type")) {
        throw new TaskArgumentException(
            context.taskName() + "() argument '" + e.field() + "' " + afterField(e), e);
      }
      throw new IllegalArgumentException(e.getMessage(), e);
    }
    try {
      io.securetx.vault.Receipt receipt = vault.get().process(request);
      // The worker's MDC names the task; this line ties the task to the transaction it stored.
      try (MDC.MDCCloseable tx = MDC.putCloseable("tx_id", receipt.txId())) {
        LOG.info(
            "transaction {} at ledger seq {}",
            receipt.replayed() ? "replayed" : "stored",
            receipt.ledgerSeq());
      }
      return receipt.fields();
    } catch (IdempotencyConflictException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  @Override
  public RetryPolicy retryPolicy() {
    return retryPolicy;
  }

  /**
   * The idempotency key of a call that brings none: {@code task:} and the task id, or, when the id
   * is not a valid key (too long, other characters), {@code task:sha256:} and 32 hex digits of its
   * SHA-256.
   *
   * @param taskId the Celery task id
   * @return the key
   */
  public static String derivedKey(String taskId) {
    String plain = "task:" + taskId;
    try {
      return new IdempotencyKey(plain).value();
    } catch (ValidationException e) {
      byte[] digest = sha256().digest(taskId.getBytes(StandardCharsets.UTF_8));
      return "task:sha256:" + HexFormat.of().formatHex(digest, 0, 16);
    }
  }

  private static String afterField(ValidationException e) {
    String message = String.valueOf(e.getMessage());
    String prefix = e.field() + ": ";
    return message.startsWith(prefix) ? message.substring(prefix.length()) : message;
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }
}
