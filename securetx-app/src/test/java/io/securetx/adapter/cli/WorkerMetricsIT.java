package io.securetx.adapter.cli;

import static io.securetx.adapter.cli.CliRun.expect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.securetx.observability.Prometheus;
import io.securetx.testing.TestCertificates;
import io.securetx.testing.TlsRedisServer;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code securetx worker --metrics-port} end to end: the worker in its own JVM (so SIGTERM is the
 * real one) against a private TLS-only {@code redis-server} that requires a password (the project's
 * {@link TlsRedisServer}), scraped over HTTP after {@code enqueue} has sent it tasks. The shared
 * Redis is not used.
 */
@Timeout(180)
class WorkerMetricsIT {

  private static final String PASSWORD = "metrics-it-redis-password-31337";
  private static final Pattern METRICS_URL = Pattern.compile("metrics on (http://\\S+)");

  @TempDir Path dataDir;
  private TlsRedisServer redis;
  private Path redisCertificate;
  private Process worker;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeEach
  void startRedis() throws IOException {
    TestCertificates.Issued server =
        TestCertificates.selfSigned(dataDir, "localhost", "dns:localhost");
    redisCertificate = server.writeCertificate(dataDir.resolve("redis.pem"));
    redis =
        TlsRedisServer.start(
            dataDir,
            redisCertificate,
            server.writeKey(dataDir.resolve("redis-key.pem")),
            "--tls-auth-clients",
            "no",
            "--requirepass",
            PASSWORD);
  }

  @AfterEach
  void stop() throws InterruptedException {
    if (worker != null) {
      worker.destroyForcibly();
    }
    redis.close();
  }

  private Map<String, String> env() {
    String url =
        "rediss://:"
            + PASSWORD
            + "@localhost:"
            + redis.port()
            + "/0?ssl_ca_certs="
            + redisCertificate;
    Map<String, String> env = new HashMap<>();
    env.put("SECURETX_DATA_DIR", dataDir.toString());
    env.put("CELERY_BROKER_URL", url);
    env.put("CELERY_RESULT_BACKEND", url);
    return env;
  }

  private HttpResponse<String> get(String url) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static double tasks(String scrape, String task, String state) {
    return Prometheus.value(scrape, "securetx_tasks_total", Map.of("task", task, "state", state));
  }

  @Test
  void worker_metricsPort_countsItsTasksServesHealthAndQueues_goneAfterSigterm() throws Exception {
    Path log = dataDir.resolve("worker.log");
    worker = WorkerProcess.start(env(), log, "--metrics-port", "0");
    Matcher found = METRICS_URL.matcher(Files.readString(log, StandardCharsets.UTF_8));
    assertThat(found.find()).as("worker output: %s", Files.readString(log)).isTrue();
    String metrics = found.group(1);
    String base = metrics.substring(0, metrics.length() - "/metrics".length());
    assertThat(base).startsWith("http://127.0.0.1:");

    assertThat(get(base + "/healthz").statusCode()).isEqualTo(200);
    String before = get(metrics).body();
    assertThat(tasks(before, "celery.accumulate", "SUCCESS")).isZero();

    for (int i = 0; i < 3; i++) {
      expect(
          0,
          CliRun.run(
              env(), "enqueue", "celery.accumulate", "--args", "[" + i + "]", "--wait", "30"));
    }
    expect(ExitCodes.TASK_FAILED, CliRun.run(env(), "enqueue", "no.such.task", "--wait", "30"));

    String scrape = get(metrics).body();
    assertThat(tasks(scrape, "celery.accumulate", "SUCCESS")).isEqualTo(3);
    assertThat(tasks(scrape, "no.such.task", "FAILURE")).isEqualTo(1);
    assertThat(tasks(scrape, "celery.accumulate", "FAILURE")).isZero();
    assertThat(scrape)
        .contains("securetx_queue_depth{queue=\"celery\"}")
        .contains("securetx_task_runtime_seconds_count")
        .contains("jvm_threads_live_threads")
        .doesNotContain(PASSWORD);
    assertThat(Prometheus.value(scrape, "securetx_broker_up", Map.of())).isEqualTo(1);
    assertThat(Prometheus.value(scrape, "securetx_workers_alive", Map.of())).isEqualTo(1);
    assertThat(get(base + "/nothing").statusCode()).isEqualTo(404);
    assertThat(Files.readString(log, StandardCharsets.UTF_8)).doesNotContain(PASSWORD);

    worker.destroy(); // SIGTERM
    assertThat(worker.waitFor(60, TimeUnit.SECONDS)).as("stopped").isTrue();
    assertThat(worker.exitValue()).as("exit code; %s", Files.readString(log)).isZero();
    int port = URI.create(metrics).getPort();
    assertThatThrownBy(() -> new Socket("127.0.0.1", port).close())
        .isInstanceOf(ConnectException.class);
  }
}
