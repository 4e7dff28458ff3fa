package io.securetx.adapter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code securetx worker --metrics-port}: a taken or invalid port is refused before the worker
 * connects to anything. The broker named here does not exist, so reaching it would fail otherwise.
 * The endpoint itself, with a real Redis and worker, is in {@code WorkerMetricsIT}.
 */
class WorkerMetricsPortTest {

  @TempDir Path dataDir;

  private Map<String, String> env() {
    Map<String, String> env = new HashMap<>();
    env.put("SECURETX_DATA_DIR", dataDir.toString());
    // Port 1 on loopback: nothing listens there; a worker that got as far as the broker exits 6.
    env.put("CELERY_BROKER_URL", "redis://:broker-password-4711@127.0.0.1:1/0");
    env.put("CELERY_RESULT_BACKEND", "redis://:broker-password-4711@127.0.0.1:1/0");
    return env;
  }

  @Test
  void worker_metricsPortTaken_exits3NamingTheAddressBeforeReachingTheBroker() throws IOException {
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress("127.0.0.1", 0));
      String port = Integer.toString(taken.getLocalPort());

      CliRun run =
          CliRun.expect(ExitCodes.CONFIG, CliRun.run(env(), "worker", "--metrics-port", port));

      assertThat(run.err())
          .contains("METRICS_PORT")
          .contains("cannot listen on 127.0.0.1:" + port)
          .doesNotContain("broker-password-4711");
    }
  }

  @Test
  void worker_metricsPortTakenFromTheEnvironment_exits3() throws IOException {
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress("127.0.0.1", 0));
      Map<String, String> env = env();
      env.put("METRICS_PORT", Integer.toString(taken.getLocalPort()));

      CliRun run = CliRun.expect(ExitCodes.CONFIG, CliRun.run(env, "worker"));

      assertThat(run.err()).contains("cannot listen on 127.0.0.1:" + taken.getLocalPort());
    }
  }

  @Test
  void worker_metricsPortOutOfRange_isUsageError() {
    CliRun run =
        CliRun.expect(ExitCodes.USAGE, CliRun.run(env(), "worker", "--metrics-port", "70000"));

    assertThat(run.err()).contains("--metrics-port must be in 0..65535");
  }

  @Test
  void worker_metricsPortVariableNotANumber_exits3NamingIt() {
    Map<String, String> env = env();
    env.put("METRICS_PORT", "metrics");

    CliRun run = CliRun.expect(ExitCodes.CONFIG, CliRun.run(env, "worker"));

    assertThat(run.err()).contains("METRICS_PORT must be a port number");
  }

  @Test
  void worker_metricsBindUnknownHost_exits3() {
    CliRun run =
        CliRun.expect(
            ExitCodes.CONFIG,
            CliRun.run(
                env(), "worker", "--metrics-port", "0", "--metrics-bind", "no-such-host.invalid"));

    assertThat(run.err()).contains("cannot listen on no-such-host.invalid:0");
  }
}
