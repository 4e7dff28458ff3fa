package io.securetx.config;

import io.securetx.config.SecureTxConfig.Source;
import io.securetx.crypto.CryptoException;
import io.securetx.crypto.MasterKey;
import io.securetx.mail.EmailAddress;
import io.securetx.transaction.Money;
import io.securetx.transaction.TransactionLimits;
import io.securetx.transaction.ValidationException;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Currency;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Reads {@link SecureTxConfig} from environment variables. A secret may come from {@code NAME} or
 * from the file named by {@code NAME_FILE} (the Docker and Kubernetes secrets convention), never
 * both. In production the seed's placeholder values and missing secrets are refused; every problem
 * is collected and reported together.
 */
public final class ConfigLoader {

  /** The seed's sample database URL, which names a host that does not exist. */
  static final String SEED_DB_URL = "postgres://user:secret@your_db_host:5432/production_db";

  /** The shortest administrator password accepted in production. */
  static final int MIN_ADMIN_PASSWORD = 12;

  private ConfigLoader() {}

  /**
   * Loads the configuration.
   *
   * @param env the environment, usually {@link System#getenv()}
   * @return the configuration
   * @throws ConfigException listing every problem
   */
  public static SecureTxConfig load(Map<String, String> env) {
    List<String> problems = new ArrayList<>();
    Map<Variable, Source> sources = new EnumMap<>(Variable.class);
    Map<Variable, String> values = new EnumMap<>(Variable.class);
    for (Variable variable : Variable.values()) {
      read(env, variable, problems, sources, values);
    }

    String envName = values.getOrDefault(Variable.SECURETX_ENV, "development");
    boolean production = envName.equals("production");
    if (!production && !envName.equals("development")) {
      problems.add("SECURETX_ENV must be development or production");
    }
    if (production) {
      checkProduction(values, sources, problems);
    }
    if (SEED_DB_URL.equals(values.get(Variable.DB_URL))) {
      problems.add("DB_URL is the seed's sample value; set a real database or unset it for SQLite");
    }

    // The transaction core owns these rules; configuration only reports them under its names.
    BigDecimal maxAmount = TransactionLimits.DEFAULT.maxAmount();
    try {
      maxAmount =
          new TransactionLimits(
                  new BigDecimal(values.getOrDefault(Variable.SECURETX_MAX_AMOUNT, "1000000.00")))
              .maxAmount();
    } catch (NumberFormatException e) {
      problems.add("SECURETX_MAX_AMOUNT must be a decimal number such as 1000000.00");
    } catch (IllegalArgumentException e) {
      problems.add("SECURETX_MAX_AMOUNT " + e.getMessage());
    }

    Currency currency = Currency.getInstance("USD");
    try {
      currency = Money.currency(values.getOrDefault(Variable.SECURETX_DEFAULT_CURRENCY, "USD"));
    } catch (ValidationException e) {
      problems.add(
          "SECURETX_DEFAULT_CURRENCY must be an ISO 4217 money currency such as USD ("
              + e.getMessage()
              + ")");
    }

    Duration retention = Duration.ofHours(24);
    try {
      retention =
          Duration.parse(values.getOrDefault(Variable.SECURETX_IDEMPOTENCY_RETENTION, "PT24H"));
      if (retention.isNegative() || retention.isZero()) {
        problems.add("SECURETX_IDEMPOTENCY_RETENTION must be positive");
      }
    } catch (DateTimeParseException e) {
      problems.add("SECURETX_IDEMPOTENCY_RETENTION must be an ISO-8601 duration such as PT24H");
    }

    TaskAliases aliases = new TaskAliases(List.of(), Map.of());
    try {
      aliases = TaskAliases.parse(values.getOrDefault(Variable.SECURETX_TASK_ALIASES, ""));
    } catch (IllegalArgumentException e) {
      problems.add("SECURETX_TASK_ALIASES: " + e.getMessage());
    }

    String sender = values.get(Variable.MAIL_DEFAULT_SENDER);
    if (sender != null) {
      try {
        EmailAddress.parse(sender);
      } catch (IllegalArgumentException e) {
        problems.add(
            "MAIL_DEFAULT_SENDER must be a plain address such as noreply@example.com: "
                + e.getMessage());
      }
    }

    SecureTxConfig.Http http = http(values, problems);
    SecureTxConfig.MetricsEndpoint metrics = metrics(values, problems);

    String masterKey = values.get(Variable.SECURETX_MASTER_KEY);
    if (masterKey != null && !masterKey.isEmpty()) {
      try {
        MasterKey.fromBase64(masterKey);
      } catch (CryptoException e) {
        // The message never contains the key text.
        problems.add("SECURETX_MASTER_KEY is invalid: " + e.getMessage());
      }
    }

    Path dataDir = Path.of(values.getOrDefault(Variable.SECURETX_DATA_DIR, "./data"));
    Path reportDir = dataDir.resolve("reports");
    String reportDirValue = values.get(Variable.REPORT_DIR);
    if (reportDirValue != null) {
      try {
        if (reportDirValue.isBlank()) {
          problems.add("REPORT_DIR must not be empty; unset it for SECURETX_DATA_DIR/reports");
        } else {
          reportDir = Path.of(reportDirValue);
        }
      } catch (java.nio.file.InvalidPathException e) {
        problems.add("REPORT_DIR is not a valid path: " + e.getReason());
      }
    }

    SecureTxConfig.Logs logs = logs(values, production, problems);

    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return new SecureTxConfig(
        production,
        dataDir,
        Secret.of(values.getOrDefault(Variable.API_KEY_V1, "")),
        Secret.of(values.getOrDefault(Variable.ADMIN_PASSWORD, "")),
        secretOrNull(values.get(Variable.DB_URL)),
        Secret.of(values.getOrDefault(Variable.CELERY_BROKER_URL, "")),
        Secret.of(values.getOrDefault(Variable.CELERY_RESULT_BACKEND, "")),
        values.getOrDefault(Variable.MAIL_DEFAULT_SENDER, ""),
        secretOrNull(values.get(Variable.SMTP_URL)),
        emptyToNull(values.get(Variable.SMTP_USERNAME)),
        secretOrNull(values.get(Variable.SMTP_PASSWORD)),
        secretOrNull(values.get(Variable.SECURETX_MASTER_KEY)),
        maxAmount,
        currency,
        retention,
        aliases,
        reportDir,
        http,
        metrics,
        logs,
        sources);
  }

