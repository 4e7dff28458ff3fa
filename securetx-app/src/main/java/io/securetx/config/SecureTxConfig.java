package io.securetx.config;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The effective configuration. Secrets are {@link Secret}s, so printing this record leaks nothing.
 *
 * @param production whether {@code SECURETX_ENV=production}
 * @param dataDir the data directory
 * @param apiKey {@code API_KEY_V1}; may be empty, which refuses processing
 * @param adminPassword {@code ADMIN_PASSWORD}
 * @param dbUrl {@code DB_URL}, or null for the embedded SQLite vault
 * @param brokerUrl {@code CELERY_BROKER_URL}
 * @param resultBackend {@code CELERY_RESULT_BACKEND}
 * @param mailSender {@code MAIL_DEFAULT_SENDER}, a valid e-mail address
 * @param smtpUrl {@code SMTP_URL}, or null to write e-mail to {@link #outboxDir()}
 * @param smtpUsername {@code SMTP_USERNAME}, or null
 * @param smtpPassword {@code SMTP_PASSWORD}, or null
 * @param masterKey {@code SECURETX_MASTER_KEY}, or null (development generates one)
 * @param maxAmount {@code SECURETX_MAX_AMOUNT}
 * @param defaultCurrency {@code SECURETX_DEFAULT_CURRENCY}
 * @param idempotencyRetention {@code SECURETX_IDEMPOTENCY_RETENTION}
 * @param taskAliases {@code SECURETX_TASK_ALIASES}
 * @param reportDir {@code REPORT_DIR}: where monthly reports are written
 * @param http the HTTP API's settings
 * @param metrics where a separate {@code /metrics} endpoint listens, if anywhere
 * @param logs where and how logs are written
 * @param sources where each variable's value came from
 */
public record SecureTxConfig(
    boolean production,
    Path dataDir,
    Secret apiKey,
    Secret adminPassword,
    @Nullable Secret dbUrl,
    Secret brokerUrl,
    Secret resultBackend,
    String mailSender,
    @Nullable Secret smtpUrl,
    @Nullable String smtpUsername,
    @Nullable Secret smtpPassword,
    @Nullable Secret masterKey,
    BigDecimal maxAmount,
    Currency defaultCurrency,
    Duration idempotencyRetention,
    TaskAliases taskAliases,
    Path reportDir,
    Http http,
    MetricsEndpoint metrics,
    Logs logs,
    Map<Variable, Source> sources) {

  /**
   * Where and how logs are written.
   *
   * @param json {@code SECURETX_LOG_FORMAT=json}, or unset in production: JSON lines on standard
   *     error instead of text
   * @param auditLog {@code AUDIT_LOG}: the file the audit stream is appended to, or null
   */
  public record Logs(boolean json, @Nullable Path auditLog) {}

  /**
   * Where a separate {@code /metrics} and {@code /healthz} endpoint listens: the only one of {@code
   * securetx worker}, and the one of {@code securetx serve} that takes {@code /metrics} off the API
   * port so that the API can be public while the meters stay internal.
   *
   * @param bind {@code METRICS_BIND}, the address to listen on
   * @param port {@code METRICS_PORT}, 0 for any free port, or null for no endpoint
   */
  public record MetricsEndpoint(String bind, @Nullable Integer port) {

    /** Validates the address and the port. */
    public MetricsEndpoint {
      if (bind.isBlank()) {
        throw new IllegalArgumentException("bind address must not be blank");
      }
      if (port != null && (port < 0 || port > 65535)) {
        throw new IllegalArgumentException("port must be in 0..65535, got " + port);
      }
    }
  }

  /**
   * The HTTP API's settings ({@code securetx serve}).
   *
   * @param host {@code HTTP_HOST}
   * @param port {@code HTTP_PORT}, 0 for any free port
   * @param rateLimit {@code HTTP_RATE_LIMIT}: requests per second per API key, 0 for no limit
   * @param rateBurst {@code HTTP_RATE_BURST}: requests an idle key may make at once
   * @param apiKeys {@code API_KEYS}: the API keys beside {@code API_KEY_V1}
   * @param tlsKeystore {@code HTTP_TLS_KEYSTORE}: the PKCS#12 file that turns HTTPS on, or null
   * @param tlsKeystorePassword {@code HTTP_TLS_KEYSTORE_PASSWORD}, set exactly when the keystore is
   * @param trustForwarded {@code HTTP_TRUST_FORWARDED}: the client's scheme, host and address come
   *     from {@code Forwarded} / {@code X-Forwarded-*} (only behind a proxy that sets them)
   */
  public record Http(
      String host,
      int port,
      double rateLimit,
      int rateBurst,
      List<Secret> apiKeys,
      @Nullable Path tlsKeystore,
      @Nullable Secret tlsKeystorePassword,
      boolean trustForwarded) {

    /** Validates the ranges and copies the list. */
    public Http {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port must be in 0..65535, got " + port);
      }
      if (!(rateLimit >= 0) || Double.isInfinite(rateLimit)) {
        throw new IllegalArgumentException("rate limit must be finite and >= 0");
      }
      if (rateBurst < 1) {
        throw new IllegalArgumentException("rate burst must be at least 1, got " + rateBurst);
      }
      apiKeys = List.copyOf(apiKeys);
      if ((tlsKeystore == null) != (tlsKeystorePassword == null)) {
        throw new IllegalArgumentException("a TLS keystore needs its password, and only then");
      }
    }

    /**
     * Plain HTTP.
     *
     * @param host {@code HTTP_HOST}
     * @param port {@code HTTP_PORT}
     * @param rateLimit {@code HTTP_RATE_LIMIT}
     * @param rateBurst {@code HTTP_RATE_BURST}
     * @param apiKeys {@code API_KEYS}
     */
    public Http(String host, int port, double rateLimit, int rateBurst, List<Secret> apiKeys) {
      this(host, port, rateLimit, rateBurst, apiKeys, null, null, false);
    }

    /**
     * Without trusting forwarded headers.
     *
     * @param host {@code HTTP_HOST}
     * @param port {@code HTTP_PORT}
     * @param rateLimit {@code HTTP_RATE_LIMIT}
     * @param rateBurst {@code HTTP_RATE_BURST}
     * @param apiKeys {@code API_KEYS}
     * @param tlsKeystore {@code HTTP_TLS_KEYSTORE}
     * @param tlsKeystorePassword {@code HTTP_TLS_KEYSTORE_PASSWORD}
     */
    public Http(
        String host,
        int port,
        double rateLimit,
        int rateBurst,
        List<Secret> apiKeys,
        @Nullable Path tlsKeystore,
        @Nullable Secret tlsKeystorePassword) {
      this(host, port, rateLimit, rateBurst, apiKeys, tlsKeystore, tlsKeystorePassword, false);
    }

    /** Whether {@code securetx serve} speaks HTTPS. */
    public boolean tls() {
      return tlsKeystore != null;
    }
  }

  /** Where a value came from. */
  public enum Source {
    /** The variable itself. */
    ENVIRONMENT,
    /** The file named by {@code NAME_FILE}. */
    FILE,
    /** The development default. */
    DEFAULT,
    /** Not set, and no default. */
    UNSET
  }

  /** Copies the map. */
  public SecureTxConfig {
    sources = Map.copyOf(sources);
  }

  /**
   * Where a variable's value came from.
   *
   * @param variable the variable
   * @return its source, {@link Source#UNSET} when it has none
   */
  public Source source(Variable variable) {
    return sources.getOrDefault(variable, Source.UNSET);
  }

  /** The directory holding the keysets and, in development, the generated master key. */
  public Path keyDir() {
    return dataDir.resolve("keys");
  }

  /** Where e-mail goes as {@code .eml} files when {@link #smtpUrl()} is null. */
  public Path outboxDir() {
    return dataDir.resolve("outbox");
  }

  /** The embedded vault file, used when {@link #dbUrl()} is null. */
  public Path sqliteFile() {
    return dataDir.resolve("vault.db");
  }
}
