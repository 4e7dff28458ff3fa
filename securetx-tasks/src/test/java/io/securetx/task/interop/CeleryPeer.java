package io.securetx.task.interop;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.abort;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The real Python Celery 5.2 peer (Debian's {@code python3-celery}) for interop tests: starts
 * workers of {@code src/test/python/celery_peer.py} and runs {@code celery_client.py}.
 *
 * <p>{@link #require()} fails the test when Python or the packages are missing, so CI can never go
 * green without having run the interop tests. Only on a developer machine ({@code CI} unset) does
 * it skip instead. Everything the peer prints goes to files under {@code target/celery-peer/},
 * never to a pipe, so a chatty process cannot block on a full pipe and the logs survive for
 * debugging.
 *
 * <p>Each test class should use a Redis database of its own ({@link #redisUrl(int)}) and flush it
 * first ({@link PythonClient#flushDb()}).
 */
final class CeleryPeer {
  static final Path PYTHON = Path.of("/usr/bin/python3");
  static final String REDIS_HOST = "127.0.0.1:6379";
  private static final Duration CHECK_TIMEOUT = Duration.ofSeconds(30);
  private static final AtomicInteger WORKER_SEQ = new AtomicInteger();
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

  private final Path pythonDir;
  private final Path logDir;
  private final String versions;

  private CeleryPeer(Path pythonDir, Path logDir, String versions) {
    this.pythonDir = pythonDir;
    this.logDir = logDir;
    this.versions = versions;
  }

  /**
   * Finds {@code /usr/bin/python3} and checks that {@code import celery, redis} works.
   *
   * @throws org.opentest4j.AssertionFailedError when they are missing and {@code CI} is set, or
   *     when they are present but broken
   * @throws org.opentest4j.TestAbortedException (a skip) when they are missing and {@code CI} is
   *     unset
   */
  static CeleryPeer require() {
    Path moduleDir = Path.of(System.getProperty("basedir", System.getProperty("user.dir")));
    Path pythonDir = moduleDir.resolve("src/test/python").toAbsolutePath();
    if (!Files.isRegularFile(pythonDir.resolve("celery_peer.py"))) {
      return fail(
          "no celery_peer.py in " + pythonDir + "; run the test from module securetx-tasks");
    }
    Path logDir = moduleDir.resolve("target/celery-peer").toAbsolutePath();
    try {
      Files.createDirectories(logDir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String missing = null;
    String version = "";
    if (!Files.isExecutable(PYTHON)) {
      missing = PYTHON + " is not there";
    } else {
      ProcessResult check =
          run(
              List.of(
                  PYTHON.toString(),
                  "-c",
                  "import celery, redis; print(celery.__version__, redis.__version__)"),
              pythonDir,
              Map.of(),
              logDir,
              "check",
              CHECK_TIMEOUT);
      if (check.exitCode() != 0) {
        missing = "`import celery, redis` failed:\n" + check.stderr();
      } else {
        version = check.stdout().strip();
      }
    }
    if (missing != null) {
      String message =
          "The Python Celery peer is missing ("
              + missing
              + "). Install it with `bash .ci/run` or, as root, `apt-get update && apt-get install"
              + " -y python3-celery python3-redis`.";
      if (System.getenv("CI") == null) {
        // A skip in @BeforeAll shows as "Tests run: 0" in Maven's summary; say it out loud.
        String skip = message + " Skipped because CI is unset; in CI this fails.";
        System.err.println("[celery-peer] SKIPPED: " + skip);
        abort(skip);
      }
      return fail(message);
    }
    return new CeleryPeer(pythonDir, logDir, version);
  }

  /** Returns a Redis URL for database {@code db} of the test Redis. */
  static String redisUrl(int db) {
    return "redis://" + REDIS_HOST + "/" + db;
  }

  /** Returns the Celery and redis-py versions, as {@code "5.2.6 4.3.4"}. */
  String versions() {
    return versions;
  }

  /** Returns where worker and client logs go. */
  Path logDir() {
    return logDir;
  }

  /**
   * Starts a prefork worker (Celery's default pool) with {@code concurrency} processes and waits
   * until it logs that it is ready.
   */
  PythonWorker startWorker(
      String brokerUrl, String backendUrl, List<String> queues, int concurrency) {
    return startWorker(brokerUrl, backendUrl, queues, concurrency, PythonWorker.Pool.PREFORK);
  }

  /**
   * Starts a worker with the given pool and waits until it logs that it is ready.
   *
   * @throws IllegalArgumentException if no queue is given or concurrency is below 1, or above 1
   *     with the solo pool
   * @throws IllegalStateException if the worker exits or is not ready within {@link
   *     PythonWorker#READY_TIMEOUT}
   */
  PythonWorker startWorker(
      String brokerUrl,
      String backendUrl,
      List<String> queues,
      int concurrency,
      PythonWorker.Pool pool) {
    if (queues.isEmpty()) {
      throw new IllegalArgumentException("a worker needs at least one queue");
    }
    if (concurrency < 1 || (pool == PythonWorker.Pool.SOLO && concurrency != 1)) {
      throw new IllegalArgumentException(
          "concurrency " + concurrency + " is not possible with pool " + pool);
    }
    String node = "py" + WORKER_SEQ.incrementAndGet() + "-" + ProcessHandle.current().pid();
    Path log = logDir.resolve("worker-" + node + "-" + STAMP.format(Instant.now()) + ".log");
    List<String> command = new ArrayList<>();
    command.add(PYTHON.toString());
    command.addAll(
        List.of(
            "-m",
            "celery",
            "-A",
            "celery_peer",
            "worker",
            "--pool=" + pool.option(),
            "-c",
            Integer.toString(concurrency),
            "-Q",
            String.join(",", queues),
            "-n",
            node + "@%h",
            "--loglevel=info",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat"));
    ProcessBuilder builder = processBuilder(command, pythonDir, env(brokerUrl, backendUrl));
    builder.redirectErrorStream(true).redirectOutput(log.toFile());
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException("could not start " + command, e);
    }
    return PythonWorker.awaitReady(process, node, log);
  }

  /** Returns a client for {@code celery_client.py} against these broker and backend URLs. */
  PythonClient client(String brokerUrl, String backendUrl) {
    return new PythonClient(this, env(brokerUrl, backendUrl));
  }

  /** Runs {@code celery_client.py} with the given arguments and environment. */
  ProcessResult runClient(List<String> args, Map<String, String> env, Duration timeout) {
    List<String> command = new ArrayList<>();
    command.add(PYTHON.toString());
    command.add("celery_client.py");
    command.addAll(args);
    return run(command, pythonDir, env, logDir, "client", timeout);
  }

  private static Map<String, String> env(String brokerUrl, String backendUrl) {
    return Map.of("CELERY_BROKER_URL", brokerUrl, "CELERY_RESULT_BACKEND", backendUrl);
  }

  private static ProcessBuilder processBuilder(
      List<String> command, Path dir, Map<String, String> env) {
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
    builder.environment().putAll(env);
    // Log lines must reach the file at once (readiness is read from it), and no __pycache__ may
    // appear in the source tree.
    builder.environment().put("PYTHONUNBUFFERED", "1");
    builder.environment().put("PYTHONDONTWRITEBYTECODE", "1");
    builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    return builder;
  }

  /**
   * Runs a short-lived command with stdout and stderr going to files (no pipe can fill up), kills
   * it after {@code timeout}, and returns what it printed.
   */
  private static ProcessResult run(
      List<String> command,
      Path dir,
      Map<String, String> env,
      Path logDir,
      String prefix,
      Duration timeout) {
    Path out = null;
    Path err = null;
    try {
      out = Files.createTempFile(logDir, prefix + "-", ".out");
      err = Files.createTempFile(logDir, prefix + "-", ".err");
      Process process =
          processBuilder(command, dir, env)
              .redirectOutput(out.toFile())
              .redirectError(err.toFile())
              .start();
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        throw new IllegalStateException(
            "timed out after "
                + timeout
                + ": "
                + command
                + "\nstderr:\n"
                + Files.readString(err, StandardCharsets.UTF_8));
      }
      ProcessResult result =
          new ProcessResult(
              process.exitValue(),
              Files.readString(out, StandardCharsets.UTF_8),
              Files.readString(err, StandardCharsets.UTF_8));
      if (result.exitCode() == 0) {
        Files.delete(out);
        Files.delete(err);
      }
      return result;
    } catch (IOException e) {
      throw new UncheckedIOException("could not run " + command, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + command, e);
    }
  }

  /** What a finished command printed. */
  record ProcessResult(int exitCode, String stdout, String stderr) {}
}