  private static SecureTxConfig.Logs logs(
      Map<Variable, String> values, boolean production, List<String> problems) {
    String format = values.get(Variable.SECURETX_LOG_FORMAT);
    boolean json = production;
    if (format != null && !format.isEmpty()) {
      if (format.equals("json") || format.equals("text")) {
        json = format.equals("json");
      } else {
        problems.add("SECURETX_LOG_FORMAT must be json or text (unset: json in production)");
      }
    }
    Path auditLog = null;
    String audit = values.get(Variable.AUDIT_LOG);
    if (audit != null && !audit.isEmpty()) {
      try {
        auditLog = Path.of(audit);
        if (Files.isDirectory(auditLog)) {
          problems.add("AUDIT_LOG names a directory; it must name a file");
        }
      } catch (java.nio.file.InvalidPathException e) {
        problems.add("AUDIT_LOG is not a valid path: " + e.getReason());
      }
    }
    return new SecureTxConfig.Logs(json, auditLog);
  }

  private static SecureTxConfig.MetricsEndpoint metrics(
      Map<Variable, String> values, List<String> problems) {
    Integer port = null;
    String portText = values.get(Variable.METRICS_PORT);
    if (portText != null && !portText.isBlank()) {
      try {
        port = Integer.parseInt(portText.strip());
        if (port < 0 || port > 65535) {
          problems.add("METRICS_PORT must be a port number from 0 to 65535 (unset: no endpoint)");
          port = null;
        }
      } catch (NumberFormatException e) {
        problems.add("METRICS_PORT must be a port number from 0 to 65535 (unset: no endpoint)");
      }
    }
    String bind = values.getOrDefault(Variable.METRICS_BIND, "127.0.0.1").strip();
    if (bind.isEmpty()) {
      problems.add("METRICS_BIND must not be empty (0.0.0.0 listens on every interface)");
      bind = "127.0.0.1";
    }
    return new SecureTxConfig.MetricsEndpoint(bind, port);
  }

