package io.securetx.adapter.cli;

import io.securetx.config.Secret;
import io.securetx.config.SecureTxConfig;
import io.securetx.config.Variable;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code securetx config}: the effective configuration, secrets masked. */
@Command(
    name = "config",
    description =
        "Print the effective configuration and where each value came from; secrets masked.")
final class ConfigCommand implements Callable<Integer> {

  private final CliContext context;

  @Spec picocli.CommandLine.Model.@Nullable CommandSpec spec;

  @Option(names = "--json", description = "Print JSON.")
  boolean json;

  ConfigCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() {
    SecureTxConfig config = context.config();
    Map<String, Object> rows = new LinkedHashMap<>();
    for (Variable variable : Variable.values()) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("value", display(config, variable));
      row.put("source", config.source(variable).name().toLowerCase(java.util.Locale.ROOT));
      row.put("secret", variable.secret());
      rows.put(variable.name(), row);
    }
    PrintWriter out = SecureTxCli.out(spec);
    if (json) {
      out.println(Output.json(rows));
      return ExitCodes.OK;
    }
    out.println("environment: " + (config.production() ? "production" : "development"));
    for (Variable variable : Variable.values()) {
      out.printf(
          "%-31s %-40s (%s)%n",
          variable.name(),
          display(config, variable),
          config.source(variable).name().toLowerCase(java.util.Locale.ROOT));
    }
    return ExitCodes.OK;
  }

  private static String display(SecureTxConfig config, Variable variable) {
    return switch (variable) {
      case API_KEY_V1 -> mask(config.apiKey());
      case ADMIN_PASSWORD -> mask(config.adminPassword());
      case DB_URL ->
          config.dbUrl() == null
              ? "(unset: SQLite " + config.sqliteFile() + ")"
              : maskUrl(config.dbUrl());
      case CELERY_BROKER_URL -> maskUrl(config.brokerUrl());
      case CELERY_RESULT_BACKEND -> maskUrl(config.resultBackend());
      case MAIL_DEFAULT_SENDER -> config.mailSender();
      case SMTP_URL ->
          config.smtpUrl() == null
              ? "(unset: .eml files in " + config.outboxDir() + ")"
              : maskUrl(config.smtpUrl());
      case SMTP_USERNAME -> config.smtpUsername() == null ? "(unset)" : config.smtpUsername();
      case SMTP_PASSWORD -> mask(config.smtpPassword());
      case SECURETX_ENV -> config.production() ? "production" : "development";
      case SECURETX_DATA_DIR -> config.dataDir().toString();
      case SECURETX_MASTER_KEY ->
          config.masterKey() == null
              ? "(unset: development key in " + config.keyDir() + ")"
              : mask(config.masterKey());
      case SECURETX_MAX_AMOUNT -> config.maxAmount().toPlainString();
      case SECURETX_DEFAULT_CURRENCY -> config.defaultCurrency().getCurrencyCode();
      case SECURETX_IDEMPOTENCY_RETENTION -> config.idempotencyRetention().toString();
      case SECURETX_TASK_ALIASES -> config.taskAliases().describe();
      case REPORT_DIR -> config.reportDir().toString();
      case API_KEYS ->
          config.http().apiKeys().isEmpty()
              ? "(unset)"
              : config.http().apiKeys().size() + " key(s), ****";
      case HTTP_HOST -> config.http().host();
      case HTTP_PORT -> Integer.toString(config.http().port());
      case HTTP_RATE_LIMIT ->
          config.http().rateLimit() == 0 ? "0 (off)" : config.http().rateLimit() + "/s";
      case HTTP_RATE_BURST -> Integer.toString(config.http().rateBurst());
      case HTTP_TLS_KEYSTORE ->
          config.http().tlsKeystore() == null
              ? "(unset: plain HTTP)"
              : String.valueOf(config.http().tlsKeystore());
      case HTTP_TLS_KEYSTORE_PASSWORD -> mask(config.http().tlsKeystorePassword());
      case HTTP_TRUST_FORWARDED -> Boolean.toString(config.http().trustForwarded());
      case METRICS_PORT ->
          config.metrics().port() == null
              ? "(unset: no metrics endpoint)"
              : String.valueOf(config.metrics().port());
      case METRICS_BIND -> config.metrics().bind();
      case SECURETX_LOG_FORMAT -> config.logs().json() ? "json" : "text";
      case AUDIT_LOG ->
          config.logs().auditLog() == null
              ? "(unset: standard error only)"
              : String.valueOf(config.logs().auditLog());
    };
  }

  private static String mask(@Nullable Secret secret) {
    if (secret == null) {
      return "(unset)";
    }
    return secret.isEmpty() ? "(empty)" : "****";
  }

  /** Shows a URL's scheme, host and path, never its user info or password parameters. */
  static String maskUrl(@Nullable Secret secret) {
    if (secret == null) {
      return "(unset)";
    }
    String url = secret.insecureValue();
    // Up to the last '@' before any query: an unencoded '@' or '/' in a password must not show.
    String masked = url.replaceFirst("://[^?#]*@", "://****@");
    masked = masked.replaceAll("(?i)(password=)[^&]*", "$1****");
    return masked;
  }
}
