package io.securetx.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The securetx Java worker, measured exactly like Celery: the same Python client enqueues the same
 * {@code celery.accumulate} messages and reads the drain rate from the {@code date_done} stamps the
 * worker stores. The worker is the product's own {@code securetx worker} command in a child JVM
 * (this jar holds the application), so JIT warm-up falls inside the measurement, as it would in
 * production.
 */
final class SecuretxPeer extends CeleryClientPeer {

  private final int concurrency;
  private final int prefetchMultiplier;

  SecuretxPeer(
      Path clientDir, String python, String redisUrl, int concurrency, int prefetchMultiplier) {
    super("securetx", clientDir, python, redisUrl);
    this.concurrency = concurrency;
    this.prefetchMultiplier = prefetchMultiplier;
  }

  @Override
  RunningWorker startWorker(String queue) throws IOException {
    Path dataDir = Files.createTempDirectory("securetx-bench-worker");
    Map<String, String> env = new HashMap<>(environment());
    env.put("CELERY_BROKER_URL", redisUrl());
    env.put("CELERY_RESULT_BACKEND", redisUrl());
    env.put("SECURETX_DATA_DIR", dataDir.toString());
    return ChildProcess.start(
        "securetx worker",
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp",
            absoluteClassPath(),
            "io.securetx.app.Main",
            "worker",
            "--concurrency",
            Integer.toString(concurrency),
            "--prefetch-multiplier",
            Integer.toString(prefetchMultiplier),
            "--queues",
            queue,
            "--loglevel",
            "warning"),
        clientDir(),
        env);
  }

  /** The child starts in the peer's directory, so relative class path entries must be resolved. */
  static String absoluteClassPath() {
    return java.util.Arrays.stream(
            System.getProperty("java.class.path").split(java.io.File.pathSeparator))
        .map(entry -> Path.of(entry).toAbsolutePath().toString())
        .collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));
  }
}
