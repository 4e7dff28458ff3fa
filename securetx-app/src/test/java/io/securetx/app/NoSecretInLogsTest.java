package io.securetx.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.securetx.adapter.cli.CliContext.ServeOptions;
import io.securetx.adapter.cli.SecureTxCli;
import io.securetx.adapter.http.HttpApiServer;
import io.securetx.config.SecureTxConfig;
import io.securetx.config.Variable;
import io.securetx.observability.LogCapture;
import io.securetx.observability.Metrics;
import io.securetx.vault.Vault;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Every secret variable is set to a canary; the CLI and the HTTP server are driven through good and
 * bad paths with every log level on (DEBUG included); no canary, nor its base64, hex or URL
 * encoding, nor its unique core alone, may appear in a log line (standard error, standard output,
 * the audit file) or in a response's status line, headers or body.
 */
class NoSecretInLogsTest {

  private static final byte[] MASTER_KEY_BYTES = new byte[32];

  static {
    for (int i = 0; i < MASTER_KEY_BYTES.length; i++) {
      MASTER_KEY_BYTES[i] = (byte) (0xA5 ^ (i * 7));
    }
  }

  private static final String MASTER_KEY = Base64.getEncoder().encodeToString(MASTER_KEY_BYTES);
  private static final String API_KEY = "stx_CanaryApiKeyV1core7Qm2Lk9Xv4Pz8Rt3Wn6";
  private static final String MORE_KEY = "sk_live_CanaryMoreKeycore5Hd8Jq2";
  private static final String ADMIN_PASSWORD = "CanaryAdminPwcore-9Ty4Ue7";
  private static final String DB_PASSWORD = "CanaryDbPwcore3Kx6";
  private static final String BROKER_PASSWORD = "CanaryBrokerPwcore8Fz1";
  private static final String BACKEND_PASSWORD = "CanaryBackendPwcore2Gm5";
  private static final String SMTP_URL_PASSWORD = "CanarySmtpUrlPwcore4Lp7";
  private static final String SMTP_PASSWORD = "CanarySmtpPwcore6Nb9";
  private static final String TLS_PASSWORD = "CanaryTlsPwcore1Vw3";

  /** Each secret, by the variable it is set in; each holds a unique core that is checked alone. */
  private static final Map<String, String> CANARIES = new LinkedHashMap<>();

  static {
    CANARIES.put("API_KEY_V1", API_KEY);
    CANARIES.put("API_KEYS", MORE_KEY);
    CANARIES.put("ADMIN_PASSWORD", ADMIN_PASSWORD);
    CANARIES.put("SECURETX_MASTER_KEY", MASTER_KEY);
    CANARIES.put("DB_URL password", DB_PASSWORD);
    CANARIES.put("CELERY_BROKER_URL password", BROKER_PASSWORD);
    CANARIES.put("CELERY_RESULT_BACKEND password", BACKEND_PASSWORD);
    CANARIES.put("SMTP_URL password", SMTP_URL_PASSWORD);
    CANARIES.put("SMTP_PASSWORD", SMTP_PASSWORD);
    CANARIES.put("HTTP_TLS_KEYSTORE_PASSWORD", TLS_PASSWORD);
  }

  @TempDir Path dir;

  private final List<String> outputs = new ArrayList<>();

