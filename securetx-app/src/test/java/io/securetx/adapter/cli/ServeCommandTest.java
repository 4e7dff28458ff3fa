package io.securetx.adapter.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code securetx serve}: refuses bad configuration up front, runs the seed's tasks in process on
 * the embedded defaults, and stops cleanly on SIGTERM.
 */
class ServeCommandTest {

  private static final String KEY = "stx_" + "Zz9Yy8Xx7Ww6Vv5Uu4Tt3Ss2Rr1Qq0Pp9Oo8";
  private static final Pattern LISTENING = Pattern.compile("listening on (http://\\S+)");
  private static final Pattern METRICS_ON = Pattern.compile("metrics on (http://\\S+)");

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dataDir;

  private Map<String, String> env() {
    Map<String, String> env = new HashMap<>();
    env.put("SECURETX_DATA_DIR", dataDir.toString());
    env.put("API_KEY_V1", KEY);
    env.put("HTTP_HOST", "127.0.0.1");
    return env;
  }

  @Test
  void serve_noApiKey_exits3BeforeCreatingTheVault() {
    Map<String, String> env = env();
    env.put("API_KEY_V1", "");

    CliRun run = CliRun.expect(ExitCodes.CONFIG, CliRun.run(env, "serve", "--port", "0"));

    assertThat(run.err()).contains("no API key");
    assertThat(dataDir.resolve("vault.db")).doesNotExist();
  }

  @Test
  void serve_keyOfWrongForm_exits3WithoutPrintingIt() {
    Map<String, String> env = env();
    env.put("API_KEYS", "secret-but-wrong-form-123");

    CliRun run = CliRun.expect(ExitCodes.CONFIG, CliRun.run(env, "serve", "--port", "0"));

    assertThat(run.err()).contains("API_KEYS entry 1").doesNotContain("secret-but-wrong-form");
  }

  @Test
  void serve_tlsKeystoreWrongPassword_exits3WithoutPrintingItOrCreatingTheVault() {
    Map<String, String> env = env();
    env.put("HTTP_TLS_KEYSTORE", io.securetx.adapter.smtp.TestCertificate.keystore().toString());
    env.put("HTTP_TLS_KEYSTORE_PASSWORD", "wrong-password-0815");

    CliRun run = CliRun.expect(ExitCodes.CONFIG, CliRun.run(env, "serve", "--port", "0"));

    assertThat(run.err())
        .contains("HTTP_TLS_KEYSTORE_PASSWORD does not open HTTP_TLS_KEYSTORE")
        .doesNotContain("wrong-password-0815")
        .doesNotContain(io.securetx.adapter.smtp.TestCertificate.PASSWORD);
    assertThat(dataDir.resolve("vault.db")).doesNotExist();
  }

  @Test
  void serve_portOutOfRange_isUsageError() {
    CliRun.expect(ExitCodes.USAGE, CliRun.run(env(), "serve", "--port", "70000"));
  }

  @Test
  void serve_embeddedDefaults_runsTheSeedsTasksInProcess_sigtermExits0WithTheVaultIntact()
      throws Exception {
    Path log = dataDir.resolve("serve.log");
    Process process = startServe(log);
    try {
      String[] url = new String[1];
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () -> {
                Matcher m = LISTENING.matcher(Files.readString(log, StandardCharsets.UTF_8));
                if (m.find()) {
                  url[0] = m.group(1);
                }
                return url[0] != null || !process.isAlive();
              });
      assertThat(process.isAlive()).as("serve output: %s", read(log)).isTrue();
      HttpClient client = HttpClient.newHttpClient();
      HttpResponse<String> created =
          client.send(
              HttpRequest.newBuilder(URI.create(url[0] + "/v1/transactions"))
                  .header("Authorization", "Bearer " + KEY)
                  .header("Content-Type", "application/json")
                  .header("Idempotency-Key", "serve-1")
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          "{\"user_id\": \"123\", \"amount\": \"100.00\"}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(created.statusCode()).as(created.body()).isEqualTo(201);

      // On the embedded defaults the seed's tasks run in this process, over the same vault.
      JsonNode mail =
          runTask(
              client,
              url[0] + "/v1/tasks/new.send_welcome_email",
              "{\"kwargs\": {\"user_id\": 123, \"email\": \"alice@example.com\"}}");
      assertThat(mail.path("state").asText()).as("%s", mail).isEqualTo("SUCCESS");
      assertThat(mail.path("result").path("status").asText()).isEqualTo("sent");
      try (var outbox = Files.list(dataDir.resolve("outbox"))) {
        assertThat(outbox.filter(p -> p.toString().endsWith(".eml")).count()).isEqualTo(1);
      }
      JsonNode stored =
          runTask(
              client,
              url[0] + "/v1/tasks/process_transaction",
              "{\"args\": [123, \"7.50\", \"EUR\", \"task-tx-1\"]}");
      assertThat(stored.path("state").asText()).as("%s", stored).isEqualTo("SUCCESS");
      YearMonth month = YearMonth.now(ZoneOffset.UTC);
      JsonNode report = runTask(client, url[0] + "/v1/reports", "{\"month\": \"" + month + "\"}");
      assertThat(report.path("state").asText()).as("%s", report).isEqualTo("SUCCESS");
      assertThat(Path.of(report.path("result").asText()))
          .exists()
          .hasFileName("report_" + month + ".pdf");

      process.destroy(); // SIGTERM

      assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("stopped; %s", read(log)).isTrue();
      assertThat(process.exitValue()).as("exit code; %s", read(log)).isZero();
    } finally {
      process.destroyForcibly();
    }
    CliRun verify = CliRun.expect(ExitCodes.OK, CliRun.run(env(), "verify", "--json"));
    assertThat(verify.json().path("entries").asLong()).isEqualTo(2);
  }

