package io.securetx.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.securetx.config.SecureTxConfig.Source;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ConfigLoaderTest {

  /** Distinctive values, so that finding one in a message can only mean a leak. */
  private static final String API_KEY = "sk_test_LEAKCHECK_apikey_7f3a9c";

  private static final String ADMIN_PASSWORD = "LEAKCHECK-admin-password-91b2";
  private static final String MASTER_KEY = masterKey((byte) 0x5a);
  private static final String DB_PASSWORD = "LEAKCHECK-db-pass-42";
  private static final String BROKER_PASSWORD = "LEAKCHECK-redis-pass-17";

  @TempDir Path dir;

  private static String masterKey(byte fill) {
    byte[] key = new byte[32];
    java.util.Arrays.fill(key, fill);
    return Base64.getEncoder().encodeToString(key);
  }

  private static Map<String, String> validProduction() {
    Map<String, String> env = new HashMap<>();
    env.put("SECURETX_ENV", "production");
    env.put("API_KEY_V1", API_KEY);
    env.put("ADMIN_PASSWORD", ADMIN_PASSWORD);
    env.put("SECURETX_MASTER_KEY", MASTER_KEY);
    env.put("MAIL_DEFAULT_SENDER", "payments@bank.example");
    return env;
  }

  private static ConfigException loadFailure(Map<String, String> env) {
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(env));
    assertThat(e)
        .as("ConfigLoader.load(%s) should throw ConfigException", env.keySet())
        .isNotNull();
    return e;
  }

  @Test
  void load_emptyEnvironment_usesDevelopmentDefaults() {
    SecureTxConfig config = ConfigLoader.load(Map.of());

    assertThat(config.production()).isFalse();
    assertThat(config.dataDir()).isEqualTo(Path.of("./data"));
    assertThat(config.apiKey().insecureValue()).isEqualTo("sk_live_YOUR_ACTUAL_API_KEY");
    assertThat(config.adminPassword().insecureValue()).isEqualTo("your-strong-admin-password");
    assertThat(config.dbUrl()).isNull();
    assertThat(config.masterKey()).isNull();
    assertThat(config.brokerUrl().insecureValue()).isEqualTo("redis://localhost:6379/0");
    assertThat(config.resultBackend().insecureValue()).isEqualTo("redis://localhost:6379/0");
    assertThat(config.mailSender()).isEqualTo("noreply@example.com");
    assertThat(config.maxAmount()).isEqualByComparingTo(new BigDecimal("1000000.00"));
    assertThat(config.defaultCurrency().getCurrencyCode()).isEqualTo("USD");
    assertThat(config.idempotencyRetention()).isEqualTo(Duration.ofHours(24));
    assertThat(config.sqliteFile()).isEqualTo(Path.of("./data").resolve("vault.db"));
    assertThat(config.keyDir()).isEqualTo(Path.of("./data").resolve("keys"));
  }

  @Test
  void load_emptyEnvironment_sourcesAreDefaultOrUnset() {
    SecureTxConfig config = ConfigLoader.load(Map.of());

    for (Variable variable : Variable.values()) {
      Source expected = variable.defaultValue() == null ? Source.UNSET : Source.DEFAULT;
      assertThat(config.source(variable)).as(variable.name()).isEqualTo(expected);
    }
    assertThat(config.source(Variable.DB_URL)).isEqualTo(Source.UNSET);
    assertThat(config.source(Variable.API_KEY_V1)).isEqualTo(Source.DEFAULT);
  }

  @Test
  void load_trustForwarded_isOffByDefault_andOnlyTrueOrFalse() {
    assertThat(ConfigLoader.load(Map.of()).http().trustForwarded()).isFalse();
    assertThat(ConfigLoader.load(Map.of("HTTP_TRUST_FORWARDED", "true")).http().trustForwarded())
        .isTrue();
    assertThat(ConfigLoader.load(Map.of("HTTP_TRUST_FORWARDED", " TRUE ")).http().trustForwarded())
        .isTrue();
    assertThat(ConfigLoader.load(Map.of("HTTP_TRUST_FORWARDED", "false")).http().trustForwarded())
        .isFalse();
    assertThat(loadFailure(Map.of("HTTP_TRUST_FORWARDED", "yes")).getMessage())
        .contains("HTTP_TRUST_FORWARDED must be true or false");
  }

  @Test
  void load_metricsEndpoint_offByDefaultOnLoopback_portAndBindRead() {
    SecureTxConfig.MetricsEndpoint none = ConfigLoader.load(Map.of()).metrics();
    SecureTxConfig.MetricsEndpoint set =
        ConfigLoader.load(Map.of("METRICS_PORT", " 9464 ", "METRICS_BIND", "0.0.0.0")).metrics();

    assertThat(none.port()).isNull();
    assertThat(none.bind()).isEqualTo("127.0.0.1");
    assertThat(set.port()).isEqualTo(9464);
    assertThat(set.bind()).isEqualTo("0.0.0.0");
    assertThat(ConfigLoader.load(Map.of("METRICS_PORT", "")).metrics().port()).isNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"abc", "-1", "65536", "9464x"})
  void load_badMetricsPort_problemNamesMetricsPort(String value) {
    assertThat(loadFailure(Map.of("METRICS_PORT", value)).getMessage())
        .contains("METRICS_PORT must be a port number from 0 to 65535");
  }

  @Test
  void load_blankMetricsBind_problemNamesMetricsBind() {
    assertThat(loadFailure(Map.of("METRICS_BIND", " ")).getMessage())
        .contains("METRICS_BIND must not be empty");
  }

  @Test
  void load_variableSet_sourceIsEnvironment() {
    SecureTxConfig config =
        ConfigLoader.load(Map.of("API_KEY_V1", API_KEY, "SECURETX_DATA_DIR", dir.toString()));

    assertThat(config.apiKey().insecureValue()).isEqualTo(API_KEY);
    assertThat(config.source(Variable.API_KEY_V1)).isEqualTo(Source.ENVIRONMENT);
    assertThat(config.dataDir()).isEqualTo(dir);
    assertThat(config.source(Variable.SECURETX_DATA_DIR)).isEqualTo(Source.ENVIRONMENT);
  }

  @Test
  void load_fileVariable_readsFileWithoutTrailingNewline() throws IOException {
    Path file = dir.resolve("api_key");
    Files.writeString(file, API_KEY + "\n", StandardCharsets.UTF_8);

    SecureTxConfig config = ConfigLoader.load(Map.of("API_KEY_V1_FILE", file.toString()));

    assertThat(config.apiKey().insecureValue()).isEqualTo(API_KEY);
    assertThat(config.source(Variable.API_KEY_V1)).isEqualTo(Source.FILE);
  }

  @Test
  void load_fileVariableWithCrlf_stripsOnlyTheLineEnd() throws IOException {
    Path file = dir.resolve("admin_password");
    Files.writeString(file, " " + ADMIN_PASSWORD + " \r\n", StandardCharsets.UTF_8);

    SecureTxConfig config = ConfigLoader.load(Map.of("ADMIN_PASSWORD_FILE", file.toString()));

    assertThat(config.adminPassword().insecureValue()).isEqualTo(" " + ADMIN_PASSWORD + " ");
    assertThat(config.source(Variable.ADMIN_PASSWORD)).isEqualTo(Source.FILE);
  }

  @Test
  void load_fileVariableForEverySecret_readsEachFromItsFile() throws IOException {
    Map<String, String> env = new HashMap<>();
    for (Variable variable : Variable.values()) {
      if (variable.secret()) {
        Path file = dir.resolve(variable.name().toLowerCase(java.util.Locale.ROOT));
        String value =
            variable == Variable.SECURETX_MASTER_KEY
                ? MASTER_KEY
                : variable == Variable.DB_URL
                    ? "postgres://u:" + DB_PASSWORD + "@db.internal:5432/vault"
                    : "value-of-" + variable.name();
        Files.writeString(file, value + "\n", StandardCharsets.UTF_8);
        env.put(variable.fileVariable(), file.toString());
      }
    }

    SecureTxConfig config = ConfigLoader.load(env);

    for (Variable variable : Variable.values()) {
      assertThat(config.source(variable))
          .as(variable.name())
          .isEqualTo(
              variable.secret()
                  ? Source.FILE
                  : variable.defaultValue() == null ? Source.UNSET : Source.DEFAULT);
    }
    assertThat(config.apiKey().insecureValue()).isEqualTo("value-of-API_KEY_V1");
    assertThat(config.brokerUrl().insecureValue()).isEqualTo("value-of-CELERY_BROKER_URL");
    assertThat(config.resultBackend().insecureValue()).isEqualTo("value-of-CELERY_RESULT_BACKEND");
    assertThat(Objects.requireNonNull(config.dbUrl()).insecureValue()).contains(DB_PASSWORD);
    assertThat(Objects.requireNonNull(config.masterKey()).insecureValue()).isEqualTo(MASTER_KEY);
  }

  @Test
  void load_nonSecretFileVariable_isIgnored() throws IOException {
    Path file = dir.resolve("env");
    Files.writeString(file, "production\n", StandardCharsets.UTF_8);

    SecureTxConfig config = ConfigLoader.load(Map.of("SECURETX_ENV_FILE", file.toString()));

    assertThat(config.production()).isFalse();
    assertThat(config.source(Variable.SECURETX_ENV)).isEqualTo(Source.DEFAULT);
  }

  @Test
  void load_bothVariableAndFile_throwsNamingBoth() throws IOException {
    Path file = dir.resolve("api_key");
    Files.writeString(file, API_KEY, StandardCharsets.UTF_8);

    ConfigException e =
        loadFailure(Map.of("API_KEY_V1", API_KEY, "API_KEY_V1_FILE", file.toString()));

    assertThat(e.problems()).hasSize(1);
    assertThat(e.problems().get(0)).contains("API_KEY_V1 ").contains("API_KEY_V1_FILE");
    assertThat(e.getMessage()).doesNotContain(API_KEY);
  }

  @Test
  void load_missingFile_problemNamesVariableAndPath() {
    Path missing = dir.resolve("no-such-secret");

    ConfigException e = loadFailure(Map.of("ADMIN_PASSWORD_FILE", missing.toString()));

    assertThat(e.problems()).hasSize(1);
    assertThat(e.problems().get(0)).contains("ADMIN_PASSWORD_FILE").contains(missing.toString());
  }

  @Test
  void load_fileVariableNamingDirectory_problemNamesVariableAndPath() {
    ConfigException e = loadFailure(Map.of("SECURETX_MASTER_KEY_FILE", dir.toString()));

    assertThat(e.problems()).hasSize(1);
    assertThat(e.problems().get(0)).contains("SECURETX_MASTER_KEY_FILE").contains(dir.toString());
  }

  @Test
  void load_productionWithNothingSet_listsEveryProblemInOneException() {
    ConfigException e = loadFailure(Map.of("SECURETX_ENV", "production"));

    assertThat(e.problems()).hasSize(4);
    assertThat(e.problems())
        .anySatisfy(p -> assertThat(p).startsWith("API_KEY_V1 ").contains("required"))
        .anySatisfy(p -> assertThat(p).startsWith("ADMIN_PASSWORD ").contains("required"))
        .anySatisfy(p -> assertThat(p).startsWith("SECURETX_MASTER_KEY ").contains("required"))
        .anySatisfy(p -> assertThat(p).startsWith("MAIL_DEFAULT_SENDER ").contains("placeholder"));
    for (String problem : e.problems()) {
      assertThat(e.getMessage()).contains(problem);
    }
  }

  @Test
  void load_productionFullyConfigured_succeeds() {
    SecureTxConfig config = ConfigLoader.load(validProduction());

    assertThat(config.production()).isTrue();
    assertThat(config.apiKey().insecureValue()).isEqualTo(API_KEY);
    assertThat(config.adminPassword().insecureValue()).isEqualTo(ADMIN_PASSWORD);
    assertThat(config.mailSender()).isEqualTo("payments@bank.example");
  }

  @Test
  void load_productionWithSeedPlaceholdersSetExplicitly_refusesEach() {
    Map<String, String> env = validProduction();
    env.put("API_KEY_V1", "sk_live_YOUR_ACTUAL_API_KEY");
    env.put("ADMIN_PASSWORD", "your-strong-admin-password");
    env.put("MAIL_DEFAULT_SENDER", "noreply@example.com");

    ConfigException e = loadFailure(env);

    assertThat(e.problems()).hasSize(3);
    assertThat(e.problems())
        .anySatisfy(p -> assertThat(p).startsWith("API_KEY_V1 ").contains("placeholder"))
        .anySatisfy(p -> assertThat(p).startsWith("ADMIN_PASSWORD ").contains("placeholder"))
        .anySatisfy(p -> assertThat(p).startsWith("MAIL_DEFAULT_SENDER ").contains("placeholder"));
  }

  @Test
  void load_productionPlaceholderFromFile_refused() throws IOException {
    Path file = dir.resolve("api_key");
    Files.writeString(file, "sk_live_YOUR_ACTUAL_API_KEY\n", StandardCharsets.UTF_8);
    Map<String, String> env = validProduction();
    env.remove("API_KEY_V1");
    env.put("API_KEY_V1_FILE", file.toString());

    ConfigException e = loadFailure(env);

    assertThat(e.problems()).singleElement().asString().startsWith("API_KEY_V1 ");
  }

  @Test
  void load_productionShortAdminPassword_refused() {
    Map<String, String> env = validProduction();
    env.put("ADMIN_PASSWORD", "Sh0rt-pw!");

    ConfigException e = loadFailure(env);

    assertThat(e.problems()).singleElement().asString().contains("ADMIN_PASSWORD").contains("12");
    assertThat(e.getMessage()).doesNotContain("Sh0rt-pw!");
  }

  @Test
  void load_productionTwelveCharacterAdminPassword_accepted() {
    Map<String, String> env = validProduction();
    env.put("ADMIN_PASSWORD", "exactly12chr");

    assertThat(ConfigLoader.load(env).adminPassword().insecureValue()).isEqualTo("exactly12chr");
  }

  @Test
  void load_productionEmptyApiKey_refused() {
    Map<String, String> env = validProduction();
    env.put("API_KEY_V1", "");

    ConfigException e = loadFailure(env);

    assertThat(e.problems()).singleElement().asString().startsWith("API_KEY_V1 ").contains("empty");
  }

  @Test
  void load_developmentEmptyApiKey_loadsEmptyKey() {
    SecureTxConfig config = ConfigLoader.load(Map.of("API_KEY_V1", ""));

    assertThat(config.apiKey().isEmpty()).isTrue();
    assertThat(config.source(Variable.API_KEY_V1)).isEqualTo(Source.ENVIRONMENT);
  }

  @ParameterizedTest
  @ValueSource(strings = {"development", "production"})
  void load_seedSampleDbUrl_refusedInAnyEnvironment(String environment) {
    Map<String, String> env =
        environment.equals("production") ? validProduction() : new HashMap<>();
    env.put("DB_URL", ConfigLoader.SEED_DB_URL);

    ConfigException e = loadFailure(env);

    assertThat(e.problems()).singleElement().asString().startsWith("DB_URL ");
    assertThat(e.getMessage()).doesNotContain("secret@").doesNotContain(ConfigLoader.SEED_DB_URL);
  }

  @ParameterizedTest
  @ValueSource(strings = {"prod", "Production", "staging", ""})
  void load_unknownEnvironment_problemNamesSecuretxEnv(String value) {
    ConfigException e = loadFailure(Map.of("SECURETX_ENV", value));

    assertThat(e.problems()).singleElement().asString().startsWith("SECURETX_ENV ");
  }

  @ParameterizedTest
  @ValueSource(strings = {"abc", "NaN", "0", "-5", "1000000000000.01", ""})
  void load_badMaxAmount_problemNamesMaxAmount(String value) {
    ConfigException e = loadFailure(Map.of("SECURETX_MAX_AMOUNT", value));

    assertThat(e.problems()).singleElement().asString().startsWith("SECURETX_MAX_AMOUNT ");
  }

  @Test
  void load_maxAmount_parsedAsDecimal() {
    SecureTxConfig config = ConfigLoader.load(Map.of("SECURETX_MAX_AMOUNT", "2500.50"));

    assertThat(config.maxAmount()).isEqualByComparingTo("2500.50");
  }

  @ParameterizedTest
  @ValueSource(strings = {"usd", "ZZZ", "XXX", "XAU", "US", "EURO", ""})
  void load_badDefaultCurrency_problemNamesDefaultCurrency(String value) {
    ConfigException e = loadFailure(Map.of("SECURETX_DEFAULT_CURRENCY", value));

    assertThat(e.problems()).singleElement().asString().startsWith("SECURETX_DEFAULT_CURRENCY ");
  }

  @Test
  void load_defaultCurrency_used() {
    SecureTxConfig config = ConfigLoader.load(Map.of("SECURETX_DEFAULT_CURRENCY", "JPY"));

    assertThat(config.defaultCurrency().getCurrencyCode()).isEqualTo("JPY");
  }

  @ParameterizedTest
  @ValueSource(strings = {"24h", "PT0S", "-PT1H", "P", "forever", ""})
  void load_badRetention_problemNamesRetention(String value) {
    ConfigException e = loadFailure(Map.of("SECURETX_IDEMPOTENCY_RETENTION", value));

    assertThat(e.problems())
        .singleElement()
        .asString()
        .startsWith("SECURETX_IDEMPOTENCY_RETENTION ");
  }

  @Test
  void load_noReportDir_reportsUnderTheDataDirectory() {
    SecureTxConfig config = ConfigLoader.load(Map.of("SECURETX_DATA_DIR", dir.toString()));

    assertThat(config.reportDir()).isEqualTo(dir.resolve("reports"));
    assertThat(config.source(Variable.REPORT_DIR)).isEqualTo(Source.UNSET);
  }

  @Test
  void load_reportDir_usedAsGiven() {
    Path reports = dir.resolve("elsewhere");
    SecureTxConfig config =
        ConfigLoader.load(
            Map.of("SECURETX_DATA_DIR", dir.toString(), "REPORT_DIR", reports.toString()));

    assertThat(config.reportDir()).isEqualTo(reports);
    assertThat(config.source(Variable.REPORT_DIR)).isEqualTo(Source.ENVIRONMENT);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "  ", "bad\u0000path"})
  void load_blankOrInvalidReportDir_problemNamesReportDir(String value) {
    ConfigException e = loadFailure(Map.of("REPORT_DIR", value));

    assertThat(e.problems()).singleElement().asString().startsWith("REPORT_DIR ");
  }

  @Test
  void load_retention_parsedAsIsoDuration() {
    SecureTxConfig config = ConfigLoader.load(Map.of("SECURETX_IDEMPOTENCY_RETENTION", "P7D"));

    assertThat(config.idempotencyRetention()).isEqualTo(Duration.ofDays(7));
  }

  @ParameterizedTest
  @ValueSource(strings = {"LEAKCHECK-not-base64!", "TEVBS0NIRUNLLXNob3J0LWtleQ==", " "})
  void load_malformedMasterKey_problemNamesVariableWithoutValue(String value) {
    ConfigException e = loadFailure(Map.of("SECURETX_MASTER_KEY", value));

    assertThat(e.problems()).singleElement().asString().startsWith("SECURETX_MASTER_KEY ");
    assertThat(e.getMessage()).doesNotContain("LEAKCHECK");
    if (!value.isBlank()) {
      assertThat(e.getMessage()).doesNotContain(value);
    }
  }

  @Test
  void load_validMasterKey_accepted() {
    SecureTxConfig config = ConfigLoader.load(Map.of("SECURETX_MASTER_KEY", MASTER_KEY + "\n"));

    assertThat(Objects.requireNonNull(config.masterKey()).insecureValue())
        .isEqualTo(MASTER_KEY + "\n");
  }

  @Test
  void load_severalBadValues_listsAllProblems() {
    ConfigException e =
        loadFailure(
            Map.of(
                "SECURETX_ENV", "prod",
                "SECURETX_MAX_AMOUNT", "lots",
                "SECURETX_DEFAULT_CURRENCY", "dollars",
                "SECURETX_IDEMPOTENCY_RETENTION", "a day"));

    assertThat(e.problems())
        .hasSize(4)
        .anySatisfy(p -> assertThat(p).startsWith("SECURETX_ENV "))
        .anySatisfy(p -> assertThat(p).startsWith("SECURETX_MAX_AMOUNT "))
        .anySatisfy(p -> assertThat(p).startsWith("SECURETX_DEFAULT_CURRENCY "))
        .anySatisfy(p -> assertThat(p).startsWith("SECURETX_IDEMPOTENCY_RETENTION "));
  }

  @Test
  void load_failureWithSecretsSet_messageNeverContainsSecrets() throws IOException {
    Path brokerFile = dir.resolve("broker");
    Files.writeString(brokerFile, "redis://:" + BROKER_PASSWORD + "@redis:6379/0\n");
    Map<String, String> env = validProduction();
    env.put("ADMIN_PASSWORD", "LEAKCHECKpw"); // short: refused
    env.put("DB_URL", "postgres://u:" + DB_PASSWORD + "@db.internal:5432/vault");
    env.put("CELERY_BROKER_URL", "redis://:" + BROKER_PASSWORD + "@redis:6379/0");
    env.put("CELERY_BROKER_URL_FILE", brokerFile.toString()); // both: refused
    env.put("SECURETX_MAX_AMOUNT", "LEAKCHECK-amount"); // refused

    ConfigException e = loadFailure(env);

    assertThat(e.problems()).hasSize(3);
    assertThat(e.getMessage())
        .doesNotContain(API_KEY)
        .doesNotContain("LEAKCHECKpw")
        .doesNotContain(MASTER_KEY)
        .doesNotContain(DB_PASSWORD)
        .doesNotContain(BROKER_PASSWORD);
  }

  @Test
  void toString_withSecretsSet_neverContainsSecrets() {
    Map<String, String> env = validProduction();
    env.put("DB_URL", "postgres://u:" + DB_PASSWORD + "@db.internal:5432/vault");
    env.put("CELERY_BROKER_URL", "redis://:" + BROKER_PASSWORD + "@redis:6379/0");
    env.put("CELERY_RESULT_BACKEND", "redis://:" + BROKER_PASSWORD + "@redis:6379/1");

    SecureTxConfig config = ConfigLoader.load(env);

    assertThat(config.toString())
        .contains("payments@bank.example")
        .doesNotContain(API_KEY)
        .doesNotContain(ADMIN_PASSWORD)
        .doesNotContain(MASTER_KEY)
        .doesNotContain(DB_PASSWORD)
        .doesNotContain(BROKER_PASSWORD);
    assertThat(List.of(config.apiKey(), config.adminPassword(), config.masterKey(), config.dbUrl()))
        .allSatisfy(secret -> assertThat(String.valueOf(secret)).isEqualTo("****"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"Payments <payments@bank.example>", "payments", "a@b\r\nBcc: c@d.example"})
  void load_mailSenderNotAPlainAddress_problemNamesMailDefaultSender(String sender) {
    ConfigException e = loadFailure(Map.of("MAIL_DEFAULT_SENDER", sender));

    assertThat(e.problems())
        .singleElement()
        .asString()
        .startsWith("MAIL_DEFAULT_SENDER must be a plain address");
  }

  @Test
  void load_smtpVariables_readWithSecretsWrapped() {
    Map<String, String> env = new HashMap<>();
    env.put("SMTP_URL", "smtps://mail.bank.example");
    env.put("SMTP_USERNAME", "mailer");
    env.put("SMTP_PASSWORD", "LEAKCHECK-smtp-password");

    SecureTxConfig config = ConfigLoader.load(env);

    assertThat(Objects.requireNonNull(config.smtpUrl()).insecureValue())
        .isEqualTo("smtps://mail.bank.example");
    assertThat(config.smtpUsername()).isEqualTo("mailer");
    assertThat(Objects.requireNonNull(config.smtpPassword()).insecureValue())
        .isEqualTo("LEAKCHECK-smtp-password");
    assertThat(config.toString()).doesNotContain("LEAKCHECK");
    assertThat(config.outboxDir()).isEqualTo(Path.of("./data").resolve("outbox"));
  }

  @Test
  void load_noSmtpVariables_unsetMeansOutbox() {
    SecureTxConfig config = ConfigLoader.load(Map.of());

    assertThat(config.smtpUrl()).isNull();
    assertThat(config.smtpUsername()).isNull();
    assertThat(config.smtpPassword()).isNull();
    assertThat(config.source(Variable.SMTP_URL)).isEqualTo(Source.UNSET);
  }

  @Test
  void load_anyProblem_throwsConfigExceptionNotAnotherException() {
    assertThatThrownBy(() -> ConfigLoader.load(Map.of("SECURETX_MAX_AMOUNT", "1e9999999999")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("SECURETX_MAX_AMOUNT");
  }
}