  /** The environment with every secret set; the vault on SQLite, Redis DB 3 for the queue. */
  private Map<String, String> environment() {
    Map<String, String> env = new HashMap<>();
    env.put("SECURETX_DATA_DIR", dir.resolve("data").toString());
    env.put("API_KEY_V1", API_KEY);
    env.put("API_KEYS", MORE_KEY);
    env.put("ADMIN_PASSWORD", ADMIN_PASSWORD);
    env.put("SECURETX_MASTER_KEY", MASTER_KEY);
    env.put("CELERY_BROKER_URL", "redis://:" + BROKER_PASSWORD + "@127.0.0.1:6379/3");
    env.put("CELERY_RESULT_BACKEND", "redis://user:" + BACKEND_PASSWORD + "@127.0.0.1:6379/3");
    // Credentials beside the URL: nothing listens there, and no test sends mail.
    env.put("SMTP_URL", "smtp://127.0.0.1:1");
    env.put("SMTP_USERNAME", "mailer");
    env.put("SMTP_PASSWORD", SMTP_PASSWORD);
    env.put("HTTP_RATE_LIMIT", "0");
    env.put("AUDIT_LOG", dir.resolve("audit.jsonl").toString());
    env.put("SECURETX_LOG_FORMAT", "json");
    // Without HTTP_TLS_KEYSTORE the password changes nothing, but it is still a configured secret.
    env.put("HTTP_TLS_KEYSTORE_PASSWORD", TLS_PASSWORD);
    return env;
  }

  /** The same with the secrets only some commands read, pointing at servers that refuse. */
  private Map<String, String> unreachable() {
    Map<String, String> env = environment();
    env.put("DB_URL", "postgres://postgres:" + DB_PASSWORD + "@127.0.0.1:1/securetx");
    env.put("SMTP_URL", "smtps://mailer:" + SMTP_URL_PASSWORD + "@127.0.0.1:1");
    env.remove("SMTP_USERNAME");
    env.remove("SMTP_PASSWORD");
    env.put("HTTP_TLS_KEYSTORE", dir.resolve("no-such-keystore.p12").toString());
    return env;
  }

  @Test
  void cliAndServer_everySecretACanary_noCanaryInAnyLogOrResponse() throws Exception {
    ByteArrayOutputStream systemErr = new ByteArrayOutputStream();
    ByteArrayOutputStream systemOut = new ByteArrayOutputStream();
    PrintStream originalErr = System.err;
    PrintStream originalOut = System.out;
    System.setErr(new PrintStream(systemErr, true, StandardCharsets.UTF_8));
    System.setOut(new PrintStream(systemOut, true, StandardCharsets.UTF_8));
    String captured;
    try (LogCapture logs = LogCapture.start()) {
      runCommands();
      String txId = exerciseServer();
      assertThat(txId).startsWith("tx_");
      captured = logs.text();
    } finally {
      System.setErr(originalErr);
      System.setOut(originalOut);
      // The next test must not inherit this environment's JSON format or audit file.
      io.securetx.observability.Logging.apply(false, null);
    }
    String audit = Files.readString(dir.resolve("audit.jsonl"), StandardCharsets.UTF_8);

    // The capture saw what it should, so an empty capture cannot pass.
    assertThat(captured).contains("\"level\":\"DEBUG\"").contains("\"event\":\"auth.api_key\"");
    assertThat(audit).contains("\"event\":\"keys.rotate\"").contains("\"event\":\"vault.verify\"");
    assertThat(outputs).hasSizeGreaterThan(20);
    // The good paths really ran: a failure everywhere would leak nothing and prove nothing.
    assertThat(outputs)
        .anyMatch(o -> o.startsWith("process --user-id 123 --amount 100.00 -> 0"))
        .anyMatch(o -> o.startsWith("keys rotate -> 0"))
        .anyMatch(o -> o.startsWith("verify -> 0"))
        .anyMatch(o -> o.matches("(?s)GET \\S+/v1/vault/verify -> 200.*"))
        .anyMatch(o -> o.matches("(?s)GET \\S+/v1/vault/verify -> 401.*"));

    assertNoCanary("log lines (JSON capture, all levels)", captured);
    assertNoCanary("standard error", systemErr.toString(StandardCharsets.UTF_8));
    assertNoCanary("standard output", systemOut.toString(StandardCharsets.UTF_8));
    assertNoCanary("the audit file", audit);
    for (String output : outputs) {
      assertNoCanary("output", output);
    }
  }

