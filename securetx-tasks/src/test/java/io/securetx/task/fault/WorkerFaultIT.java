package io.securetx.task.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.securetx.task.broker.BrokerStats;
import io.securetx.task.client.TaskClient;
import io.securetx.task.redis.RedisBroker;
import io.securetx.task.redis.RedisResultBackend;
import io.securetx.task.redis.RedisUrl;
import io.securetx.task.wire.CeleryCodec;
import io.securetx.task.wire.Envelope;
import io.securetx.task.wire.ResultMeta;
import io.securetx.task.wire.TaskMessage;
import io.securetx.task.wire.TaskState;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisPooled;

/**
 * The worker in its own JVM, killed and stopped while tasks flow on the real Redis: nothing is
 * lost, and only tasks running at a {@code kill -9} may run twice.
 */
@Timeout(600)
class WorkerFaultIT {

  private static final int DB = 6;
  private static final String URL = "redis://127.0.0.1:6379/" + DB;
  private static final Duration HEARTBEAT_TTL = Duration.ofSeconds(3);
  private static final Path LOGS = Path.of("target", "fault-workers");

  private final Clock clock = Clock.systemUTC();
  private final CeleryCodec codec = CeleryCodec.create();
  private final List<Process> processes = new ArrayList<>();
  private JedisPooled redis;
  private RedisBroker broker;
  private RedisResultBackend backend;
  private TaskClient client;

  private String testName = "worker";

  @BeforeEach
  void connect(org.junit.jupiter.api.TestInfo info) throws IOException {
    testName = info.getTestMethod().map(java.lang.reflect.Method::getName).orElse("worker");
    Files.createDirectories(LOGS);
    redis =
        new JedisPooled(
            new HostAndPort("127.0.0.1", 6379),
            DefaultJedisClientConfig.builder().database(DB).build());
    redis.flushDB();
    broker = RedisBroker.connect(RedisUrl.parse(URL));
    backend = RedisResultBackend.connect(RedisUrl.parse(URL));
    client = new TaskClient(broker, backend, clock);
  }

  @AfterEach
  void cleanUp() {
    for (Process p : processes) {
      p.destroyForcibly();
    }
    backend.close();
    broker.close();
    redis.close();
  }

  // ------------------------------------------------------------------ kill -9

  @Test
  void killNine_atRandomMomentsWhile10000TasksFlow_everyTaskCompletes() throws Exception {
    List<String> ids = sendRecordRuns(10_000, 2);
    SecureRandom random = new SecureRandom();
    int kills = 0;
    Process worker = startWorker(4);
    for (int round = 0; round < 4 && !allDone(ids); round++) {
      TimeUnit.MILLISECONDS.sleep(300 + random.nextInt(1_200));
      worker.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      kills++;
      worker = startWorker(4);
    }
    await()
        .atMost(Duration.ofMinutes(3))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> allDone(ids));
    stop(worker);

