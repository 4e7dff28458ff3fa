package io.securetx.adapter.cli;

import static org.awaitility.Awaitility.await;

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
    List<String> args =
        new ArrayList<>(
            List.of("worker", "--concurrency", "2", "--queues", "celery", "--loglevel", "info"));
    args.addAll(List.of(extra));
    Process process = CliProcess.start(env, log, args);
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