  private static @Nullable String emptyToNull(@Nullable String value) {
    return value == null || value.isEmpty() ? null : value;
  }

  private static SecureTxConfig.Http http(Map<Variable, String> values, List<String> problems) {
    int port = 8080;
    String portText = values.getOrDefault(Variable.HTTP_PORT, "8080").strip();
    try {
      port = Integer.parseInt(portText);
      if (port < 0 || port > 65535) {
        problems.add("HTTP_PORT must be a port number from 0 to 65535");
        port = 8080;
      }
    } catch (NumberFormatException e) {
      problems.add("HTTP_PORT must be a port number from 0 to 65535");
    }
    double rate = 100;
    try {
      rate = Double.parseDouble(values.getOrDefault(Variable.HTTP_RATE_LIMIT, "100").strip());
      if (!(rate >= 0) || Double.isInfinite(rate)) {
        problems.add("HTTP_RATE_LIMIT must be a number of requests per second >= 0");
        rate = 100;
      }
    } catch (NumberFormatException e) {
      problems.add("HTTP_RATE_LIMIT must be a number of requests per second >= 0");
    }
    int burst = 200;
    try {
      burst = Integer.parseInt(values.getOrDefault(Variable.HTTP_RATE_BURST, "200").strip());
      if (burst < 1) {
        problems.add("HTTP_RATE_BURST must be a whole number >= 1");
        burst = 200;
      }
    } catch (NumberFormatException e) {
      problems.add("HTTP_RATE_BURST must be a whole number >= 1");
    }
    String host = values.getOrDefault(Variable.HTTP_HOST, "0.0.0.0").strip();
    if (host.isEmpty()) {
      problems.add("HTTP_HOST must not be empty (0.0.0.0 listens on every interface)");
      host = "0.0.0.0";
    }
    List<Secret> keys = new ArrayList<>();
    for (String key : values.getOrDefault(Variable.API_KEYS, "").split("[,\\s]+")) {
      if (!key.isEmpty()) {
        keys.add(Secret.of(key));
      }
    }
    Path keystore = null;
    Secret keystorePassword = null;
    String keystoreText = values.get(Variable.HTTP_TLS_KEYSTORE);
    String passwordText = values.get(Variable.HTTP_TLS_KEYSTORE_PASSWORD);
    if (keystoreText != null && !keystoreText.isBlank()) {
      try {
        keystore = Path.of(keystoreText.strip());
      } catch (java.nio.file.InvalidPathException e) {
        problems.add("HTTP_TLS_KEYSTORE is not a valid path: " + e.getReason());
      }
      if (passwordText == null) {
        problems.add(
            "HTTP_TLS_KEYSTORE_PASSWORD (or HTTP_TLS_KEYSTORE_PASSWORD_FILE) is required with"
                + " HTTP_TLS_KEYSTORE");
      } else {
        keystorePassword = Secret.of(passwordText);
      }
    } else if (keystoreText != null) {
      problems.add("HTTP_TLS_KEYSTORE must not be empty; unset it to serve plain HTTP");
    }
    // A password alone changes nothing: without a keystore the server speaks plain HTTP, and says
    // so (serve prints http://). Secrets mounted for every service must not fail this one.
    if (keystore == null || keystorePassword == null) {
      keystore = null;
      keystorePassword = null;
    }
    String trustText =
        values
            .getOrDefault(Variable.HTTP_TRUST_FORWARDED, "false")
            .strip()
            .toLowerCase(Locale.ROOT);
    boolean trustForwarded = false;
    if (trustText.equals("true")) {
      trustForwarded = true;
    } else if (!trustText.equals("false")) {
      problems.add("HTTP_TRUST_FORWARDED must be true or false");
    }
    return new SecureTxConfig.Http(
        host, port, rate, burst, keys, keystore, keystorePassword, trustForwarded);
  }

