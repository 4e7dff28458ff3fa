package io.securetx.task.interop;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A running Python Celery worker. {@link #close()} stops it by its PID the way a supervisor does
 * (SIGTERM, Celery's warm shutdown, then SIGKILL after {@link #STOP_TIMEOUT}); its log stays in
 * {@code target/celery-peer/}.
 */
final class PythonWorker implements AutoCloseable {
  /** Measured here: about 0.7 s for the solo pool and 1.7 s for prefork; the rest is headroom. */
  static final Duration READY_TIMEOUT = Duration.ofSeconds(30);

  /** Warm shutdown waits for running tasks, so this bounds how long a test's task may still run. */
  static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);

  /** Celery's execution pools that the tests use. */
  enum Pool {
    /** Tasks run in the main process, one at a time; the ack is deferred to the next loop tick. */
    SOLO("solo"),
    /** Celery's default: forked child processes; the ack comes before the task runs. */
    PREFORK("prefork");

    private final String option;

    Pool(String option) {
      this.option = option;
    }

    String option() {
      return option;
    }
  }

  private final Process process;
  private final String node;
  private final Path log;
  private final Duration startupTime;

  private PythonWorker(Process process, String node, Path log, Duration startupTime) {
    this.process = process;
    this.node = node;
    this.log = log;
    this.startupTime = startupTime;
  }

  /**
   * Polls the log until Celery's {@code "<node>@<host> ready."} line appears.
   *
   * @throws IllegalStateException if the worker exits first or is not ready in time; the worker is
   *     killed and the message holds its log
   */
  static PythonWorker awaitReady(Process process, String node, Path log) {
    long started = System.nanoTime();
    Pattern ready = Pattern.compile("(?m)\\] " + Pattern.quote(node) + "@\\S+ ready\\.$");
    try {
      await("Celery worker " + node + " ready")
          .atMost(READY_TIMEOUT)
          .pollDelay(Duration.ofMillis(20))
          .pollInterval(Duration.ofMillis(50))
          .until(
              () -> {
                if (ready.matcher(read(log)).find()) {
                  return true;
                }
                if (!process.isAlive()) {
                  throw new IllegalStateException(
                      "Celery worker "
                          + node
                          + " exited with "
                          + process.exitValue()
                          + " before it was ready; log "
                          + log
                          + ":\n"
                          + read(log));
                }
                return false;
              });
    } catch (ConditionTimeoutException e) {
      PythonWorker worker = new PythonWorker(process, node, log, Duration.ZERO);
      worker.kill();
      throw new IllegalStateException(
          "Celery worker " + node + " not ready after " + READY_TIMEOUT + "; log:\n" + read(log),
          e);
    } catch (IllegalStateException e) {
      new PythonWorker(process, node, log, Duration.ZERO).kill();
      throw e;
    }
    return new PythonWorker(process, node, log, Duration.ofNanos(System.nanoTime() - started));
  }

  /** Returns the worker's node name without the host, as given to {@code -n}. */
  String node() {
    return node;
  }

  /** Returns the PID of the worker's main process. */
  long pid() {
    return process.pid();
  }

  /** Returns how long the worker took from start to its "ready." line. */
  Duration startupTime() {
    return startupTime;
  }

  /** Returns the file that holds the worker's stdout and stderr. */
  Path logFile() {
    return log;
  }

  /** Returns everything the worker has logged so far. */
  String log() {
    return read(log);
  }

  /** Returns whether the main process is still running. */
  boolean isAlive() {
    return process.isAlive();
  }

  /**
   * Stops the worker like a supervisor does: SIGTERM to its PID (Celery's warm shutdown, which
   * finishes running tasks and restores prefetched ones), then SIGKILL to it and its pool children
   * if it has not exited after {@link #STOP_TIMEOUT}.
   *
   * @return true if it stopped by itself, false if it had to be killed
   */
  boolean stop() {
    if (!process.isAlive()) {
      return true;
    }
    List<ProcessHandle> children = process.descendants().toList();
    process.toHandle().destroy();
    if (waitFor(process.toHandle(), STOP_TIMEOUT)) {
      children.forEach(ProcessHandle::destroyForcibly);
      return true;
    }
    children.forEach(ProcessHandle::destroyForcibly);
    process.toHandle().destroyForcibly();
    waitFor(process.toHandle(), Duration.ofSeconds(5));
    return false;
  }

  /**
   * Kills the worker and its pool children at once (SIGKILL), like a crash: nothing is restored,
   * whatever it held stays in Redis's {@code unacked} hash.
   */
  void kill() {
    List<ProcessHandle> all = process.descendants().toList();
    process.toHandle().destroyForcibly();
    all.forEach(ProcessHandle::destroyForcibly);
    waitFor(process.toHandle(), Duration.ofSeconds(5));
  }

  @Override
  public void close() {
    stop();
  }

  @Override
  public String toString() {
    return "PythonWorker[" + node + ", pid " + process.pid() + ", log " + log + "]";
  }

  private static boolean waitFor(ProcessHandle handle, Duration timeout) {
    try {
      handle.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (java.util.concurrent.TimeoutException e) {
      return false;
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for " + handle.pid(), e);
    }
  }

  private static String read(Path log) {
    try {
      return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