  private void runCommands() {
    Map<String, String> env = environment();
    cli(env, "config");
    cli(env, "config", "--json");
    cli(env, "process", "--user-id", "123", "--amount", "100.00");
    cli(env, "process", "--user-id", "123", "--amount", "1e400");
    cli(env, "process", "--user-id", "", "--amount", "-1");
    cli(env, "process", "--user-id", "9", "--amount", "5", "--idempotency-key", "k1");
    cli(env, "process", "--user-id", "9", "--amount", "6", "--idempotency-key", "k1");
    cli(env, "show", "tx_bogus");
    cli(env, "verify");
    cli(env, "verify", "--json");
    cli(env, "keys", "rotate");
    cli(env, "tasks", "stats");
    Map<String, String> other = unreachable();
    cli(other, "config");
    cli(other, "config", "--json");
    cli(other, "verify");
    cli(other, "process", "--user-id", "1", "--amount", "1.00");
    cli(other, "serve", "--port", "0"); // the keystore is missing: refused before listening
    Map<String, String> badMaster = environment();
    badMaster.put("SECURETX_MASTER_KEY", Base64.getEncoder().encodeToString(new byte[32]));
    cli(badMaster, "verify");
    Map<String, String> production = environment();
    production.put("SECURETX_ENV", "production");
    production.put("ADMIN_PASSWORD", "CanaryAdminPwcore-9");
    cli(production, "config");
  }

  private void cli(Map<String, String> env, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = SecureTxCli.create(new Application(env, Clock.systemUTC()));
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int code = cli.execute(args);
    outputs.add(String.join(" ", args) + " -> " + code + "\n" + out + "\n" + err);
  }

  /** Drives the server as {@code securetx serve} builds it; returns a stored transaction's id. */
  private String exerciseServer() throws Exception {
    Application app = new Application(environment(), Clock.systemUTC());
    SecureTxConfig cfg = app.config();
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    try (Metrics metrics = Metrics.create();
        Vault vault = app.openVault();
        HttpApiServer server =
            app.httpServer(vault, cfg, new ServeOptions("127.0.0.1", 0), metrics, false).start()) {
      URI base = URI.create("http://127.0.0.1:" + server.port());
      String body = "{\"user_id\": \"123\", \"amount\": \"10.00\"}";
      String created =
          send(
              client,
              post(base, "/v1/transactions", body)
                  .header("Authorization", "Bearer " + API_KEY)
                  .header("Idempotency-Key", "order-1")
                  .build());
      String txId = created.replaceAll("(?s).*\"tx_id\":\"(tx_[0-9a-f-]+)\".*", "$1");
      send(
          client,
          get(base, "/v1/transactions/" + txId)
              .header("Authorization", "Bearer " + API_KEY)
              .build());
      send(
          client,
          get(base, "/v1/vault/verify").header("Authorization", "Bearer " + MORE_KEY).build());
      for (String path : List.of("/metrics", "/healthz", "/readyz", "/openapi.json", "/nope")) {
        send(client, get(base, path).build());
      }
      // Near misses: every one is refused and audited, none may be echoed or logged.
      List<String> nearMisses =
          List.of(
              "Bearer " + API_KEY.substring(0, API_KEY.length() - 1),
              "Bearer " + API_KEY + "x",
              "Bearer " + API_KEY.toUpperCase(Locale.ROOT),
              "Bearer " + API_KEY.replace('Q', 'q'),
              "Bearer  " + MORE_KEY.substring(1),
              "bearer " + ADMIN_PASSWORD,
              "Bearer " + MASTER_KEY,
              "Basic "
                  + Base64.getEncoder()
                      .encodeToString(("admin:" + ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8)),
              API_KEY,
              "Bearer " + BROKER_PASSWORD);
      for (String header : nearMisses) {
        send(client, get(base, "/v1/vault/verify").header("Authorization", header).build());
        send(
            client,
            post(base, "/v1/transactions", body)
                .header("Authorization", header)
                .header("Idempotency-Key", "order-2")
                .build());
      }
      // Bad input with a good key.
      send(
          client,
          post(base, "/v1/transactions", "{\"user_id\": 1, \"amount\": 10}")
              .header("Authorization", "Bearer " + API_KEY)
              .header("Idempotency-Key", "order-3")
              .build());
      send(
          client,
          post(base, "/v1/transactions", "{not json")
              .header("Authorization", "Bearer " + API_KEY)
              .header("Idempotency-Key", "order-4")
              .build());
      send(
          client,
          get(base, "/v1/transactions/tx_bogus")
              .header("Authorization", "Bearer " + API_KEY)
              .build());
      return txId;
    }
  }

