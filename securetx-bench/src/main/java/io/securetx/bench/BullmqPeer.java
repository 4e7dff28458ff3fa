package io.securetx.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * BullMQ on Node.js ({@code peers/bullmq/bullmq_bench.mjs}, versions pinned by its
 * package-lock.json): addBulk enqueue in chunks, a no-op worker at a given concurrency started as a
 * child process after the queue is filled, the drain rate read from the jobs' own {@code
 * finishedOn} stamps, and round trips through {@code job.waitUntilFinished}.
 */
final class BullmqPeer implements Peer {

  private static final Duration QUICK = Duration.ofSeconds(60);

  private final Path dir;
  private final String node;
  private final String npm;
  private final String redisUrl;
  private final int concurrency;

  BullmqPeer(Path dir, String node, String npm, String redisUrl, int concurrency) {
    this.dir = dir;
    this.node = node;
    this.npm = npm;
    this.redisUrl = redisUrl;
    this.concurrency = concurrency;
  }

  @Override
  public String name() {
    return "bullmq";
  }

  /** Installs the locked dependencies with {@code npm ci} when {@code node_modules} is missing. */
  @Override
  public void prepare() throws IOException, InterruptedException {
    if (!Files.isDirectory(dir.resolve("node_modules"))) {
      System.out.println("  bullmq: npm ci in " + dir);
      try (ChildProcess npmCi =
          ChildProcess.start(
              "npm ci", List.of(npm, "ci", "--no-audit", "--no-fund"), dir, Map.of())) {
        npmCi.awaitExit(Duration.ofMinutes(5), null);
      }
    }
    JsonNode versions = script(QUICK, "versions");
    System.out.printf(
        "  bullmq: %s, worker concurrency %d, redis %s%n", versions, concurrency, redisUrl);
  }

  @Override
  public QueueRun run(QueueWorkload workload) throws IOException, InterruptedException {
    String tasks = Integer.toString(workload.tasks());
    String queue = workload.queue();
    script(QUICK, "prepare-db");
    try {
      JsonNode enqueue =
          script(workload.enqueueTimeout(), "enqueue", "--count", tasks, "--queue", queue);
      try (ChildProcess worker =
          ChildProcess.start(
              "bullmq worker",
              command("worker", "--queue", queue, "--concurrency", Integer.toString(concurrency)),
              dir,
              environment())) {
        JsonNode drain =
            scriptWatching(
                worker,
                workload.drainTimeout(),
                "drain-stats",
                "--expect",
                tasks,
                "--queue",
                queue,
                "--timeout",
                Long.toString(workload.drainTimeout().toSeconds()));
        if (drain.path("count").asInt() != workload.tasks()) {
          throw new IllegalStateException("bullmq drained " + drain + ", expected " + tasks);
        }
        JsonNode roundTrip =
            scriptWatching(
                worker,
                workload.roundTripTimeout(),
                "roundtrip",
                "--count",
                Integer.toString(workload.roundTrips()),
                "--warmup",
                Integer.toString(workload.warmupRoundTrips()),
                "--queue",
                queue);
        return QueueRun.of(workload.tasks(), enqueue, drain, roundTrip);
      }
    } finally {
      script(QUICK, "flushdb");
    }
  }

  private Map<String, String> environment() {
    return Map.of("BULLMQ_BENCH_URL", redisUrl);
  }

  private JsonNode script(Duration timeout, String... args)
      throws IOException, InterruptedException {
    return ChildProcess.run("bullmq " + args[0], command(args), dir, environment(), timeout);
  }

  private JsonNode scriptWatching(RunningWorker worker, Duration timeout, String... args)
      throws IOException, InterruptedException {
    try (ChildProcess child =
        ChildProcess.start("bullmq " + args[0], command(args), dir, environment())) {
      return child.awaitJson(timeout, worker);
    }
  }

  private List<String> command(String... args) {
    List<String> command = new ArrayList<>(List.of(node, "bullmq_bench.mjs"));
    command.addAll(List.of(args));
    return command;
  }
}
