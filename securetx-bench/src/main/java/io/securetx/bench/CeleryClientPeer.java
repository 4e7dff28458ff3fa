package io.securetx.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A peer whose worker speaks Celery's wire protocol on Redis, driven by the one Python client
 * ({@code peers/celery/celery_bench.py}): it enqueues {@code celery.accumulate(i)}, which both
 * Celery and the securetx worker implement, reads the drain rate from the results' own {@code
 * date_done} stamps, and times {@code send_task(...).get()} round trips. So the messages and the
 * measurement are the same for every such worker; a subclass only starts its worker.
 */
abstract class CeleryClientPeer implements Peer {

  private static final Duration QUICK = Duration.ofSeconds(60);

  private final String name;
  private final Path clientDir;
  private final String python;
  private final String redisUrl;

  /**
   * @param clientDir the directory holding {@code celery_bench.py}
   * @param python the interpreter that has Celery 5.2 and redis-py ({@code /usr/bin/python3})
   * @param redisUrl broker and result backend, a dedicated database
   */
  CeleryClientPeer(String name, Path clientDir, String python, String redisUrl) {
    this.name = name;
    this.clientDir = clientDir;
    this.python = python;
    this.redisUrl = redisUrl;
  }

  /**
   * Starts this peer's worker consuming {@code queue} on {@link #redisUrl()}, with results stored.
   * It must not wait for the queue to drain: the run measures that from the results.
   *
   * @throws IOException if the worker cannot be started
   * @throws InterruptedException if interrupted while starting it
   */
  abstract RunningWorker startWorker(String queue) throws IOException, InterruptedException;

  @Override
  public final String name() {
    return name;
  }

  final Path clientDir() {
    return clientDir;
  }

  final String python() {
    return python;
  }

  final String redisUrl() {
    return redisUrl;
  }

  /** The environment that points the Celery app in {@code celery_bench.py} at this peer's db. */
  final Map<String, String> environment() {
    return Map.of("CELERY_BENCH_URL", redisUrl, "PYTHONDONTWRITEBYTECODE", "1");
  }

  @Override
  public void prepare() throws IOException, InterruptedException {
    JsonNode versions = client(QUICK, "versions");
    System.out.printf("  %s: client %s, redis %s%n", name, versions, redisUrl);
  }

  @Override
  public final QueueRun run(QueueWorkload workload) throws IOException, InterruptedException {
    String tasks = Integer.toString(workload.tasks());
    client(QUICK, "prepare-db");
    try {
      JsonNode enqueue =
          client(
              workload.enqueueTimeout(), "enqueue", "--count", tasks, "--queue", workload.queue());
      try (RunningWorker worker = startWorker(workload.queue())) {
        JsonNode drain =
            clientWatching(
                worker,
                workload.drainTimeout(),
                "drain-stats",
                "--expect",
                tasks,
                "--queue",
                workload.queue(),
                "--timeout",
                Long.toString(workload.drainTimeout().toSeconds()));
        if (drain.path("count").asInt() != workload.tasks()) {
          throw new IllegalStateException(name + " drained " + drain + ", expected " + tasks);
        }
        JsonNode roundTrip =
            clientWatching(
                worker,
                workload.roundTripTimeout(),
                "roundtrip",
                "--count",
                Integer.toString(workload.roundTrips()),
                "--warmup",
                Integer.toString(workload.warmupRoundTrips()),
                "--queue",
                workload.queue());
        return QueueRun.of(workload.tasks(), enqueue, drain, roundTrip);
      }
    } finally {
      client(QUICK, "flushdb");
    }
  }

  private JsonNode client(Duration timeout, String... args)
      throws IOException, InterruptedException {
    return ChildProcess.run(
        name + " client " + args[0], command(args), clientDir, environment(), timeout);
  }

  private JsonNode clientWatching(RunningWorker worker, Duration timeout, String... args)
      throws IOException, InterruptedException {
    try (ChildProcess child =
        ChildProcess.start(name + " client " + args[0], command(args), clientDir, environment())) {
      return child.awaitJson(timeout, worker);
    }
  }

  private List<String> command(String... args) {
    List<String> command = new ArrayList<>(List.of(python, "celery_bench.py"));
    command.addAll(List.of(args));
    return command;
  }
}
