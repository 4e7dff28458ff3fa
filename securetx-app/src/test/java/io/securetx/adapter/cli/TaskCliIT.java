package io.securetx.adapter.cli;

import static io.securetx.adapter.cli.CliRun.expect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisPooled;

/**
 * The task commands end to end on the local Redis: {@code securetx worker} in its own JVM (so its
 * signal handling is the real one), {@code enqueue}, {@code result} and {@code tasks} in this one.
 */
@Timeout(180)
class TaskCliIT {

  private static final int DB = 7;
  private static final String URL = "redis://127.0.0.1:6379/" + DB;
  private static final JsonMapper JSON = new JsonMapper();

  @TempDir Path dataDir;
  private JedisPooled redis;
  private Process worker;

  @BeforeEach
  void flush() {
    redis =
        new JedisPooled(
            new HostAndPort("127.0.0.1", 6379),
            DefaultJedisClientConfig.builder().database(DB).build());
    redis.flushDB();
  }

  @AfterEach
  void stop() {
    if (worker != null) {
      worker.destroyForcibly();
    }
    redis.close();
  }

  private Map<String, String> env(String brokerUrl) {
    Map<String, String> env = new HashMap<>();
    env.put("SECURETX_DATA_DIR", dataDir.toString());
    env.put("CELERY_BROKER_URL", brokerUrl);
    env.put("CELERY_RESULT_BACKEND", brokerUrl);
    return env;
  }

  private CliRun run(String... args) {
    return CliRun.run(env(URL), args);
  }

  private Process startWorker(String... extra) throws IOException {
    return WorkerProcess.start(env(URL), dataDir.resolve("worker.log"), extra);
  }