  @Test
  void serve_metricsPortTaken_exits3BeforeCreatingTheVault() throws IOException {
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress("127.0.0.1", 0));
      String port = Integer.toString(taken.getLocalPort());

      CliRun run =
          CliRun.expect(
              ExitCodes.CONFIG, CliRun.run(env(), "serve", "--port", "0", "--metrics-port", port));

      assertThat(run.err()).contains("METRICS_PORT").contains("cannot listen on 127.0.0.1:" + port);
      assertThat(dataDir.resolve("vault.db")).doesNotExist();
    }
  }

  @Test
  void serve_metricsPort_movesMetricsOffTheApiPort_untilSigterm() throws Exception {
    Path log = dataDir.resolve("serve.log");
    Process process = startServe(log, "--metrics-port", "0");
    try {
      String[] urls = new String[2];
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () -> {
                String text = Files.readString(log, StandardCharsets.UTF_8);
                Matcher api = LISTENING.matcher(text);
                Matcher metrics = METRICS_ON.matcher(text);
                if (api.find() && metrics.find()) {
                  urls[0] = api.group(1);
                  urls[1] = metrics.group(1);
                }
                return urls[1] != null || !process.isAlive();
              });
      assertThat(process.isAlive()).as("serve output: %s", read(log)).isTrue();
      HttpClient client = HttpClient.newHttpClient();

      HttpResponse<String> onApi = get(client, urls[0] + "/metrics");
      HttpResponse<String> onOwnPort = get(client, urls[1]);

      assertThat(onApi.statusCode()).isEqualTo(404);
      assertThat(onOwnPort.statusCode()).isEqualTo(200);
      assertThat(onOwnPort.body())
          .contains("securetx_queue_depth")
          .contains("http_server_requests_seconds_count{method=\"GET\",route=\"unmatched\"");
      assertThat(get(client, urls[0] + "/healthz").statusCode()).isEqualTo(200);
      String metricsBase = urls[1].substring(0, urls[1].length() - "/metrics".length());
      assertThat(get(client, metricsBase + "/healthz").statusCode()).isEqualTo(200);
      assertThat(get(client, metricsBase + "/v1/transactions").statusCode()).isEqualTo(404);

      process.destroy(); // SIGTERM

      assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("stopped; %s", read(log)).isTrue();
      assertThat(process.exitValue()).as("exit code; %s", read(log)).isZero();
      int port = URI.create(urls[1]).getPort();
      assertThatThrownBy(() -> new Socket("127.0.0.1", port).close())
          .isInstanceOf(ConnectException.class);
    } finally {
      process.destroyForcibly();
    }
  }

  private static HttpResponse<String> get(HttpClient client, String url) throws Exception {
    return client.send(
        HttpRequest.newBuilder(URI.create(url)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Sends a task over HTTP (202), then polls it until it is ready. */
  private static JsonNode runTask(HttpClient client, String url, String body) throws Exception {
    HttpResponse<String> accepted =
        client.send(
            HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + KEY)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
    String location = accepted.headers().firstValue("Location").orElseThrow();
    URI status = URI.create(url).resolve(location);
    JsonNode[] last = new JsonNode[1];
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              HttpResponse<String> reply =
                  client.send(
                      HttpRequest.newBuilder(status)
                          .header("Authorization", "Bearer " + KEY)
                          .build(),
                      HttpResponse.BodyHandlers.ofString());
              last[0] = JSON.readTree(reply.body());
              return last[0].path("ready").asBoolean();
            });
    return last[0];
  }

  private static String read(Path log) throws IOException {
    return Files.readString(log, StandardCharsets.UTF_8);
  }

  /** {@code securetx serve --port 0} and the given options in a child JVM, its output to a log. */
  private Process startServe(Path log, String... options) throws IOException {
    List<String> args = new ArrayList<>(List.of("serve", "--port", "0"));
    args.addAll(List.of(options));
    return CliProcess.start(env(), log, args);
  }
}