  private static @Nullable Secret secretOrNull(@Nullable String value) {
    return value == null || value.isEmpty() ? null : Secret.of(value);
  }

  private static void read(
      Map<String, String> env,
      Variable variable,
      List<String> problems,
      Map<Variable, Source> sources,
      Map<Variable, String> values) {
    String direct = env.get(variable.name());
    String file = variable.secret() ? env.get(variable.fileVariable()) : null;
    if (direct != null && file != null) {
      problems.add(
          "both "
              + variable.name()
              + " and "
              + variable.fileVariable()
              + " are set; set only one of them");
      sources.put(variable, Source.UNSET);
      return;
    }
    if (file != null) {
      try {
        values.put(
            variable, stripOneNewline(Files.readString(Path.of(file), StandardCharsets.UTF_8)));
        sources.put(variable, Source.FILE);
      } catch (IOException | RuntimeException e) {
        problems.add(variable.fileVariable() + " names a file that cannot be read: " + file);
        sources.put(variable, Source.UNSET);
      }
      return;
    }
    if (direct != null) {
      values.put(variable, direct);
      sources.put(variable, Source.ENVIRONMENT);
      return;
    }
    String fallback = variable.defaultValue();
    if (fallback != null) {
      values.put(variable, fallback);
      sources.put(variable, Source.DEFAULT);
    } else {
      sources.put(variable, Source.UNSET);
    }
  }

  private static String stripOneNewline(String content) {
    if (content.endsWith("\r\n")) {
      return content.substring(0, content.length() - 2);
    }
    if (content.endsWith("\n")) {
      return content.substring(0, content.length() - 1);
    }
    return content;
  }

  private static void checkProduction(
      Map<Variable, String> values, Map<Variable, Source> sources, List<String> problems) {
    for (Variable required :
        List.of(Variable.API_KEY_V1, Variable.ADMIN_PASSWORD, Variable.SECURETX_MASTER_KEY)) {
      Source source = sources.get(required);
      String value = values.get(required);
      if (source == Source.UNSET || source == Source.DEFAULT || value == null) {
        problems.add(
            required.name()
                + " is required in production (set it or "
                + required.fileVariable()
                + ")");
      } else if (value.isEmpty()) {
        problems.add(required.name() + " must not be empty in production");
      }
    }
    for (Variable placeholder :
        List.of(Variable.API_KEY_V1, Variable.ADMIN_PASSWORD, Variable.MAIL_DEFAULT_SENDER)) {
      if (sources.get(placeholder) != Source.DEFAULT
          && placeholder.defaultValue() != null
          && placeholder.defaultValue().equals(values.get(placeholder))) {
        problems.add(placeholder.name() + " is the seed's placeholder value; set a real one");
      }
    }
    if (sources.get(Variable.MAIL_DEFAULT_SENDER) == Source.DEFAULT) {
      problems.add("MAIL_DEFAULT_SENDER is the seed's placeholder value; set a real one");
    }
    String password = values.get(Variable.ADMIN_PASSWORD);
    if (password != null
        && !password.isEmpty()
        && password.length() < MIN_ADMIN_PASSWORD
        && sources.get(Variable.ADMIN_PASSWORD) != Source.DEFAULT) {
      problems.add(
          "ADMIN_PASSWORD must be at least " + MIN_ADMIN_PASSWORD + " characters in production");
    }
  }
}