    Map<String, String> runs = redis.hgetAll(WorkerProcess.RUNS);
    assertThat(runs.keySet()).containsExactlyInAnyOrderElementsOf(ids);
    Map<String, String> duplicates = new LinkedHashMap<>();
    runs.forEach(
        (id, n) -> {
          if (!n.equals("1")) {
            duplicates.put(id, n);
          }
        });
    System.out.printf(
        "kill -9 x%d while 10,000 tasks flowed: %d ran more than once %s%n",
        kills, duplicates.size(), duplicates);
    // Only what a killed worker held and had run without storing the result yet can run again:
    // at most its prefetch limit (concurrency 4 x multiplier 4) per kill.
    assertThat(duplicates.size()).isLessThanOrEqualTo(kills * 16);
    assertDrained();
  }

  // ------------------------------------------------------------------ poison messages

  @Test
  void poisonMessages_eachDeadLettered_workerKeepsRunning() throws Exception {
    Process worker = startWorker(2);
    Map<String, String> poison = poisonMessages();
    for (String payload : poison.values()) {
      redis.lpush("celery", payload);
    }
    String after = client.task("record_run").args(0).publish();
    await().atMost(Duration.ofSeconds(30)).until(() -> state(after).equals(TaskState.SUCCESS));
    assertThat(worker.isAlive()).isTrue();
    // Two threads settle messages: the last poison one may still be on its way to the dead.
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> broker.deadLetters(100).size() == poison.size());
    assertThat(broker.deadLetters(100))
        .hasSize(poison.size())
        .allSatisfy(d -> assertThat(d.reason()).startsWith("undecodable:"));
    assertThat(broker.deadLetters(100).stream().map(d -> d.payload()).toList())
        .containsExactlyInAnyOrderElementsOf(poison.values());
    stop(worker);
    assertDrained();
  }

  /** Every input of celery-wire.md §3.4 that stops or silently loses a Celery worker. */
  private Map<String, String> poisonMessages() {
    String valid =
        codec.encode(Envelope.of(TaskMessage.builder("record_run").args(0).build(), "celery", 0));
    Map<String, String> poison = new LinkedHashMap<>();
    poison.put("list item not JSON", "{\"body\": ");
    poison.put("body not base64", mutate(valid, o -> o.put("body", "%%% not base64 %%%")));
    poison.put("body base64 of invalid JSON", mutate(valid, o -> o.put("body", b64("[[], {"))));
    poison.put("body not [a, k, e]", mutate(valid, o -> o.put("body", b64("{\"a\": 1}"))));
    poison.put("body two elements", mutate(valid, o -> o.put("body", b64("[[1, 2], {}]"))));
    poison.put(
        "header id missing", mutate(valid, o -> ((ObjectNode) o.get("headers")).remove("id")));
    poison.put(
        "header task missing", mutate(valid, o -> ((ObjectNode) o.get("headers")).remove("task")));
    poison.put(
        "delivery_tag missing",
        mutate(valid, o -> ((ObjectNode) o.get("properties")).remove("delivery_tag")));
    poison.put(
        "delivery_info missing",
        mutate(valid, o -> ((ObjectNode) o.get("properties")).remove("delivery_info")));
    poison.put(
        "content-type not JSON",
        mutate(valid, o -> o.put("content-type", "application/x-python-serialize")));
    poison.put("kwargs not a mapping", mutate(valid, o -> o.put("body", b64("[[0], [1], {}]"))));
    poison.put(
        "bad eta", mutate(valid, o -> ((ObjectNode) o.get("headers")).put("eta", "tomorrow-ish")));
    return poison;
  }

  // ------------------------------------------------------------------ long countdown

  @Test
  void countdown90s_workerRestartedInBetween_runsOnce() throws Exception {
    Instant sent = clock.instant();
    String id = client.task("record_run").args(0).countdown(Duration.ofSeconds(90)).publish();
    Process first = startWorker(2);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> broker.stats(List.of("celery")).scheduled() == 1);
    stop(first);
    Process second = startWorker(2);
    TimeUnit.SECONDS.sleep(20);
    second.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    Process third = startWorker(2);
    await()
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> state(id).equals(TaskState.SUCCESS));
    ResultMeta meta = backend.get(id).orElseThrow();
    assertThat(meta.dateDone()).isAfterOrEqualTo(sent.plusSeconds(90));
    assertThat(redis.hget(WorkerProcess.RUNS, id)).isEqualTo("1");
    stop(third);
    assertDrained();
  }

  // ------------------------------------------------------------------ SIGTERM

  @Test
  void sigterm_finishesRunningTasksPutsBackTheRestExitsZero() throws Exception {
    List<String> ids = sendRecordRuns(40, 300);
    Process worker = startWorker(4);
    await().atMost(Duration.ofSeconds(20)).until(() -> redis.hlen(WorkerProcess.RUNS) >= 4);
    worker.destroy();
    assertThat(worker.waitFor(20, TimeUnit.SECONDS)).isTrue();
    assertThat(worker.exitValue()).isZero();
    BrokerStats stats = broker.stats(List.of("celery"));
    assertThat(stats.inFlight()).isZero();
    long finished = ids.stream().filter(id -> state(id).equals(TaskState.SUCCESS)).count();
    assertThat(stats.queueDepths().get("celery")).isEqualTo(40 - finished);

    Process next = startWorker(4);
    await().atMost(Duration.ofSeconds(60)).until(() -> allDone(ids));
    stop(next);
    assertThat(redis.hgetAll(WorkerProcess.RUNS).values()).hasSize(40).containsOnly("1");
    assertDrained();
  }

  @Test
  void secondSigterm_stopsAtOnceAndLosesNothing() throws Exception {
    List<String> ids = sendRecordRuns(8, 60_000);
    Process worker = startWorker(4);
    await().atMost(Duration.ofSeconds(20)).until(() -> redis.hlen(WorkerProcess.RUNS) >= 4);
    worker.destroy();
    TimeUnit.MILLISECONDS.sleep(200);
    worker.destroy();
    assertThat(worker.waitFor(15, TimeUnit.SECONDS)).as("stopped at once").isTrue();
    assertThat(worker.exitValue()).isZero();
    BrokerStats stats = broker.stats(List.of("celery"));
    assertThat(stats.inFlight()).isZero();
    assertThat(stats.queueDepths()).containsEntry("celery", (long) ids.size());
    assertThat(ids).allSatisfy(id -> assertThat(state(id)).isEqualTo(TaskState.PENDING));
  }

  // ------------------------------------------------------------------ helpers

  private List<String> sendRecordRuns(int count, long sleepMs) {
    List<String> ids = new ArrayList<>(count);
    for (int from = 0; from < count; from += 1_000) {
      List<TaskClient.Call> calls = new ArrayList<>();
      for (int i = from; i < Math.min(count, from + 1_000); i++) {
        calls.add(client.task("record_run").args(sleepMs));
      }
      ids.addAll(client.sendAll(calls));
    }
    return ids;
  }

  private boolean allDone(List<String> ids) {
    Map<String, ResultMeta> done = new LinkedHashMap<>();
    for (int from = 0; from < ids.size(); from += 1_000) {
      done.putAll(backend.getAll(ids.subList(from, Math.min(ids.size(), from + 1_000))));
    }
    return done.size() == ids.size()
        && done.values().stream().allMatch(m -> m.state().equals(TaskState.SUCCESS));
  }

  private TaskState state(String id) {
    return backend.get(id).map(ResultMeta::state).orElse(TaskState.PENDING);
  }

  private void assertDrained() {
    BrokerStats stats = broker.stats(List.of("celery"));
    assertThat(stats.queueDepths()).containsEntry("celery", 0L);
    assertThat(stats.inFlight()).isZero();
    assertThat(stats.scheduled()).isZero();
  }

  private Process startWorker(int concurrency) throws IOException {
    Path log = LOGS.resolve(testName + "-worker-" + (processes.size() + 1) + ".log");
    Process process =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                WorkerProcess.class.getName(),
                URL,
                Integer.toString(concurrency),
                Long.toString(HEARTBEAT_TTL.toMillis()))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    processes.add(process);
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> Files.readString(log, StandardCharsets.UTF_8).contains("ready "));
    return process;
  }

  private static void stop(Process process) throws InterruptedException {
    process.destroy();
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("warm shutdown in time").isTrue();
    assertThat(process.exitValue()).isZero();
  }

  private static String mutate(String json, Consumer<ObjectNode> change) {
    try {
      ObjectNode root = (ObjectNode) new JsonMapper().readTree(json);
      change.accept(root);
      return root.toString();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String b64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }
}
