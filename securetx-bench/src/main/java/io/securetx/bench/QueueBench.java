package io.securetx.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.jspecify.annotations.Nullable;

/**
 * The {@code queue} benchmark: no-op tasks through three workers on the same local Redis, in the
 * same run — the securetx Java worker, Celery 5.2 (prefork) and BullMQ — each in its own Redis
 * database, emptied before and after every run (a database holding keys the bench did not create is
 * refused, never flushed).
 *
 * <p>Per run and peer: (1) enqueue throughput of the client with no worker running; (2) drain
 * throughput, N / (last − first completion stamp the worker stored itself), with the queue filled
 * before the worker starts, so its start-up is excluded; (3) round-trip p50/p99 on the idle worker
 * (send one, wait for its result, repeat, after a warm-up).
 *
 * <p>Usage: {@code java -jar securetx-bench.jar queue [--tasks N] [--tasks-celery N]
 * [--tasks-bullmq N] [--tasks-securetx N] [--runs 3] [--only celery,bullmq,securetx] [--round-trips
 * 500] [--warmup 50] [--redis 127.0.0.1:6379] [--celery-db 13] [--bullmq-db 14] [--securetx-db 15]
 * [--securetx-concurrency 4] [--securetx-prefetch 64 (multiplier)] [--celery-concurrency 2]
 * [--bullmq-concurrency 50] [--python /usr/bin/python3] [--node node] [--npm npm] [--peers DIR]}.
 * The peer scripts are in {@code securetx-bench/peers}; run from the repository root or pass {@code
 * --peers}.
 */
final class QueueBench {

  private QueueBench() {}

