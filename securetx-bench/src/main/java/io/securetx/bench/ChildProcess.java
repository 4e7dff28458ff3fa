package io.securetx.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * A peer's script or worker run as a child process: both output streams are drained on their own
 * threads (so a chatty child never blocks on a full pipe), every wait is bounded, and stopping
 * signals only this process and its own descendants, by PID.
 *
 * <p>The peer scripts print one JSON object per line on stdout; {@link #awaitJson} returns the last
 * one.
 */
final class ChildProcess implements RunningWorker {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int TAIL_LINES = 200;
  private static final Duration GRACE = Duration.ofSeconds(20);

  private final String label;
  private final Process process;
  private final Deque<String> stdoutTail = new ArrayDeque<>();
  private final Deque<String> stderrTail = new ArrayDeque<>();
  private final List<JsonNode> jsonLines = new ArrayList<>();
  private final Thread stdoutPump;
  private final Thread stderrPump;

  private ChildProcess(String label, Process process) {
    this.label = label;
    this.process = process;
    this.stdoutPump = pump(process.getInputStream(), true);
    this.stderrPump = pump(process.getErrorStream(), false);
  }

  /**
   * Starts {@code command} in {@code dir} with {@code env} added to this process's environment.
   *
   * @throws IOException if the command cannot be started
   */
  static ChildProcess start(String label, List<String> command, Path dir, Map<String, String> env)
      throws IOException {
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
    builder.environment().putAll(env);
    builder.redirectInput(ProcessBuilder.Redirect.PIPE);
    Process process = builder.start();
    process.getOutputStream().close();
    return new ChildProcess(label + " (pid " + process.pid() + ")", process);
  }

  /**
   * Runs {@code command} to completion and returns its last JSON line.
   *
   * @throws IOException if it cannot start
   * @throws InterruptedException if interrupted while waiting
   * @throws IllegalStateException if it fails, times out or prints no JSON
   */
  static JsonNode run(
      String label, List<String> command, Path dir, Map<String, String> env, Duration timeout)
      throws IOException, InterruptedException {
    try (ChildProcess child = start(label, command, dir, env)) {
      return child.awaitJson(timeout, null);
    }
  }

  /**
   * Waits for the child to exit, at most {@code timeout}, and returns its last JSON line. While it
   * waits, {@code watched} (a worker the child depends on) is checked, so a dead worker fails the
   * wait at once instead of at the timeout.
   *
   * @throws InterruptedException if interrupted while waiting
   * @throws IllegalStateException if the child exits non-zero, times out or prints no JSON, or if
   *     {@code watched} dies
   */
  JsonNode awaitJson(Duration timeout, @Nullable RunningWorker watched)
      throws InterruptedException {
    awaitExit(timeout, watched);
    synchronized (this) {
      if (jsonLines.isEmpty()) {
        throw failure("printed no JSON result");
      }
      return jsonLines.get(jsonLines.size() - 1);
    }
  }

  /**
   * Waits for the child to exit with status 0, at most {@code timeout}, checking {@code watched}
   * meanwhile.
   *
   * @throws InterruptedException if interrupted while waiting
   * @throws IllegalStateException if the child exits non-zero or times out, or if {@code watched}
   *     dies
   */
  void awaitExit(Duration timeout, @Nullable RunningWorker watched) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!process.waitFor(200, TimeUnit.MILLISECONDS)) {
      if (watched != null) {
        watched.checkAlive();
      }
      if (System.nanoTime() > deadline) {
        stopNow();
        throw failure("timed out after " + timeout.toSeconds() + " s");
      }
    }
    stdoutPump.join(GRACE.toMillis());
    stderrPump.join(GRACE.toMillis());
    if (process.exitValue() != 0) {
      throw failure("exited with status " + process.exitValue());
    }
  }

  /** The child's process id. */
  long pid() {
    return process.pid();
  }

  /**
   * Waits until the child prints a line (on either stream) that starts with {@code prefix}, at most
   * {@code timeout}, and returns the rest of that line.
   *
   * @throws InterruptedException if interrupted while waiting
   * @throws IllegalStateException if the child dies or the time runs out first
   */
  String awaitLine(String prefix, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      synchronized (this) {
        for (Deque<String> tail : List.of(stdoutTail, stderrTail)) {
          for (String line : tail) {
            if (line.startsWith(prefix)) {
              return line.substring(prefix.length());
            }
          }
        }
      }
      checkAlive();
      if (System.nanoTime() > deadline) {
        throw failure(
            "printed no line starting with '" + prefix + "' in " + timeout.toSeconds() + " s");
      }
      Thread.sleep(50);
    }
  }

  @Override
  public void checkAlive() {
    if (!process.isAlive()) {
      throw failure("died with status " + process.exitValue());
    }
  }

  /**
   * Asks the child to stop (SIGTERM, so a worker shuts down cleanly), then kills it and its own
   * descendants if it is still there after a grace period.
   */
  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroy();
      if (!process.waitFor(GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
        System.err.println(failure("ignored SIGTERM for " + GRACE.toSeconds() + " s").getMessage());
      }
    }
    stopNow();
  }

  /** Kills what is left: the descendants first (a prefork pool's children), then the child. */
  private void stopNow() throws InterruptedException {
    List<ProcessHandle> descendants = process.descendants().toList();
    for (ProcessHandle d : descendants) {
      d.destroyForcibly();
    }
    process.destroyForcibly();
    process.waitFor(GRACE.toMillis(), TimeUnit.MILLISECONDS);
  }

  private IllegalStateException failure(String what) {
    StringBuilder message = new StringBuilder(label).append(' ').append(what);
    synchronized (this) {
      message.append("\n  --- stdout (last lines) ---");
      stdoutTail.forEach(line -> message.append("\n  ").append(line));
      message.append("\n  --- stderr (last lines) ---");
      stderrTail.forEach(line -> message.append("\n  ").append(line));
    }
    return new IllegalStateException(message.toString());
  }

  private Thread pump(InputStream stream, boolean stdout) {
    Thread thread =
        new Thread(
            () -> {
              try (BufferedReader reader =
                  new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                  accept(line, stdout);
                }
              } catch (IOException e) {
                accept("[output lost: " + e + "]", false);
              }
            },
            "child-" + (stdout ? "stdout" : "stderr"));
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  private synchronized void accept(String line, boolean stdout) {
    Deque<String> tail = stdout ? stdoutTail : stderrTail;
    if (tail.size() == TAIL_LINES) {
      tail.removeFirst();
    }
    tail.addLast(line);
    if (stdout && line.startsWith("{")) {
      try {
        jsonLines.add(JSON.readTree(line));
      } catch (IOException e) {
        tail.addLast("[not JSON: " + e.getMessage() + "]");
      }
    }
  }
}
