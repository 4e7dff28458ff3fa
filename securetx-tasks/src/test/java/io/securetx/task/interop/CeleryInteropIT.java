package io.securetx.task.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.securetx.task.Handlers;
import io.securetx.task.RetryPolicy;
import io.securetx.task.TaskRegistry;
import io.securetx.task.client.AsyncResult;
import io.securetx.task.client.TaskClient;
import io.securetx.task.client.TaskFailedException;
import io.securetx.task.interop.PythonClient.Send;
import io.securetx.task.interop.PythonClient.TaskOutcome;
import io.securetx.task.redis.RedisBroker;
import io.securetx.task.redis.RedisResultBackend;
import io.securetx.task.redis.RedisUrl;
import io.securetx.task.worker.Worker;
import io.securetx.task.worker.WorkerOptions;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.JedisPooled;

/**
 * The real Celery 5.2 (Debian's python3-celery) against the securetx worker and client, both ways,
 * on one Redis database: (a) Python sends, Java runs, Python reads the result; (b) Java sends,
 * Python runs, Java reads; (c) a Python and a Java worker share one queue.
 */
@Timeout(300)
class CeleryInteropIT {

  private static final int DB = 4;
  private static final String URL = CeleryPeer.redisUrl(DB);
  private static final Duration WAIT = Duration.ofSeconds(30);

  record Welcome(long userId, String email) {}

  record Welcomed(String status, String recipient) {}

  record Month(String month) {}

  record Nothing() {}

  record Count(long n) {}

  private static CeleryPeer peer;
  private static PythonClient python;

  private final Clock clock = Clock.systemUTC();
  private RedisBroker broker;
  private RedisResultBackend backend;
  private Worker javaWorker;
  private PythonWorker pythonWorker;

  @BeforeAll
  static void requirePeer() {
    peer = CeleryPeer.require();
    python = peer.client(URL, URL);
  }

  @BeforeEach
  void connect() {
    python.flushDb();
    broker = RedisBroker.connect(RedisUrl.parse(URL));
    backend = RedisResultBackend.connect(RedisUrl.parse(URL));
  }

  @AfterEach
  void stopAll() throws InterruptedException {
    // Everything stops before anything is asserted: a Python worker left running would take
    // the next test's tasks.
    boolean javaStopped = true;
    try {
      if (javaWorker != null) {
        javaWorker.shutdown();
        javaStopped = javaWorker.awaitTermination(WAIT);
      }
    } finally {
      if (pythonWorker != null) {
        pythonWorker.stop();
      }
      backend.close();
      broker.close();
      redisForRuns.close();
    }
    assertThat(javaStopped).as("the Java worker stopped").isTrue();
  }

  private TaskRegistry registry() {
    RetryPolicy retryTwice =
        RetryPolicy.builder()
            .maxRetries(3)
            .baseDelay(Duration.ofMillis(200))
            .maxDelay(Duration.ofMillis(400))
            .retryOn(IOException.class)
            .build();
    return TaskRegistry.builder()
        .register(
            "send_welcome_email",
            Handlers.of(Welcome.class, (a, c) -> new Welcomed("sent", a.email())),
            "new.send_welcome_email")
        .register(
            "generate_monthly_report",
            Handlers.of(Month.class, (a, c) -> "/tmp/report_" + a.month() + ".pdf"))
        .register(
            "always_fails",
            Handlers.of(
                Nothing.class,
                (a, c) -> {
                  throw new IllegalArgumentException("nope from Java");
                }))
        .register(
            "flaky",
            Handlers.of(
                Nothing.class,
                retryTwice,
                (a, c) -> {
                  if (c.retries() < 2) {
                    throw new IOException("smtp down, try " + c.retries());
                  }
                  return "done after " + c.retries() + " retries";
                }))
        .register(
            "record_run",
            Handlers.of(
                Count.class,
                (a, c) -> {
                  redisForRuns.hincrBy("peer.runs", c.taskId(), 1);
                  javaRuns.incrementAndGet();
                  return a.n();
                }))
        .build();
  }

  private final java.util.concurrent.atomic.AtomicInteger javaRuns =
      new java.util.concurrent.atomic.AtomicInteger();

  private final JedisPooled redisForRuns =
      new JedisPooled(
          new redis.clients.jedis.HostAndPort("127.0.0.1", 6379),
          redis.clients.jedis.DefaultJedisClientConfig.builder().database(DB).build());

  private void startJavaWorker(int concurrency) {
    javaWorker =
        new Worker(
            WorkerOptions.defaults().withConcurrency(concurrency),
            broker,
            backend,
            registry(),
            clock);
    javaWorker.start();
  }

  // ------------------------------------------------------------ (a) Python sends, Java runs

  @Test
  void pythonDelay_javaWorker_pythonGetsResult() {
    startJavaWorker(4);
    TaskOutcome outcome =
        python.send(
            Send.task("send_welcome_email")
                .kwargs(Map.of("user_id", 123, "email", "alice@example.com"))
                .await(WAIT));
    assertThat(outcome.state()).isEqualTo("SUCCESS");
    assertThat(outcome.result().get("status").asText()).isEqualTo("sent");
    assertThat(outcome.result().get("recipient").asText()).isEqualTo("alice@example.com");
  }

