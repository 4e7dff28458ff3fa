package io.securetx.adapter.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.securetx.crypto.CryptoException;
import io.securetx.crypto.IntegrityException;
import io.securetx.ledger.LedgerIntegrityException;
import io.securetx.ledger.LedgerStoreException;
import io.securetx.task.backend.ResultBackendException;
import io.securetx.task.broker.BrokerException;
import io.securetx.transaction.ValidationException;
import io.securetx.vault.IdempotencyConflictException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.eclipse.jetty.http.HttpStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns every failure into an RFC 9457 problem document. Client errors say what to fix; server
 * errors say only what kind of failure it was and a reference that is also in the log, never a
 * stack trace or an exception's message, which could carry a secret.
 */
final class Problems {

  /** The media type of every error body. */
  static final String MEDIA_TYPE = "application/problem+json";

  private static final Logger LOG = LoggerFactory.getLogger(Problems.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private Problems() {}

  /** The status phrase for {@code about:blank} problems. */
  static String reasonPhrase(int status) {
    String message = HttpStatus.getMessage(status);
    return message == null || message.isBlank() ? "HTTP " + status : message;
  }

  /** Renders a problem; {@code instance} is the request path the problem occurred on. */
  static byte[] render(ProblemException problem, String instance) {
    Map<String, Object> document = new LinkedHashMap<>();
    document.put("type", problem.type());
    document.put("title", problem.title());
    document.put("status", problem.status());
    document.put("detail", problem.detail());
    document.put("instance", instance);
    problem
        .orderedExtensions()
        .forEach(
            (name, value) -> {
              if (!document.containsKey(name)) {
                document.put(name, value);
              }
            });
    try {
      return JSON.writeValueAsBytes(document);
    } catch (JsonProcessingException e) {
      // Extensions are strings, numbers, lists and maps of those: this cannot happen.
      throw new IllegalStateException("cannot render a problem document", e);
    }
  }

  /** Writes a problem as the response. */
  static void respond(Context ctx, ProblemException problem) {
    problem.headers().forEach(ctx::header);
    ctx.status(problem.status())
        .contentType(MEDIA_TYPE)
        .result(render(problem, instance(ctx.req().getRequestURI())));
  }

  /** The request path, as sent (percent-encoded), bounded so that an error stays small. */
  static String instance(String requestUri) {
    return requestUri.length() <= 512 ? requestUri : requestUri.substring(0, 512);
  }

  static ProblemException validation(ValidationException first) {
    List<Map<String, String>> errors = new ArrayList<>();
    errors.add(fieldError(first));
    for (Throwable more : first.getSuppressed()) {
      if (more instanceof ValidationException next) {
        errors.add(fieldError(next));
      }
    }
    return ProblemException.of(
            422,
            "validation-error",
            "The request is not valid",
            errors.size() == 1
                ? String.valueOf(first.getMessage())
                : errors.size() + " fields are not valid; see errors")
        .with("errors", errors);
  }

  static Map<String, String> fieldError(ValidationException e) {
    Map<String, String> error = new LinkedHashMap<>();
    error.put("field", e.field());
    error.put("rule", e.rule());
    error.put("detail", String.valueOf(e.getMessage()));
    return error;
  }

  /** The error's message without its leading {@code "field: "}, for a detail that names it. */
  static String withoutField(ValidationException e) {
    String message = String.valueOf(e.getMessage());
    String prefix = e.field() + ": ";
    return message.startsWith(prefix) ? message.substring(prefix.length()) : message;
  }

  /**
   * A 422 listing field errors; the detail is the error's own when there is one.
   *
   * @param errors the errors, each from {@link #fieldError(String, String, String)}
   * @return the problem
   */
  static ProblemException invalid(List<Map<String, String>> errors) {
    return ProblemException.of(
            422,
            "validation-error",
            "The request is not valid",
            errors.size() == 1
                ? String.valueOf(errors.get(0).get("detail"))
                : errors.size() + " fields are not valid; see errors")
        .with("errors", errors);
  }

  static Map<String, String> fieldError(String field, String rule, String detail) {
    Map<String, String> error = new LinkedHashMap<>();
    error.put("field", field);
    error.put("rule", rule);
    error.put("detail", field + ": " + detail);
    return error;
  }

  static ProblemException idempotencyConflict(IdempotencyConflictException e) {
    return ProblemException.of(
        422,
        "idempotency-key-reused",
        "Idempotency key reused with a different request",
        String.valueOf(e.getMessage()));
  }

  /** A record or the chain was altered: a server-side integrity alarm, not a client error. */
  static ProblemException integrity(IntegrityException e) {
    ProblemException problem =
        ProblemException.of(
            500,
            "integrity-failure",
            "Vault integrity check failed",
            "the vault failed verification; nothing was changed. An operator must investigate"
                + " (securetx verify)");
    if (e instanceof LedgerIntegrityException ledger) {
      LOG.error("vault integrity failure at seq {}: {}", ledger.seq(), ledger.reason(), ledger);
      return problem
          .with("seq", ledger.seq())
          .with("reason", ledger.reason().name().toLowerCase(Locale.ROOT));
    }
    LOG.error("record integrity failure", e);
    return problem;
  }

  static ProblemException unavailable(RuntimeException e) {
    String reference = UUID.randomUUID().toString();
    LOG.error("vault unavailable (reference {})", reference, e);
    return ProblemException.of(
            503,
            "unavailable",
            "The vault is unavailable",
            "the vault or its keys cannot be reached; retry later (reference " + reference + ")")
        .with("reference", reference)
        .withHeader("Retry-After", "5");
  }

  static ProblemException internal(Throwable e) {
    String reference = UUID.randomUUID().toString();
    LOG.error("internal error (reference {})", reference, e);
    return ProblemException.http(500, "an unexpected error occurred (reference " + reference + ")")
        .with("reference", reference);
  }

  /** Maps a failure no route handled itself. */
  static ProblemException of(Exception e) {
    if (e instanceof ProblemException problem) {
      return problem;
    }
    if (e instanceof ValidationException validation) {
      return validation(validation);
    }
    if (e instanceof IdempotencyConflictException conflict) {
      return idempotencyConflict(conflict);
    }
    if (e instanceof IntegrityException integrity) {
      return integrity(integrity);
    }
    if (e instanceof LedgerStoreException
        || e instanceof CryptoException
        || e instanceof BrokerException
        || e instanceof ResultBackendException) {
      return unavailable((RuntimeException) e);
    }
    return internal(e);
  }

  /** The bytes of a minimal problem, for the few places that cannot use Jackson's result. */
  static byte[] plain(int status, String detail, String instance) {
    return render(ProblemException.http(status, detail), instance);
  }
}