  private static HttpRequest.Builder get(URI base, String path) {
    return HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30)).GET();
  }

  private static HttpRequest.Builder post(URI base, String path, String body) {
    return HttpRequest.newBuilder(base.resolve(path))
        .timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body));
  }

  private String send(HttpClient client, HttpRequest request) throws IOException {
    try {
      HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
      String whole =
          response.statusCode() + "\n" + response.headers().map() + "\n" + response.body();
      outputs.add(request.method() + " " + request.uri() + " -> " + whole);
      return response.body();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  private static void assertNoCanary(String what, String text) {
    for (Map.Entry<String, String> canary : CANARIES.entrySet()) {
      for (Map.Entry<String, String> form : forms(canary.getValue()).entrySet()) {
        assertThat(text)
            .as("%s holds %s (%s)", what, canary.getKey(), form.getKey())
            .doesNotContain(form.getValue());
      }
    }
    for (byte[] raw : List.of(MASTER_KEY_BYTES)) {
      assertThat(text)
          .as("%s holds the master key's bytes in hex", what)
          .doesNotContainIgnoringCase(HexFormat.of().formatHex(raw));
      assertThat(text)
          .as("%s holds the master key's bytes in URL-safe base64", what)
          .doesNotContain(Base64.getUrlEncoder().withoutPadding().encodeToString(raw));
    }
  }

  /** The forms of a secret to look for. */
  static Map<String, String> forms(String secret) {
    byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
    Map<String, String> forms = new LinkedHashMap<>();
    forms.put("plain", secret);
    forms.put("URL-encoded", URLEncoder.encode(secret, StandardCharsets.UTF_8));
    forms.put("base64", stripPadding(Base64.getEncoder().encodeToString(bytes)));
    forms.put("base64url", Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
    forms.put("hex", HexFormat.of().formatHex(bytes));
    forms.put("HEX", HexFormat.of().withUpperCase().formatHex(bytes));
    int core = secret.indexOf("core");
    if (core >= 0) {
      // The unique tail alone: a truncated or near-miss echo is a leak too.
      forms.put("unique core", secret.substring(core));
    }
    return forms;
  }

  private static String stripPadding(String base64) {
    int end = base64.length();
    while (end > 0 && base64.charAt(end - 1) == '=') {
      end--;
    }
    // The last character depends on what follows when embedded; leave it out.
    return base64.substring(0, Math.max(0, end - 1));
  }

  @Test
  void forms_ofAKnownSecret_includeEveryEncoding() {
    Map<String, String> forms = forms("ab core/1");
    assertThat(forms)
        .containsEntry("plain", "ab core/1")
        .containsEntry("URL-encoded", "ab+core%2F1")
        .containsEntry("hex", "616220636f72652f31")
        .containsEntry("unique core", "core/1");
    assertThat(Variable.values())
        .filteredOn(Variable::secret)
        .extracting(Variable::name)
        .allSatisfy(
            name ->
                assertThat(CANARIES.keySet().stream().anyMatch(k -> k.startsWith(name)))
                    .as("a canary for %s", name)
                    .isTrue());
  }
}