  @Test
  void enqueueWorkerResultStats_endToEnd() throws Exception {
    String id =
        expect(0, run("enqueue", "celery.accumulate", "--args", "[1, 2]", "--json"))
            .json()
            .get("id")
            .asText();
    JsonNode stats = expect(0, run("tasks", "stats", "--json")).json();
    assertThat(stats.get("queues").get("celery").asLong()).isEqualTo(1);
    assertThat(stats.get("workers")).isEmpty();

    worker = startWorker();
    JsonNode result = expect(0, run("result", id, "--wait", "20", "--json")).json();
    assertThat(result.get("state").asText()).isEqualTo("SUCCESS");
    assertThat(result.get("result").toString()).isEqualTo("[1,2]");

    JsonNode picked =
        expect(
                0,
                run(
                    "enqueue",
                    "celery.accumulate",
                    "--args",
                    "[\"a\", \"b\"]",
                    "--kwargs",
                    "{\"index\": 1}",
                    "--priority",
                    "9",
                    "--wait",
                    "20",
                    "--json"))
            .json();
    assertThat(picked.get("result").asText()).isEqualTo("b");

    CliRun unknown = expect(ExitCodes.TASK_FAILED, run("enqueue", "no.such.task", "--wait", "20"));
    assertThat(unknown.out()).contains("FAILURE NotRegistered");

    // The worker stores a result before it acknowledges the message: in flight drops just after.
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              JsonNode live = expect(0, run("tasks", "stats", "--json")).json();
              assertThat(live.get("workers")).hasSize(1);
              assertThat(live.get("in_flight").asLong()).isZero();
            });

    worker.destroy();
    assertThat(worker.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(worker.exitValue()).isZero();
    assertThat(expect(0, run("tasks", "stats", "--json")).json().get("workers")).isEmpty();
  }

  @Test
  void countdown_waitsThenRuns() throws Exception {
    worker = startWorker();
    long start = System.nanoTime();
    JsonNode done =
        expect(
                0,
                run(
                    "enqueue",
                    "celery.accumulate",
                    "--args",
                    "[7]",
                    "--countdown",
                    "1.5",
                    "--wait",
                    "20",
                    "--json"))
            .json();
    assertThat(done.get("state").asText()).isEqualTo("SUCCESS");
    assertThat(System.nanoTime() - start).isGreaterThan(TimeUnit.MILLISECONDS.toNanos(1_500));
  }

  @Test
  void deadLetters_listRequeuePurge() throws Exception {
    worker = startWorker();
    redis.lpush("celery", "{this is not a celery message");
    await().atMost(Duration.ofSeconds(20)).until(() -> redis.llen("securetx.dead") == 1);
    JsonNode dead = expect(0, run("tasks", "dead", "list", "--json")).json();
    assertThat(dead).hasSize(1);
    assertThat(dead.get(0).get("reason").asText()).startsWith("undecodable:");
    assertThat(dead.get(0).get("payload").asText()).isEqualTo("{this is not a celery message");
    String deadId = dead.get(0).get("id").asText();

    worker.destroy();
    assertThat(worker.waitFor(30, TimeUnit.SECONDS)).isTrue();
    worker = null;
    assertThat(expect(0, run("tasks", "dead", "requeue", deadId)).out())
        .contains("requeued " + deadId);
    assertThat(redis.lrange("celery", 0, -1)).containsExactly("{this is not a celery message");
    expect(ExitCodes.NOT_FOUND, run("tasks", "dead", "requeue", deadId));

    redis.del("celery");
    worker = startWorker();
    redis.lpush("celery", "{again not a message");
    await().atMost(Duration.ofSeconds(20)).until(() -> redis.llen("securetx.dead") == 1);
    assertThat(expect(0, run("tasks", "dead", "purge")).out()).startsWith("purged 1 dead letter");
    assertThat(expect(0, run("tasks", "dead", "list", "--json")).json()).isEmpty();
  }

  @Test
  void beat_sendsTheCurrentSlotOnce() throws Exception {
    // A daily slot half an hour ago: the one slot inside the worker's hour of catching up, so a
    // minute turning during the test adds no second one.
    ZonedDateTime slot = ZonedDateTime.now(ZoneOffset.UTC).minusMinutes(30);
    String cron = slot.getMinute() + " " + slot.getHour() + " * * *";
    worker = startWorker("--beat", "tick|" + cron + "|celery.accumulate|{}");
    await().atMost(Duration.ofSeconds(20)).until(() -> !redis.keys("celery-task-meta-*").isEmpty());
    assertThat(redis.keys("securetx.claim.beat.tick.*")).hasSize(1);
    String stored = redis.get(redis.keys("celery-task-meta-*").iterator().next());
    assertThat(JSON.readTree(stored).get("result").toString()).isEqualTo("[]");
  }

  @Test
  void badInput_usageErrorsAndNothingQueued() {
    expect(ExitCodes.USAGE, run("worker", "--beat", "only-a-name"));
    expect(ExitCodes.USAGE, run("worker", "--beat", "x|61 * * * *|celery.accumulate"));
    expect(ExitCodes.USAGE, run("worker", "--concurrency", "0"));
    expect(ExitCodes.USAGE, run("enqueue", "celery.accumulate", "--kwargs", "[1]"));
    expect(ExitCodes.USAGE, run("enqueue", "celery.accumulate", "--kwargs", "{nope"));
    expect(ExitCodes.USAGE, run("enqueue", "celery.accumulate", "--args", "{}"));
    expect(ExitCodes.USAGE, run("enqueue", "celery.accumulate", "--priority", "300"));
    expect(ExitCodes.USAGE, run("enqueue", "celery.accumulate", "--countdown", "-1"));
    expect(ExitCodes.USAGE, run("enqueue", "celery.accumulate", "--countdown", "NaN"));
    expect(ExitCodes.USAGE, run("enqueue", " "));
    assertThat(redis.keys("*")).isEmpty();
  }

  @Test
  void brokerUrl_invalidOrUnreachable_clearErrorWithoutPassword() {
    CliRun invalid =
        CliRun.run(env("redis://:hunter2secret@127.0.0.1:notaport/0"), "tasks", "stats");
    expect(ExitCodes.CONFIG, invalid);
    assertThat(invalid.out() + invalid.err())
        .contains("CELERY_BROKER_URL")
        .doesNotContain("hunter2secret");

    CliRun unreachable = CliRun.run(env("redis://:hunter2secret@127.0.0.1:1/0"), "tasks", "stats");
    expect(ExitCodes.UNAVAILABLE, unreachable);
    assertThat(unreachable.out() + unreachable.err()).doesNotContain("hunter2secret");
  }

  @Test
  void result_unknownId_isPending() {
    CliRun run = expect(0, run("result", "6b1f0a4e-0000-4000-8000-000000000000"));
    assertThat(run.out().strip()).isEqualTo("PENDING");
    expect(
        ExitCodes.TIMEOUT, run("result", "6b1f0a4e-0000-4000-8000-000000000000", "--wait", "0.5"));
  }
}
