package io.securetx.adapter.cli;

import static org.awaitility.Awaitility.await;

import io.securetx.app.Main;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Starts {@code securetx worker} in its own JVM, as an operator would, and waits until ready. */
final class WorkerProcess {

  private WorkerProcess() {}

  /**
   * Starts a worker with concurrency 2 on the {@code celery} queue.
   *
   * @param env the environment it sees (broker, backend, data directory)
   * @param log where its output goes
   * @param extra further worker options
   * @return the running process; the caller stops it
   */
  static Process start(Map<String, String> env, Path log, String... extra) throws IOException {
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName(),
                "worker",
                "--concurrency",
                "2",
                "--queues",
                "celery",
                "--loglevel",
                "info"));
    command.addAll(List.of(extra));
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().putAll(env);
    Process process = builder.start();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                !process.isAlive()
                    || Files.readString(log, StandardCharsets.UTF_8).contains("ready"));
    if (!process.isAlive()) {
      throw new IllegalStateException(
          "the worker exited: " + Files.readString(log, StandardCharsets.UTF_8));
    }
    return process;
  }
}
