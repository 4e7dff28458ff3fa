package io.securetx.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.securetx.adapter.http.HttpMetricsServer;
import io.securetx.observability.Metrics;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The image's health check, {@code deploy/image/healthcheck}, run by bash as the container runs it,
 * against a real metrics port (the worker's probe) and a closed one: exit 0 only on a 200.
 */
@Timeout(60)
class HealthcheckScriptTest {

  private final AtomicBoolean running = new AtomicBoolean(true);
  private Metrics metrics;
  private HttpMetricsServer server;
  private Path script;

  @BeforeEach
  void start() throws IOException {
    script = ReadmeConfigurationTableTest.findRepositoryRoot().resolve("deploy/image/healthcheck");
    metrics = Metrics.create();
    server = HttpMetricsServer.start("127.0.0.1", 0, metrics, running::get);
  }

  @AfterEach
  void stop() {
    server.close();
    metrics.close();
  }

  @Test
  void portArgument_runningWorker_exits0_stoppedWorker_exits1() throws Exception {
    String port = Integer.toString(server.port());

    assertThat(run(Map.of(), "/healthz", port).exit()).isZero();
    running.set(false);
    Result stopped = run(Map.of(), "/healthz", port);
    assertThat(stopped.exit()).isEqualTo(1);
    assertThat(stopped.err()).contains("503");
  }

  @Test
  void withoutPortArgument_probesHttpPort() throws Exception {
    assertThat(run(Map.of("HTTP_PORT", Integer.toString(server.port())), "/healthz").exit())
        .isZero();
    Result missing = run(Map.of("HTTP_PORT", Integer.toString(server.port())), "/nowhere");
    assertThat(missing.exit()).isEqualTo(1);
    assertThat(missing.err()).contains("404");
  }

  @Test
  void nothingListening_orNotAPort_exits1() throws Exception {
    int closed;
    try (ServerSocket socket = new ServerSocket(0)) {
      closed = socket.getLocalPort();
    }
    Result refused = run(Map.of(), "/healthz", Integer.toString(closed));
    assertThat(refused.exit()).isEqualTo(1);
    assertThat(refused.err()).contains("nothing listens on port " + closed);
    Result bad = run(Map.of(), "/healthz", "80/../../etc");
    assertThat(bad.exit()).isEqualTo(1);
    assertThat(bad.err()).contains("not a port");
  }

  private record Result(int exit, String err) {}

  private Result run(Map<String, String> env, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("bash", script.toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD);
    builder.environment().remove("HTTP_PORT");
    builder.environment().putAll(env);
    Process process = builder.start();
    String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("the script ended").isTrue();
    return new Result(process.exitValue(), err);
  }
}
