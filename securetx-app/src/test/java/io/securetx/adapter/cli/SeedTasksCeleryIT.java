package io.securetx.adapter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisPooled;

/**
 * The seed's Python module {@code new.py}, unchanged, calls its three tasks with {@code .delay} on
 * the real Celery (Debian's {@code python3-celery}); a {@code securetx worker} in its own JVM runs
 * them for real: the e-mail lands in the outbox, the transaction in the vault, the report on disk.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class SeedTasksCeleryIT {

  private static final int DB = 5;
  private static final String URL = "redis://127.0.0.1:6379/" + DB;
  private static final Path PYTHON_DIR = Path.of("src", "test", "python").toAbsolutePath();
  private static final JsonMapper JSON = new JsonMapper();

  @TempDir Path dataDir;
  private JedisPooled redis;
  private Process worker;

  @BeforeEach
  void start() throws IOException, InterruptedException {
    requireCelery();
    redis =
        new JedisPooled(
            new HostAndPort("127.0.0.1", 6379),
            DefaultJedisClientConfig.builder().database(DB).build());
    redis.flushDB();
    worker = WorkerProcess.start(env(), dataDir.resolve("worker.log"));
  }

  @AfterEach
  void stop() throws InterruptedException {
    if (worker != null) {
      worker.destroy();
      if (!worker.waitFor(30, TimeUnit.SECONDS)) {
        worker.destroyForcibly();
      }
    }
    if (redis != null) {
      redis.close();
    }
  }

  /** In CI a missing Celery fails the test; on a developer machine it skips it, saying why. */
  private static void requireCelery() throws IOException, InterruptedException {
    Process probe =
        new ProcessBuilder("/usr/bin/python3", "-c", "import celery, redis")
            .redirectErrorStream(true)
            .start();
    probe.getInputStream().readAllBytes();
    if (probe.waitFor() == 0) {
      return;
    }
    String message = "Debian's python3-celery and python3-redis are needed (apt-get install).";
    assertThat(System.getenv("CI")).as(message).isNull();
    Assumptions.abort(message + " Skipped because CI is unset; in CI this fails.");
  }

  private Map<String, String> env() {
    Map<String, String> env = new HashMap<>();
    env.put("SECURETX_DATA_DIR", dataDir.toString());
    env.put("CELERY_BROKER_URL", URL);
    env.put("CELERY_RESULT_BACKEND", URL);
    return env;
  }

  @Test
  void seedModule_delayEachTask_securetxWorkerDoesTheRealWork() throws Exception {
    String month = YearMonth.now(ZoneOffset.UTC).toString();

    JsonNode results = seedClient(month);

    JsonNode email = results.get("email");
    assertThat(email.get("state").asText()).isEqualTo("SUCCESS");
    assertThat(email.at("/result/status").asText()).isEqualTo("sent");
    assertThat(email.at("/result/recipient").asText()).isEqualTo("user@example.com");
    List<Path> outbox;
    try (Stream<Path> files = Files.list(dataDir.resolve("outbox"))) {
      outbox = files.filter(f -> f.toString().endsWith(".eml")).toList();
    }
    assertThat(outbox).hasSize(1);
    assertThat(Files.readString(outbox.get(0), StandardCharsets.UTF_8))
        .contains("To: user@example.com")
        .contains(email.at("/result/message_id").asText());

    JsonNode transaction = results.get("transaction");
    assertThat(transaction.get("state").asText()).isEqualTo("SUCCESS");
    assertThat(transaction.at("/result/status").asText()).isEqualTo("success");
    String txId = transaction.at("/result/tx_id").asText();
    assertThat(txId).startsWith("tx_");

    JsonNode bad = results.get("bad_amount");
    assertThat(bad.get("state").asText()).isEqualTo("FAILURE");
    assertThat(bad.at("/result/exception").asText()).isEqualTo("ValueError");

    JsonNode report = results.get("report");
    assertThat(report.get("state").asText()).isEqualTo("SUCCESS");
    Path pdf = Path.of(report.get("result").asText());
    assertThat(pdf.getFileName()).hasToString("report_" + month + ".pdf");
    assertThat(Files.readAllBytes(pdf)).startsWith("%PDF-".getBytes(StandardCharsets.US_ASCII));

    CliRun shown = CliRun.expect(ExitCodes.OK, CliRun.run(env(), "show", txId, "--json"));
    assertThat(shown.json().get("amount").asText()).isEqualTo("100.00");
    CliRun verified = CliRun.expect(ExitCodes.OK, CliRun.run(env(), "verify", "--json"));
    assertThat(verified.json().get("entries").asLong()).isEqualTo(1);
  }

  private JsonNode seedClient(String month) throws IOException, InterruptedException {
    ProcessBuilder builder =
        new ProcessBuilder("/usr/bin/python3", "seed_client.py", "60", month)
            .directory(PYTHON_DIR.toFile())
            .redirectError(dataDir.resolve("python.log").toFile());
    builder.environment().putAll(env());
    Process python = builder.start();
    byte[] out = python.getInputStream().readAllBytes();
    assertThat(python.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(python.exitValue())
        .as(Files.readString(dataDir.resolve("python.log"), StandardCharsets.UTF_8))
        .isZero();
    return JSON.readTree(out);
  }
}
