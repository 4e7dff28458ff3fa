package io.securetx.task.interop;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.node.NullNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Runs {@code celery_client.py}, the stock Celery producer and result client, and parses the one
 * JSON line it prints. Each call is a new Python process (about 0.4 s).
 */
final class PythonClient {
  private static final ObjectMapper JSON =
      new ObjectMapper()
          .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
          .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);

  /** Added to every wait so the process has time to start and answer after its own timeout. */
  private static final Duration PROCESS_SLACK = Duration.ofSeconds(30);

  private final CeleryPeer peer;
  private final Map<String, String> env;

  PythonClient(CeleryPeer peer, Map<String, String> env) {
    this.peer = peer;
    this.env = Map.copyOf(env);
  }

  /**
   * Sends a task with {@code app.send_task} and, if {@link Send#await(Duration)} was set, waits for
   * its result with {@code AsyncResult.get(timeout, propagate=False)}.
   */
  TaskOutcome send(Send send) {
    List<String> args = new ArrayList<>(List.of("send", send.name));
    send.addOptions(args);
    args.addAll(List.of("--wait", seconds(send.wait)));
    if (send.taskId != null) {
      args.addAll(List.of("--task-id", send.taskId));
    }
    return call(args, send.wait, TaskOutcome.class);
  }

  /** Reads the state of an existing task, waiting up to {@code wait} for it to be ready. */
  TaskOutcome result(String taskId, Duration wait) {
    return call(List.of("result", taskId, "--wait", seconds(wait)), wait, TaskOutcome.class);
  }

  /** Sends {@code count} copies of a task over one connection and returns their ids. */
  List<String> bulk(Send send, int count) {
    List<String> args =
        new ArrayList<>(List.of("bulk", send.name, "--count", Integer.toString(count)));
    send.addOptions(args);
    return call(args, Duration.ZERO, Bulk.class).ids();
  }

  /** Returns how often {@code record_run} ran per task id (hash {@code peer.runs}). */
  Map<String, Integer> runs() {
    return call(List.of("runs"), Duration.ZERO, Runs.class).runs();
  }

  /** Empties the broker's Redis database (FLUSHDB on that database only, never FLUSHALL). */
  void flushDb() {
    call(List.of("flushdb"), Duration.ZERO, JsonNode.class);
  }

  private <T> T call(List<String> args, Duration wait, Class<T> type) {
    CeleryPeer.ProcessResult result = peer.runClient(args, env, wait.plus(PROCESS_SLACK));
    if (result.exitCode() != 0) {
      throw new IllegalStateException(
          "celery_client.py "
              + args
              + " exited with "
              + result.exitCode()
              + "\nstdout:\n"
              + result.stdout()
              + "\nstderr:\n"
              + result.stderr());
    }
    String line = result.stdout().strip();
    try {
      return JSON.readValue(line, type);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(
          "celery_client.py " + args + " printed no single JSON line:\n" + result.stdout(), e);
    }
  }

  private static String seconds(Duration duration) {
    return Double.toString(duration.toMillis() / 1000.0);
  }

  private static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not JSON-serialisable: " + value, e);
    }
  }

  /**
   * What {@code send} and {@code result} print.
   *
   * @param state Celery's state name; {@code PENDING} also for an unknown or expired id
   * @param result the task's return value; a JSON null ({@link NullNode}, never Java null) when
   *     there is none, also for failures
   * @param exception the failure as Python sees it, or null
   * @param timedOut whether {@code AsyncResult.get} gave up waiting
   */
  record TaskOutcome(
      String id,
      String state,
      JsonNode result,
      @Nullable PythonException exception,
      boolean timedOut) {
    TaskOutcome {
      result = result == null ? NullNode.getInstance() : result;
    }
  }

  /** A task exception as the Python client sees it: class name and {@code str(exc)}. */
  record PythonException(String type, String message) {}

  private record Bulk(List<String> ids) {}

  private record Runs(Map<String, Integer> runs) {}

  /** A task to send: {@code Send.task("name").kwargs(...).countdown(...).await(...)}. */
  static final class Send {
    private final String name;
    private List<?> args = List.of();
    private Map<String, ?> kwargs = Map.of();
    private @Nullable Duration countdown;
    private @Nullable Integer priority;
    private @Nullable Duration expires;
    private @Nullable String queue;
    private @Nullable String taskId;
    private Duration wait = Duration.ZERO;

    private Send(String name) {
      this.name = name;
    }

    static Send task(String name) {
      return new Send(name);
    }

    Send args(Object... values) {
      this.args = List.of(values);
      return this;
    }

    Send kwargs(Map<String, ?> values) {
      this.kwargs = new LinkedHashMap<>(values);
      return this;
    }

    Send countdown(Duration value) {
      this.countdown = value;
      return this;
    }

    Send priority(int value) {
      this.priority = value;
      return this;
    }

    Send expires(Duration value) {
      this.expires = value;
      return this;
    }

    Send queue(String value) {
      this.queue = value;
      return this;
    }

    Send taskId(String value) {
      this.taskId = value;
      return this;
    }

    /** Waits up to {@code value} for the result; zero (the default) returns right after sending. */
    Send await(Duration value) {
      this.wait = value;
      return this;
    }

    private void addOptions(List<String> out) {
      out.addAll(List.of("--args", json(args), "--kwargs", json(kwargs)));
      if (countdown != null) {
        out.addAll(List.of("--countdown", seconds(countdown)));
      }
      if (priority != null) {
        out.addAll(List.of("--priority", priority.toString()));
      }
      if (expires != null) {
        out.addAll(List.of("--expires", seconds(expires)));
      }
      if (queue != null) {
        out.addAll(List.of("--queue", queue));
      }
    }
  }
}
