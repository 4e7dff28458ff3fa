package io.securetx.adapter.cli;

import static io.securetx.adapter.cli.CliRun.expect;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.securetx.transaction.TransactionId;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Drives the real {@code securetx} command line over the real composition root, against an SQLite
 * vault in a temporary data directory. Each run builds a fresh application, as a new process would.
 */
class CliTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  // Distinctive secret values: finding one in any output can only mean a leak.
  private static final String API_KEY = "sk_live_LEAKCHECK_apikey_5c1e";
  private static final String ADMIN_PASSWORD = "LEAKCHECK-admin-password-77";
  private static final String DB_PASSWORD = "pw-SECRET-123";
  private static final String BROKER_PASSWORD = "LEAKCHECK-broker-pw-31";
  private static final String BACKEND_PASSWORD = "LEAKCHECK-backend-pw-64";
  private static final String MASTER_KEY = masterKey();

  @TempDir Path dataDir;

  private static String masterKey() {
    byte[] key = new byte[32];
    for (int i = 0; i < key.length; i++) {
      key[i] = (byte) (0xA0 + i);
    }
    return Base64.getEncoder().encodeToString(key);
  }

  private Map<String, String> devEnv() {
    Map<String, String> env = new HashMap<>();
    env.put("SECURETX_DATA_DIR", dataDir.toString());
    return env;
  }

  private CliRun run(String... args) {
    return CliRun.run(devEnv(), args);
  }

  private CliRun processOk(String userId, String amount, String... extra) {
    List<String> args =
        new ArrayList<>(List.of("process", "--user-id", userId, "--amount", amount, "--json"));
    args.addAll(List.of(extra));
    return expect(ExitCodes.OK, run(args.toArray(String[]::new)));
  }

  private String processTx(String userId, String amount) {
    return processOk(userId, amount).json().get("tx_id").asText();
  }

  private long entries() {
    return expect(ExitCodes.OK, run("verify", "--json")).json().get("entries").asLong();
  }

  private Path vaultFile() {
    return dataDir.resolve("vault.db");
  }

  /** Runs {@code sql} with one bytes parameter against the vault file, bypassing securetx. */
  private void tamper(String column, long seq) throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + vaultFile())) {
      byte[] value;
      try (PreparedStatement ps =
          c.prepareStatement("SELECT " + column + " FROM ledger_entry WHERE seq = ?")) {
        ps.setLong(1, seq);
        try (ResultSet rs = ps.executeQuery()) {
          assertThat(rs.next()).as("seq %d exists", seq).isTrue();
          value = rs.getBytes(1);
        }
      }
      value[value.length / 2] ^= 0x01;
      try (PreparedStatement ps =
          c.prepareStatement("UPDATE ledger_entry SET " + column + " = ? WHERE seq = ?")) {
        ps.setBytes(1, value);
        ps.setLong(2, seq);
        assertThat(ps.executeUpdate()).isEqualTo(1);
      }
    }
  }

  // --- process, show, verify -------------------------------------------------------------------

  @Test
  void process_seedExample_printsProcessingLineAndSuccessJson() {
    CliRun run = expect(ExitCodes.OK, run("process", "--user-id", "123", "--amount", "100.00"));

    String[] lines = run.out().strip().split("\\R");
    assertThat(lines).hasSize(2);
    assertThat(lines[0]).isEqualTo("Processing secure transaction for user 123: 100.00 USD");
    JsonNode json = run.json();
    assertThat(json.get("status").asText()).isEqualTo("success");
    assertThat(json.get("tx_id").asText()).matches("tx_[0-9a-f-]{36}");
    assertThat(json.get("signature").asText()).matches("[0-9a-f]{64,}");
    assertThat(json.get("ledger_seq").asLong()).isEqualTo(1);
    assertThat(json.get("created_at").asText()).isNotBlank();
    assertThat(json.has("replayed")).isFalse();
    assertThat(run.err()).isEmpty();
  }

  @Test
  void process_second_nextLedgerSeq() {
    processOk("123", "100.00");

    assertThat(processOk("124", "5.00").json().get("ledger_seq").asLong()).isEqualTo(2);
  }

  @Test
  void process_json_printsOnlyParseableJson() throws IOException {
    CliRun run = processOk("123", "100.00");

    JsonNode whole = JSON.readTree(run.out());
    assertThat(run.out().strip().lines()).hasSize(1);
    assertThat(whole.get("status").asText()).isEqualTo("success");
    assertThat(whole.get("ledger_seq").asLong()).isEqualTo(1);
  }

  @Test
  void show_processedTransaction_showsUserAndAmount() {
    String txId = processTx("123", "100.00");

    CliRun run = expect(ExitCodes.OK, run("show", txId));

    assertThat(run.out())
        .contains(txId)
        .contains("user 123")
        .contains("100.00 USD")
        .contains("seq 1")
        .contains("(verified)");
  }

  @Test
  void show_json_returnsOpenedRecord() {
    String txId = processTx("user-7", "12.34");

    JsonNode json = expect(ExitCodes.OK, run("show", txId, "--json")).json();

    assertThat(json.get("tx_id").asText()).isEqualTo(txId);
    assertThat(json.get("user_id").asText()).isEqualTo("user-7");
    assertThat(json.get("amount").asText()).isEqualTo("12.34");
    assertThat(json.get("currency").asText()).isEqualTo("USD");
    assertThat(json.get("ledger_seq").asLong()).isEqualTo(1);
    assertThat(json.get("verified").asBoolean()).isTrue();
  }

  @Test
  void show_unknownWellFormedId_exits5() {
    processTx("123", "100.00");
    String unknown = TransactionId.generate(Clock.systemUTC(), new SecureRandom()).toString();

    CliRun run = expect(ExitCodes.NOT_FOUND, run("show", unknown));

    assertThat(run.err()).contains(unknown);
    assertThat(run.out()).isEmpty();
  }

  @Test
  void show_malformedId_exits2() {
    CliRun run = expect(ExitCodes.USAGE, run("show", "tx_not-an-id"));

    assertThat(run.err()).contains("tx_id");
  }

  @Test
  void verifyAndShow_noVaultYet_exit6AndCreateNothing() throws IOException {
    CliRun verify = expect(ExitCodes.UNAVAILABLE, run("verify"));
    expect(ExitCodes.UNAVAILABLE, run("show", "tx_01890a5d-ac96-774b-bcce-b302099a8057"));
    expect(
        ExitCodes.UNAVAILABLE,
        run("verify", "--public-key", Files.createTempFile(dataDir, "pk", ".json").toString()));

    assertThat(verify.err()).contains("no vault at");
    assertThat(vaultFile()).doesNotExist();
    assertThat(dataDir.resolve("keys")).doesNotExist();
  }

  @Test
  void verify_publicKeyFileMissing_exits2() {
    processTx("123", "100.00");

    CliRun run = expect(ExitCodes.USAGE, run("verify", "--public-key", "/nonexistent/pk.json"));

    assertThat(run.err()).contains("--public-key").contains("no such file");
  }

  @Test
  void verify_afterProcessing_exits0() {
    processTx("123", "100.00");
    processTx("123", "200.00");

    CliRun run = expect(ExitCodes.OK, run("verify"));

    assertThat(run.out()).contains("Vault OK: 2 entries").contains("Every record opened");
    JsonNode json = expect(ExitCodes.OK, run("verify", "--json")).json();
    assertThat(json.get("status").asText()).isEqualTo("ok");
    assertThat(json.get("entries").asLong()).isEqualTo(2);
    assertThat(json.get("records_opened").asBoolean()).isTrue();
  }

  @Test
  void demo_embeddedDefaults_exits0() throws IOException {
    java.time.YearMonth monthBefore = java.time.YearMonth.now(java.time.ZoneOffset.UTC);
    CliRun run = expect(ExitCodes.OK, run("demo"));

    assertThat(run.out())
        .contains("user 123")
        .contains("100.00 USD")
        .contains("SUCCESS {\"status\":\"success\",\"tx_id\":\"tx_")
        .contains("SUCCESS {\"status\":\"sent\",\"recipient\":\"user@example.com\"")
        .contains("Vault OK: 1 entry,")
        .doesNotContain("FAILURE");
    try (var outbox = Files.list(dataDir.resolve("outbox"))) {
      Path eml = outbox.collect(java.util.stream.Collectors.toList()).get(0);
      assertThat(run.out()).contains("written to " + eml);
      assertThat(Files.readString(eml)).contains("To: user@example.com");
    }
    // The demo reports the month it ran in; a run across midnight at a month's end may see
    // either month.
    Path reports = dataDir.resolve("reports").toAbsolutePath().normalize();
    Path report;
    try (var files = Files.list(reports)) {
      report = files.collect(java.util.stream.Collectors.toList()).get(0);
    }
    assertThat(report.getFileName().toString())
        .isIn(
            "report_" + monthBefore + ".pdf",
            "report_" + java.time.YearMonth.now(java.time.ZoneOffset.UTC) + ".pdf");
    assertThat(run.out()).contains("SUCCESS \"" + report);
    assertThat(report).isNotEmptyFile();
  }

  // --- refusals: nothing is stored ---------------------------------------------------------------

  @Test
  void process_emptyApiKey_exits3AndWritesNothing() throws IOException {
    Map<String, String> env = devEnv();
    env.put("API_KEY_V1", "");

    CliRun run = expect(3, CliRun.run(env, "process", "--user-id", "123", "--amount", "100.00"));

    assertThat(run.err()).contains("API_KEY_V1");
    assertThat(run.out()).doesNotContain("tx_");
    assertThat(vaultFile()).doesNotExist();
    assertThat(dataDir.resolve("keys")).doesNotExist();
    try (var files = Files.list(dataDir)) {
      assertThat(files).isEmpty();
    }
  }

  @ParameterizedTest
  @CsvSource({
    "1e400, exponent",
    "NaN, finite",
    "-1, greater than zero",
    "1.001, decimal place",
    "0, greater than zero",
    "0.00, greater than zero",
    "1000000.01, must not exceed",
    "1 000, plain decimal",
    "'', must not be empty"
  })
  void process_badAmount_exits2NamingRuleAndStoresNothing(String amount, String rule) {
    processTx("123", "1.00");

    CliRun run = expect(ExitCodes.USAGE, run("process", "--user-id", "123", "--amount", amount));

    assertThat(run.err()).contains("amount").contains(rule);
    assertThat(entries()).isEqualTo(1);
  }

  @Test
  void process_jpyWithFraction_exits2() {
    processTx("123", "1.00");

    CliRun run =
        expect(
            ExitCodes.USAGE,
            run("process", "--user-id", "123", "--amount", "1.5", "--currency", "JPY"));

    assertThat(run.err()).contains("JPY").contains("decimal place");
    assertThat(entries()).isEqualTo(1);
  }

  @Test
  void process_jpyWhole_storedInYen() {
    String txId = processOk("123", "1500", "--currency", "JPY").json().get("tx_id").asText();

    JsonNode shown = expect(ExitCodes.OK, run("show", txId, "--json")).json();

    assertThat(shown.get("amount").asText()).isEqualTo("1500");
    assertThat(shown.get("currency").asText()).isEqualTo("JPY");
  }

  @ParameterizedTest
  @CsvSource({"usd, currency", "ZZZ, currency", "XAU, currency"})
  void process_badCurrency_exits2(String currency, String field) {
    CliRun run =
        expect(
            ExitCodes.USAGE,
            run("process", "--user-id", "123", "--amount", "1.00", "--currency", currency));

    assertThat(run.err()).contains(field);
    assertThat(vaultFile()).doesNotExist();
  }

  @Test
  void process_missingAmountOption_exits2() {
    CliRun run = expect(ExitCodes.USAGE, run("process", "--user-id", "123"));

    assertThat(run.err()).contains("--amount");
  }

  @Test
  void process_blankUserId_exits2() {
    CliRun run = expect(ExitCodes.USAGE, run("process", "--user-id", " ", "--amount", "1.00"));

    assertThat(run.err()).contains("user_id");
    assertThat(vaultFile()).doesNotExist();
  }

  @Test
  void process_unsupportedDbUrl_exits3WithoutPassword() {
    Map<String, String> env = devEnv();
    env.put("DB_URL", "mysql://u:" + DB_PASSWORD + "@localhost:3306/db");

    CliRun run =
        expect(ExitCodes.CONFIG, CliRun.run(env, "process", "--user-id", "1", "--amount", "1.00"));

    assertThat(run.err()).contains("DB_URL").doesNotContain(DB_PASSWORD);
    assertThat(run.out()).doesNotContain(DB_PASSWORD);
  }

  @Test
  void process_malformedMasterKey_exits3AndWritesNothing() throws IOException {
    Map<String, String> env = devEnv();
    env.put("SECURETX_MASTER_KEY", "LEAKCHECK-too-short");

    CliRun run =
        expect(ExitCodes.CONFIG, CliRun.run(env, "process", "--user-id", "1", "--amount", "1.00"));

    assertThat(run.err()).contains("SECURETX_MASTER_KEY").doesNotContain("LEAKCHECK");
    try (var files = Files.list(dataDir)) {
      assertThat(files).isEmpty();
    }
  }

  @Test
  void process_unreachablePostgres_exits6WithoutPassword() {
    Map<String, String> env = devEnv();
    env.put("DB_URL", "postgres://u:" + DB_PASSWORD + "@127.0.0.1:1/db?connectTimeout=1");

    CliRun run =
        expect(
            ExitCodes.UNAVAILABLE,
            CliRun.run(env, "process", "--user-id", "1", "--amount", "1.00"));

    assertThat(run.err()).contains("127.0.0.1:1/db").doesNotContain(DB_PASSWORD);
  }

  // --- idempotency -------------------------------------------------------------------------------

  @Test
  void process_sameIdempotencyKeySameRequest_replaysOriginal() {
    JsonNode first = processOk("123", "100.00", "--idempotency-key", "order-42").json();

    JsonNode second = processOk("123", "100.00", "--idempotency-key", "order-42").json();

    assertThat(second.get("tx_id").asText()).isEqualTo(first.get("tx_id").asText());
    assertThat(second.get("ledger_seq").asLong()).isEqualTo(first.get("ledger_seq").asLong());
    assertThat(second.get("signature").asText()).isEqualTo(first.get("signature").asText());
    assertThat(second.get("replayed").asBoolean()).isTrue();
    assertThat(first.has("replayed")).isFalse();
    assertThat(entries()).isEqualTo(1);
  }

  @Test
  void process_sameIdempotencyKeyDifferentAmount_exits4AndStoresNothing() {
    processOk("123", "100.00", "--idempotency-key", "order-42");

    CliRun run =
        expect(
            ExitCodes.CONFLICT,
            run(
                "process",
                "--user-id",
                "123",
                "--amount",
                "100.01",
                "--idempotency-key",
                "order-42"));

    assertThat(run.err()).contains("order-42");
    assertThat(entries()).isEqualTo(1);
  }

  @Test
  void process_differentIdempotencyKeys_storesBoth() {
    String a =
        processOk("123", "100.00", "--idempotency-key", "order-1").json().get("tx_id").asText();
    String b =
        processOk("123", "100.00", "--idempotency-key", "order-2").json().get("tx_id").asText();

    assertThat(a).isNotEqualTo(b);
    assertThat(entries()).isEqualTo(2);
  }

  // --- keys --------------------------------------------------------------------------------------

  @Test
  void keysRotate_oldTransactionStillOpensAndNewOnesUseNewKey() {
    String before = processTx("123", "100.00");
    String macKeyBefore =
        expect(ExitCodes.OK, run("show", before, "--json")).json().get("mac_key_id").asText();

    CliRun rotate = expect(ExitCodes.OK, run("keys", "rotate"));
    assertThat(rotate.out()).startsWith("Rotated: ");

    JsonNode oldShown = expect(ExitCodes.OK, run("show", before, "--json")).json();
    assertThat(oldShown.get("mac_key_id").asText()).isEqualTo(macKeyBefore);
    assertThat(oldShown.get("amount").asText()).isEqualTo("100.00");
    String after = processTx("123", "200.00");
    String macKeyAfter =
        expect(ExitCodes.OK, run("show", after, "--json")).json().get("mac_key_id").asText();
    assertThat(macKeyAfter).isNotEqualTo(macKeyBefore);
    assertThat(expect(ExitCodes.OK, run("verify", "--json")).json().get("entries").asLong())
        .isEqualTo(2);
  }

  @Test
  void keysWithoutSubcommand_exits2() {
    expect(ExitCodes.USAGE, run("keys"));
  }

  @Test
  void verifyPublicKey_exportedKeyset_exits0WithoutOpeningRecords() throws IOException {
    processTx("123", "100.00");
    processTx("124", "200.00");
    Path keyFile = dataDir.resolve("checkpoint-public.json");

    CliRun export = expect(ExitCodes.OK, run("keys", "export-public", "--out", keyFile.toString()));
    assertThat(export.out()).contains(keyFile.toString());
    assertThat(Files.readString(keyFile)).doesNotContain("PRIVATE").contains("Ed25519");

    CliRun verify = expect(ExitCodes.OK, run("verify", "--public-key", keyFile.toString()));
    assertThat(verify.out()).contains("Vault OK: 2 entries").contains("records were not opened");
    JsonNode json =
        expect(ExitCodes.OK, run("verify", "--public-key", keyFile.toString(), "--json")).json();
    assertThat(json.get("records_opened").asBoolean()).isFalse();
    assertThat(json.get("entries").asLong()).isEqualTo(2);
  }

  @Test
  void keysExportPublic_toStdout_printsKeyset() throws IOException {
    CliRun run = expect(ExitCodes.OK, run("keys", "export-public"));

    assertThat(JSON.readTree(run.out()).isObject()).isTrue();
  }

  // --- tampering ---------------------------------------------------------------------------------

  @Test
  void verify_flippedCiphertextByteAtSeq2_exits1NamingSeq2() throws SQLException {
    processTx("1", "1.00");
    processTx("2", "2.00");
    processTx("3", "3.00");
    expect(ExitCodes.OK, run("verify"));

    tamper("ciphertext", 2);
    CliRun run = expect(ExitCodes.INTEGRITY, run("verify"));

    assertThat(run.err()).contains("seq 2");
    assertThat(run.out()).doesNotContain("Vault OK");
  }

  @Test
  void verifyPublicKey_changedEntryHashAtSeq2_exits1NamingSeq2() throws SQLException {
    processTx("1", "1.00");
    processTx("2", "2.00");
    processTx("3", "3.00");
    Path keyFile = dataDir.resolve("checkpoint-public.json");
    expect(ExitCodes.OK, run("keys", "export-public", "--out", keyFile.toString()));
    expect(ExitCodes.OK, run("verify", "--public-key", keyFile.toString()));

    tamper("entry_hash", 2);
    CliRun run = expect(ExitCodes.INTEGRITY, run("verify", "--public-key", keyFile.toString()));

    assertThat(run.err()).contains("seq 2");
  }

  @Test
  void show_flippedCiphertextByte_exits1() throws SQLException {
    processTx("1", "1.00");
    String txId = processTx("2", "2.00");

    tamper("ciphertext", 2);
    CliRun run = expect(ExitCodes.INTEGRITY, run("show", txId));

    assertThat(run.out()).doesNotContain("(verified)");
  }

  // --- config ------------------------------------------------------------------------------------

  private Map<String, String> envWithSecrets() {
    Map<String, String> env = devEnv();
    env.put("API_KEY_V1", API_KEY);
    env.put("ADMIN_PASSWORD", ADMIN_PASSWORD);
    env.put("SECURETX_MASTER_KEY", MASTER_KEY);
    env.put("CELERY_BROKER_URL", "redis://:" + BROKER_PASSWORD + "@redis.internal:6379/0");
    env.put("CELERY_RESULT_BACKEND", "redis://user:" + BACKEND_PASSWORD + "@redis.internal:6379/1");
    return env;
  }

  private static final List<String> SECRETS =
      List.of(API_KEY, ADMIN_PASSWORD, MASTER_KEY, DB_PASSWORD, BROKER_PASSWORD, BACKEND_PASSWORD);

  private static void assertNoSecret(String output, String what) {
    for (String secret : SECRETS) {
      assertThat(output)
          .as("%s must not contain the secret %s", what, secret)
          .doesNotContain(secret);
    }
    // A URL-encoded or partial echo of the DB password would be a leak too.
    assertThat(output).as(what).doesNotContain("SECRET-123");
  }

  @Test
  void config_secretsSet_masksEverySecretButShowsDbHost() {
    Map<String, String> env = envWithSecrets();
    env.put("DB_URL", "postgres://u:" + DB_PASSWORD + "@localhost:5432/db");

    CliRun text = expect(ExitCodes.OK, CliRun.run(env, "config"));
    CliRun json = expect(ExitCodes.OK, CliRun.run(env, "config", "--json"));

    assertNoSecret(text.out() + text.err(), "config");
    assertNoSecret(json.out() + json.err(), "config --json");
    assertThat(text.out()).contains("localhost:5432/db").contains("redis.internal:6379");
    JsonNode rows = json.json();
    assertThat(rows.get("DB_URL").get("value").asText()).contains("localhost:5432/db");
    assertThat(rows.get("DB_URL").get("secret").asBoolean()).isTrue();
    assertThat(rows.get("API_KEY_V1").get("value").asText()).isEqualTo("****");
    assertThat(rows.get("API_KEY_V1").get("source").asText()).isEqualTo("environment");
    assertThat(rows.get("SECURETX_MASTER_KEY").get("value").asText()).isEqualTo("****");
    assertThat(rows.get("ADMIN_PASSWORD").get("value").asText()).isEqualTo("****");
    assertThat(rows.get("SECURETX_DATA_DIR").get("value").asText()).isEqualTo(dataDir.toString());
    assertThat(rows.get("MAIL_DEFAULT_SENDER").get("source").asText()).isEqualTo("default");
  }

  @Test
  void config_smtpSecretsSet_maskedButHostShown() {
    Map<String, String> env = devEnv();
    env.put("SMTP_URL", "smtps://mailer:smtp-SECRET-123@mail.bank.example:465");
    env.put("SMTP_PASSWORD", "smtp-SECRET-123");

    CliRun text = expect(ExitCodes.OK, CliRun.run(env, "config"));
    CliRun json = expect(ExitCodes.OK, CliRun.run(env, "config", "--json"));

    assertNoSecret(text.out() + text.err(), "config");
    assertNoSecret(json.out() + json.err(), "config --json");
    JsonNode rows = json.json();
    assertThat(rows.get("SMTP_URL").get("value").asText())
        .isEqualTo("smtps://****@mail.bank.example:465");
    assertThat(rows.get("SMTP_URL").get("secret").asBoolean()).isTrue();
    assertThat(rows.get("SMTP_PASSWORD").get("value").asText()).isEqualTo("****");
    assertThat(rows.get("SMTP_USERNAME").get("value").asText()).isEqualTo("(unset)");
  }

  @Test
  void config_noSmtpUrl_showsTheOutbox() {
    CliRun json = expect(ExitCodes.OK, CliRun.run(devEnv(), "config", "--json"));

    assertThat(json.json().get("SMTP_URL").get("value").asText())
        .startsWith("(unset: .eml files in ")
        .endsWith("outbox)");
  }

  @ParameterizedTest
  @CsvSource({
    // unencoded '@' and '/' in passwords are not valid URLs, but operators write them
    "'postgres://u:p@ss-SECRET-123@localhost:5432/db', localhost:5432/db",
    "'postgres://u:pa/ss-SECRET-123@localhost:5432/db', localhost:5432/db",
    "'postgres://u:pw-SECRET-123@localhost/db?password=x', localhost/db",
    "'jdbc:postgresql://localhost/db?user=u&password=pw-SECRET-123', localhost/db"
  })
  void config_awkwardDbUrl_passwordMasked(String dbUrl, String shown) {
    Map<String, String> env = devEnv();
    env.put("DB_URL", dbUrl);

    CliRun text = expect(ExitCodes.OK, CliRun.run(env, "config"));
    CliRun json = expect(ExitCodes.OK, CliRun.run(env, "config", "--json"));

    assertThat(text.out()).contains(shown).doesNotContain("SECRET-123");
    assertThat(json.out()).contains(shown).doesNotContain("SECRET-123");
  }

  @Test
  void config_productionWithNothingSet_exits3ListingAllProblems() {
    Map<String, String> env = devEnv();
    env.put("SECURETX_ENV", "production");

    CliRun run = expect(ExitCodes.CONFIG, CliRun.run(env, "config"));

    assertThat(run.err())
        .contains("API_KEY_V1")
        .contains("ADMIN_PASSWORD")
        .contains("SECURETX_MASTER_KEY")
        .contains("MAIL_DEFAULT_SENDER");
    assertThat(run.out()).isEmpty();
  }

  @Test
  void process_productionWithNothingSet_exits3AndWritesNothing() throws IOException {
    Map<String, String> env = devEnv();
    env.put("SECURETX_ENV", "production");

    expect(ExitCodes.CONFIG, CliRun.run(env, "process", "--user-id", "123", "--amount", "1.00"));

    try (var files = Files.list(dataDir)) {
      assertThat(files).isEmpty();
    }
  }

  @Test
  void everyCommand_secretsSet_noSecretInAnyOutputOrLog() {
    Map<String, String> env = envWithSecrets();
    Path keyFile = dataDir.resolve("public.json");
    ByteArrayOutputStream systemErr = new ByteArrayOutputStream();
    ByteArrayOutputStream systemOut = new ByteArrayOutputStream();
    PrintStream originalErr = System.err;
    PrintStream originalOut = System.out;
    List<CliRun> runs = new ArrayList<>();
    System.setErr(new PrintStream(systemErr, true, StandardCharsets.UTF_8));
    System.setOut(new PrintStream(systemOut, true, StandardCharsets.UTF_8));
    try {
      runs.add(CliRun.run(env, "config"));
      runs.add(CliRun.run(env, "config", "--json"));
      CliRun first = CliRun.run(env, "process", "--user-id", "123", "--amount", "100.00");
      runs.add(first);
      String txId = first.json().get("tx_id").asText();
      runs.add(
          CliRun.run(env, "process", "--user-id", "9", "--amount", "5", "--idempotency-key", "k"));
      runs.add(
          CliRun.run(env, "process", "--user-id", "9", "--amount", "6", "--idempotency-key", "k"));
      runs.add(CliRun.run(env, "process", "--user-id", "9", "--amount", "1e400"));
      runs.add(CliRun.run(env, "show", txId));
      runs.add(CliRun.run(env, "show", txId, "--json"));
      runs.add(CliRun.run(env, "show", "tx_bogus"));
      runs.add(CliRun.run(env, "verify"));
      runs.add(CliRun.run(env, "verify", "--json"));
      runs.add(CliRun.run(env, "keys", "rotate"));
      runs.add(CliRun.run(env, "keys", "export-public"));
      runs.add(CliRun.run(env, "keys", "export-public", "--out", keyFile.toString()));
      runs.add(CliRun.run(env, "verify", "--public-key", keyFile.toString()));
      runs.add(CliRun.run(env, "demo"));
      runs.add(CliRun.run(env, "--help"));
      Map<String, String> badMaster = new HashMap<>(env);
      badMaster.put("SECURETX_MASTER_KEY", Base64.getEncoder().encodeToString(new byte[32]));
      runs.add(CliRun.run(badMaster, "verify"));
      Map<String, String> prodShortPassword = new HashMap<>(env);
      prodShortPassword.put("SECURETX_ENV", "production");
      prodShortPassword.put("ADMIN_PASSWORD", "LEAKCHECK-7");
      runs.add(CliRun.run(prodShortPassword, "config"));
    } finally {
      System.setErr(originalErr);
      System.setOut(originalOut);
    }

    assertThat(runs.stream().mapToInt(CliRun::exitCode))
        .containsExactly(0, 0, 0, 0, 4, 2, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 6, 3);
    for (CliRun run : runs) {
      assertNoSecret(run.out() + run.err(), run.command());
    }
    assertThat(runs.get(runs.size() - 1).err())
        .contains("ADMIN_PASSWORD")
        .doesNotContain("LEAKCHECK-7");
    String logs =
        systemErr.toString(StandardCharsets.UTF_8) + systemOut.toString(StandardCharsets.UTF_8);
    assertThat(logs).as("log output was captured").contains("generated new keysets");
    assertNoSecret(logs, "System.err and System.out");
  }

  @Test
  void help_onEveryCommand_printsItsUsageAndExits0WithoutTouchingTheDataDir() {
    Map<String, String> env = new HashMap<>();
    env.put("SECURETX_DATA_DIR", dataDir.resolve("untouched").toString());
    for (String command :
        List.of(
            "demo", "process", "show", "verify", "keys", "config", "worker", "enqueue", "result",
            "tasks", "report", "import", "serve")) {
      CliRun run = CliRun.run(env, command, "--help");
      assertThat(run.exitCode()).as("%s --help: %s", command, run.err()).isZero();
      assertThat(run.out()).as(command).contains("Usage: securetx " + command);
      CliRun viaHelp = CliRun.run(env, "help", command);
      assertThat(viaHelp.exitCode()).as("help %s", command).isZero();
      assertThat(viaHelp.out()).isEqualTo(run.out());
    }
    assertThat(CliRun.run(env, "keys", "rotate", "--help").out())
        .contains("Usage: securetx keys rotate");
    assertThat(dataDir.resolve("untouched")).doesNotExist();
  }

  @Test
  void memoryBroker_isRefusedOutsideServe_exit3NamingTheVariable() {
    Map<String, String> env = new HashMap<>();
    env.put("SECURETX_DATA_DIR", dataDir.toString());
    env.put("CELERY_BROKER_URL", "memory://");

    CliRun worker = expect(ExitCodes.CONFIG, CliRun.run(env, "worker"));
    CliRun enqueue =
        expect(ExitCodes.CONFIG, CliRun.run(env, "enqueue", "add", "--args", "[1, 2]"));

    for (CliRun run : List.of(worker, enqueue)) {
      assertThat(run.err()).contains("CELERY_BROKER_URL: memory:// keeps tasks inside one process");
    }
  }
}
