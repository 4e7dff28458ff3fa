package io.securetx.config;

import org.jspecify.annotations.Nullable;

/** Every configuration variable securetx reads. The README's configuration table mirrors this. */
public enum Variable {
  /** The first API key; the seed's variable, required to process transactions. */
  API_KEY_V1(true, "sk_live_YOUR_ACTUAL_API_KEY", "the first API key; must be non-empty"),
  /** Guards administrative actions; the seed's variable. */
  ADMIN_PASSWORD(true, "your-strong-admin-password", "password for administrative actions"),
  /** Where the vault lives. */
  DB_URL(true, null, "PostgreSQL vault; unset means SQLite under SECURETX_DATA_DIR"),
  /** The Celery broker. */
  CELERY_BROKER_URL(true, "redis://localhost:6379/0", "task broker URL (Celery's)"),
  /** The Celery result backend. */
  CELERY_RESULT_BACKEND(true, "redis://localhost:6379/0", "task result backend URL (Celery's)"),
  /** The sender of system e-mail. */
  MAIL_DEFAULT_SENDER(false, "noreply@example.com", "sender address of system e-mail"),
  /** The SMTP server; unset writes e-mail to the outbox directory. */
  SMTP_URL(true, null, "smtp://host:587 (STARTTLS) or smtps://host:465; unset: .eml outbox"),
  /** The SMTP user, when not in {@code SMTP_URL}. */
  SMTP_USERNAME(false, null, "SMTP user name, when not given in SMTP_URL"),
  /** The SMTP password, when not in {@code SMTP_URL}. */
  SMTP_PASSWORD(true, null, "SMTP password, when not given in SMTP_URL"),
  /** {@code development} or {@code production}. */
  SECURETX_ENV(false, "development", "development or production"),
  /** Where the SQLite vault, keys and outputs go. */
  SECURETX_DATA_DIR(false, "./data", "data directory"),
  /** The key that encrypts the keysets at rest. */
  SECURETX_MASTER_KEY(true, null, "base64 of 32 random bytes; wraps the keysets"),
  /** The largest accepted amount. */
  SECURETX_MAX_AMOUNT(false, "1000000.00", "largest accepted amount, in major units"),
  /** The currency used when a request names none. */
  SECURETX_DEFAULT_CURRENCY(false, "USD", "ISO 4217 currency when none is given"),
  /** How long an idempotency key is remembered. */
  SECURETX_IDEMPOTENCY_RETENTION(false, "PT24H", "how long idempotency keys are remembered"),
  /** Further names of the tasks, for unchanged Python clients. */
  SECURETX_TASK_ALIASES(false, "new.", "further task names: module prefixes (new.) or alias=task"),
  /** Where monthly reports are written. */
  REPORT_DIR(false, null, "directory of monthly reports; unset means SECURETX_DATA_DIR/reports"),
  /** More API keys for the HTTP API, beside {@link #API_KEY_V1}. */
  API_KEYS(true, null, "further API keys, comma- or newline-separated"),
  /** The address {@code securetx serve} listens on. */
  HTTP_HOST(false, "0.0.0.0", "address the HTTP API listens on"),
  /** The port {@code securetx serve} listens on. */
  HTTP_PORT(false, "8080", "port the HTTP API listens on"),
  /** Requests per second each API key may make, on average. */
  HTTP_RATE_LIMIT(false, "100", "requests per second per API key; 0 turns the limit off"),
  /** How many requests an API key may make at once above its rate. */
  HTTP_RATE_BURST(false, "200", "burst size of the per-key rate limit"),
  /** The PKCS#12 keystore that turns on HTTPS for {@code securetx serve}. */
  HTTP_TLS_KEYSTORE(false, null, "PKCS#12 file with the HTTPS certificate and key; unset: HTTP"),
  /** The password of {@link #HTTP_TLS_KEYSTORE} (and of its key entry). */
  HTTP_TLS_KEYSTORE_PASSWORD(true, null, "password of HTTP_TLS_KEYSTORE and of its key"),
  /**
   * Whether {@code securetx serve} takes the client's scheme, host and address from {@code
   * Forwarded} / {@code X-Forwarded-*}: only behind a proxy that sets (overwrites) these headers.
   */
  HTTP_TRUST_FORWARDED(
      false, "false", "true behind a proxy that sets Forwarded/X-Forwarded-*; else forgeable"),
  /**
   * The port of a separate {@code /metrics} and {@code /healthz} endpoint: {@code securetx worker}
   * serves one only when it is set, {@code securetx serve} then moves {@code /metrics} off its API.
   */
  METRICS_PORT(false, null, "port of a separate /metrics endpoint (worker, serve); unset: none"),
  /** The address the {@link #METRICS_PORT} endpoint listens on. */
  METRICS_BIND(false, "127.0.0.1", "address the METRICS_PORT endpoint listens on"),
  /** {@code json} or {@code text}; unset means JSON in production and text in development. */
  SECURETX_LOG_FORMAT(false, null, "json or text logs on stderr; unset: json in production"),
  /** A file the audit stream is appended to, as JSON lines. */
  AUDIT_LOG(false, null, "file the audit events are appended to (JSON lines); unset: stderr only");

  private final boolean secret;
  private final @Nullable String defaultValue;
  private final String summary;

  Variable(boolean secret, @Nullable String defaultValue, String summary) {
    this.secret = secret;
    this.defaultValue = defaultValue;
    this.summary = summary;
  }

  /** Whether the value is secret: masked in output, and also readable from {@code NAME_FILE}. */
  public boolean secret() {
    return secret;
  }

  /** The development default, or null if there is none. */
  public @Nullable String defaultValue() {
    return defaultValue;
  }

  /** A one-line description. */
  public String summary() {
    return summary;
  }

  /** The name of the variable that points to a file holding the value. */
  public String fileVariable() {
    return name() + "_FILE";
  }
}