  @Test
  void pythonApplyAsync_countdownPriorityExpires_javaWorkerRunsAfterCountdown() {
    startJavaWorker(4);
    long start = System.nanoTime();
    TaskOutcome outcome =
        python.send(
            Send.task("generate_monthly_report")
                .args("August")
                .countdown(Duration.ofSeconds(2))
                .priority(6)
                .expires(Duration.ofSeconds(60))
                .await(WAIT));
    assertThat(outcome.state()).isEqualTo("SUCCESS");
    assertThat(outcome.result().asText()).isEqualTo("/tmp/report_August.pdf");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThan(Duration.ofSeconds(2));
  }

  @Test
  void pythonSend_javaTaskRaises_pythonSeesValueError() {
    startJavaWorker(2);
    TaskOutcome outcome = python.send(Send.task("always_fails").await(WAIT));
    assertThat(outcome.state()).isEqualTo("FAILURE");
    assertThat(outcome.exception()).isNotNull();
    assertThat(outcome.exception().type()).isEqualTo("ValueError");
    assertThat(outcome.exception().message()).contains("nope from Java");
  }

  @Test
  void pythonSend_javaTaskRetriesTwice_thenSucceeds() {
    startJavaWorker(2);
    TaskOutcome outcome = python.send(Send.task("flaky").await(WAIT));
    assertThat(outcome.state()).isEqualTo("SUCCESS");
    assertThat(outcome.result().asText()).isEqualTo("done after 2 retries");
  }

  @Test
  void pythonSend_unknownTask_notRegistered() {
    startJavaWorker(2);
    TaskOutcome outcome = python.send(Send.task("no.such.task").await(WAIT));
    assertThat(outcome.state()).isEqualTo("FAILURE");
    assertThat(outcome.exception().type()).isEqualTo("NotRegistered");
  }

  @Test
  void pythonSend_pastExpires_revoked() {
    startJavaWorker(2);
    TaskOutcome outcome =
        python.send(
            Send.task("generate_monthly_report")
                .args("August")
                .expires(Duration.ofSeconds(-5))
                .await(WAIT));
    assertThat(outcome.state()).isEqualTo("REVOKED");
  }

  @Test
  void pythonSend_aliasFromModuleNew_runs() {
    startJavaWorker(2);
    TaskOutcome outcome =
        python.send(Send.task("new.send_welcome_email").args(7, "bob@example.com").await(WAIT));
    assertThat(outcome.state()).isEqualTo("SUCCESS");
    assertThat(outcome.result().get("recipient").asText()).isEqualTo("bob@example.com");
  }

  // ------------------------------------------------------------ (b) Java sends, Python runs

  @Test
  void javaSend_pythonWorker_javaGetsResult() throws Exception {
    pythonWorker = peer.startWorker(URL, URL, List.of("celery"), 2);
    TaskClient client = new TaskClient(broker, backend, clock);
    try (AsyncResult result =
        client
            .task("send_welcome_email")
            .kwarg("user_id", 123)
            .kwarg("email", "carol@example.com")
            .send()) {
      assertThat(result.get(WAIT).get("recipient").asText()).isEqualTo("carol@example.com");
    }
    try (AsyncResult result =
        client
            .task("generate_monthly_report")
            .args("August")
            .countdown(Duration.ofSeconds(1))
            .priority(3)
            .send()) {
      assertThat(result.get(WAIT).asText()).isEqualTo("/tmp/report_August.pdf");
    }
    try (AsyncResult result = client.task("always_fails").send()) {
      assertThatThrownBy(() -> result.get(WAIT))
          .isInstanceOfSatisfying(
              TaskFailedException.class,
              e -> assertThat(e.exceptionType()).isEqualTo("ValueError"));
    }
  }

  // ------------------------------------------------------------ (c) one queue, two workers

  @Test
  void pythonAndJavaWorkers_share2000Tasks_noneLostNoneTwice() {
    List<String> ids = python.bulk(Send.task("record_run").args(1), 2_000);
    assertThat(ids).hasSize(2_000).doesNotHaveDuplicates();
    pythonWorker = peer.startWorker(URL, URL, List.of("celery"), 2);
    startJavaWorker(4);
    await()
        .atMost(Duration.ofMinutes(3))
        .pollInterval(Duration.ofMillis(250))
        // A run is counted when the task starts and its result stored when it ends: wait for
        // the results, so every run is counted by then.
        .until(() -> backend.getAll(ids).size() == 2_000 && queueEmpty());
    Map<String, String> runs = redisForRuns.hgetAll("peer.runs");
    assertThat(runs.keySet()).containsExactlyInAnyOrderElementsOf(ids);
    Set<String> twice =
        runs.entrySet().stream()
            .filter(e -> !e.getValue().equals("1"))
            .map(Map.Entry::getKey)
            .collect(Collectors.toSet());
    assertThat(twice).as("tasks run more than once").isEmpty();
    List<String> results =
        backend.getAll(ids).values().stream().map(m -> m.state().name()).distinct().toList();
    assertThat(results).containsExactly("SUCCESS");
    assertThat(backend.getAll(ids)).hasSize(2_000);
    assertThat(javaRuns.get()).as("tasks the Java worker ran").isBetween(1, 1_999);
    assertThat(pythonWorker.log()).contains("record_run");
  }

  private boolean queueEmpty() {
    return redisForRuns.llen("celery") == 0;
  }
}