  static void main(String[] args) throws Exception {
    Path peersDir = peersDir(Bench.option(args, "--peers", ""));
    String redis = "redis://" + Bench.option(args, "--redis", "127.0.0.1:6379") + "/";
    String python = Bench.option(args, "--python", "/usr/bin/python3");
    int runs = Bench.intOption(args, "--runs", 3);
    int tasks = Bench.intOption(args, "--tasks", 20_000);
    int roundTrips = Bench.intOption(args, "--round-trips", 500);
    int warmup = Bench.intOption(args, "--warmup", 50);
    List<String> only =
        Arrays.asList(Bench.option(args, "--only", "securetx,celery,bullmq").split(","));

    List<Peer> peers = new ArrayList<>();
    peers.add(
        new SecuretxPeer(
            peersDir.resolve("celery"),
            python,
            redis + Bench.intOption(args, "--securetx-db", 15),
            Bench.intOption(args, "--securetx-concurrency", 4),
            Bench.intOption(args, "--securetx-prefetch", 64)));
    peers.add(
        new CeleryPeer(
            peersDir.resolve("celery"),
            python,
            redis + Bench.intOption(args, "--celery-db", 13),
            Bench.intOption(args, "--celery-concurrency", 2)));
    peers.add(
        new BullmqPeer(
            peersDir.resolve("bullmq"),
            Bench.option(args, "--node", "node"),
            Bench.option(args, "--npm", "npm"),
            redis + Bench.intOption(args, "--bullmq-db", 14),
            Bench.intOption(args, "--bullmq-concurrency", 50)));
    peers.removeIf(p -> !only.contains(p.name()));

    System.out.printf(
        Locale.ROOT,
        "securetx queue benchmark: %d run(s), no-op tasks, %d round trips after %d warm-up,"
            + " %d cores, Java %s%n",
        runs,
        roundTrips,
        warmup,
        Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.version"));

    Map<String, List<QueueRun>> results = new LinkedHashMap<>();
    Map<String, String> notMeasured = new LinkedHashMap<>();
    for (Peer peer : peers) {
      int peerTasks = Bench.intOption(args, "--tasks-" + peer.name(), tasks);
      QueueWorkload workload = new QueueWorkload(peerTasks, roundTrips, warmup, "bench");
      List<QueueRun> peerRuns = new ArrayList<>();
      try {
        peer.prepare();
        for (int i = 1; i <= runs; i++) {
          QueueRun run = peer.run(workload);
          peerRuns.add(run);
          System.out.printf(Locale.ROOT, "  %-9s run %d  %s%n", peer.name(), i, row(run));
        }
        results.put(peer.name(), peerRuns);
      } catch (UnsupportedOperationException e) {
        notMeasured.put(peer.name(), String.valueOf(e.getMessage()));
        System.out.printf(Locale.ROOT, "  %-9s not measured: %s%n", peer.name(), e.getMessage());
      }
    }

    System.out.println();
    System.out.printf(
        Locale.ROOT,
        "%-9s %-6s %8s %12s %12s %9s %9s%n",
        "peer",
        "run",
        "tasks",
        "enqueue/s",
        "drain/s",
        "p50 ms",
        "p99 ms");
    Map<String, QueueRun> medians = new LinkedHashMap<>();
    for (Map.Entry<String, List<QueueRun>> e : results.entrySet()) {
      List<QueueRun> peerRuns = e.getValue();
      for (int i = 0; i < peerRuns.size(); i++) {
        System.out.printf(
            Locale.ROOT,
            "%-9s %-6s %s%n",
            e.getKey(),
            Integer.toString(i + 1),
            row(peerRuns.get(i)));
      }
      QueueRun median = median(peerRuns);
      medians.put(e.getKey(), median);
      System.out.printf(Locale.ROOT, "%-9s %-6s %s%n", e.getKey(), "median", row(median));
    }
    notMeasured.forEach(
        (name, why) -> System.out.printf(Locale.ROOT, "%-9s not measured: %s%n", name, why));
    System.out.println();
    ratios(medians, "securetx", "celery");
    ratios(medians, "securetx", "bullmq");
  }

  private static String row(QueueRun r) {
    return String.format(
        Locale.ROOT,
        "%8d %12.0f %12.0f %9.2f %9.2f",
        r.tasks(),
        r.enqueuePerSecond(),
        r.drainPerSecond(),
        r.p50Ms(),
        r.p99Ms());
  }

  /** Each figure's median over the runs, taken separately. */
  private static QueueRun median(List<QueueRun> runs) {
    return new QueueRun(
        runs.get(0).tasks(),
        median(runs, QueueRun::enqueuePerSecond),
        median(runs, QueueRun::drainPerSecond),
        median(runs, QueueRun::p50Ms),
        median(runs, QueueRun::p99Ms));
  }

  private static double median(List<QueueRun> runs, ToDoubleFunction<QueueRun> figure) {
    double[] values = runs.stream().mapToDouble(figure).sorted().toArray();
    int n = values.length;
    return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
  }

  private static void ratios(Map<String, QueueRun> medians, String a, String b) {
    @Nullable QueueRun x = medians.get(a);
    @Nullable QueueRun y = medians.get(b);
    if (x == null || y == null) {
      System.out.printf(Locale.ROOT, "ratio %s/%s: n/a (both must be measured)%n", a, b);
      return;
    }
    System.out.printf(
        Locale.ROOT,
        "ratio %s/%s: enqueue %.2f, drain %.2f, p50 %.2f, p99 %.2f (latency: below 1 is faster)%n",
        a,
        b,
        x.enqueuePerSecond() / y.enqueuePerSecond(),
        x.drainPerSecond() / y.drainPerSecond(),
        x.p50Ms() / y.p50Ms(),
        x.p99Ms() / y.p99Ms());
  }

  /** {@code --peers}, else {@code securetx-bench/peers} or {@code peers} under the working dir. */
  private static Path peersDir(String given) {
    List<Path> candidates =
        given.isEmpty()
            ? List.of(Path.of("securetx-bench", "peers"), Path.of("peers"))
            : List.of(Path.of(given));
    for (Path candidate : candidates) {
      if (Files.isRegularFile(candidate.resolve("celery").resolve("celery_bench.py"))) {
        return candidate.toAbsolutePath();
      }
    }
    throw new IllegalArgumentException(
        "peer scripts not found in "
            + candidates
            + "; run from the repository root or pass --peers");
  }
}
