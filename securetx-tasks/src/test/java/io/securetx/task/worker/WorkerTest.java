package io.securetx.task.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.securetx.task.Handlers;
import io.securetx.task.RetryPolicy;
import io.securetx.task.TaskRegistry;
import io.securetx.task.broker.Broker;
import io.securetx.task.broker.BrokerStats;
import io.securetx.task.broker.DeadLetter;
import io.securetx.task.client.AsyncResult;
import io.securetx.task.client.TaskClient;
import io.securetx.task.client.TaskFailedException;
import io.securetx.task.memory.InMemoryBroker;
import io.securetx.task.memory.InMemoryResultBackend;
import io.securetx.task.wire.CeleryCodec;
import io.securetx.task.wire.Envelope;
import io.securetx.task.wire.ResultMeta;
import io.securetx.task.wire.TaskMessage;
import io.securetx.task.wire.TaskState;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WorkerTest {

  record Add(long x, long y) {}

  record Nothing() {}

  record Label(String text) {}

  private static final Duration WAIT = Duration.ofSeconds(10);

  private final Clock clock = Clock.systemUTC();
  private final InMemoryBroker broker = new InMemoryBroker(clock);
  private final InMemoryResultBackend backend = new InMemoryResultBackend();
  private final TaskClient client = new TaskClient(broker, backend, clock);
  private final CeleryCodec codec = CeleryCodec.create();
  private final AtomicInteger flakyRuns = new AtomicInteger();
  private final ConcurrentLinkedQueue<String> order = new ConcurrentLinkedQueue<>();
  private final CountDownLatch release = new CountDownLatch(1);
  private final CountDownLatch blockedStarted = new CountDownLatch(1);
  private Worker worker;
  private final ConcurrentLinkedQueue<String> observed = new ConcurrentLinkedQueue<>();

  private TaskRegistry registry() {
    RetryPolicy flakyPolicy =
        RetryPolicy.builder()
            .maxRetries(3)
            .baseDelay(Duration.ofMillis(20))
            .maxDelay(Duration.ofMillis(50))
            .retryOn(IOException.class)
            .build();
    return TaskRegistry.builder()
        .register("add", Handlers.of(Add.class, (a, ctx) -> a.x() + a.y()))
        .register(
            "boom",
            Handlers.of(
                Nothing.class,
                (a, ctx) -> {
                  throw new IllegalArgumentException("bad amount");
                }))
        .register(
            "flaky",
            Handlers.of(
                Nothing.class,
                flakyPolicy,
                (a, ctx) -> {
                  flakyRuns.incrementAndGet();
                  if (ctx.retries() < 2) {
                    throw new IOException("try " + ctx.retries());
                  }
                  return "done after " + ctx.retries() + " retries";
                }))
        .register(
            "always_down",
            Handlers.of(
                Nothing.class,
                flakyPolicy,
                (a, ctx) -> {
                  throw new IOException("still down");
                }))
        .register(
            "record",
            Handlers.of(
                Label.class,
                (a, ctx) -> {
                  order.add(a.text());
                  return a.text();
                }))
        .register(
            "block",
            Handlers.of(
                Nothing.class,
                (a, ctx) -> {
                  blockedStarted.countDown();
                  release.await();
                  return "released";
                }))
        .register(
            "sleep",
            Handlers.of(
                Nothing.class,
                (a, ctx) -> {
                  Thread.sleep(30_000);
                  return "slept";
                }))
        .build();
  }

  private Worker start(WorkerOptions options) {
    worker =
        new Worker(
            options,
            broker,
            backend,
            registry(),
            clock,
            (task, id, state, runtime) -> {
              assertThat(runtime.isNegative()).isFalse();
              observed.add(task + " " + state.name() + " " + id);
            });
    worker.start();
    return worker;
  }

  private Worker start() {
    return start(WorkerOptions.defaults());
  }

  @AfterEach
  void stop() throws InterruptedException {
    release.countDown();
    if (worker != null) {
      worker.shutdownNow();
      assertThat(worker.awaitTermination(WAIT)).isTrue();
    }
  }

  @Test
  void isRunning_fromStartThroughTheWarmShutdown_untilTerminated() throws Exception {
    worker = new Worker(WorkerOptions.defaults(), broker, backend, registry(), clock);
    assertThat(worker.isRunning()).isFalse();
    worker.start();
    assertThat(worker.isRunning()).isTrue();
    client.task("block").publish();
    assertThat(blockedStarted.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();

    worker.shutdown();

    assertThat(worker.isRunning()).as("still finishing the blocked task").isTrue();
    release.countDown();
    assertThat(worker.awaitTermination(WAIT)).isTrue();
    assertThat(worker.isRunning()).isFalse();
  }

  @Test
  void run_registeredTask_storesSuccessWithResult() throws Exception {
    start();
    try (AsyncResult result = client.task("add").args(2, 3).send()) {
      assertThat(result.get(WAIT).asLong()).isEqualTo(5);
      assertThat(result.state()).isEqualTo(TaskState.SUCCESS);
    }
  }

  @Test
  void run_kwargsBoundByName_storesSuccess() throws Exception {
    start();
    try (AsyncResult result = client.task("add").kwarg("x", 40).kwarg("y", 2).send()) {
      assertThat(result.get(WAIT).asLong()).isEqualTo(42);
    }
  }

  @Test
  void run_taskThrows_storesFailureAsPythonBuiltin() throws Exception {
    start();
    try (AsyncResult result = client.task("boom").send()) {
      assertThatThrownBy(() -> result.get(WAIT))
          .isInstanceOfSatisfying(
              TaskFailedException.class,
              e -> {
                assertThat(e.state()).isEqualTo("FAILURE");
                assertThat(e.exceptionType()).isEqualTo("ValueError");
                assertThat(e.exceptionModule()).isEqualTo("builtins");
              });
      assertThat(result.meta().traceback()).contains("ValueError: bad amount");
    }
  }

  @Test
  void run_transientFailureTwice_retriesThroughScheduleThenSucceeds() throws Exception {
    start();
    try (AsyncResult result = client.task("flaky").send()) {
      assertThat(result.get(WAIT).asText()).isEqualTo("done after 2 retries");
      assertThat(flakyRuns.get()).isEqualTo(3);
      assertThat(result.meta().parentId()).isEqualTo(result.id());
    }
    assertThat(broker.deadLetters(10)).isEmpty();
  }

  @Test
  void observer_eachSettledTask_toldItsStateOnce() throws Exception {
    TaskMessage expired =
        TaskMessage.builder("record")
            .kwarg("text", "late")
            .expires(Instant.now().minusSeconds(1))
            .build();
    broker.publish(List.of(outgoing(Envelope.of(expired, "celery", 0))));
    start();
    String flaky;
    String boom;
    try (AsyncResult a = client.task("flaky").send();
        AsyncResult b = client.task("boom").send()) {
      flaky = a.id();
      boom = b.id();
      a.await(WAIT);
      b.await(WAIT);
    }
    try (AsyncResult late = client.result(expired.id())) {
      late.await(WAIT);
    }

    org.awaitility.Awaitility.await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(observed)
                    .containsExactlyInAnyOrder(
                        "record REVOKED " + expired.id(),
                        "flaky RETRY " + flaky,
                        "flaky RETRY " + flaky,
                        "flaky SUCCESS " + flaky,
                        "boom FAILURE " + boom));
  }

  @Test
  void run_retriesExhausted_storesFailureAndDeadLetters() throws Exception {
    start();
    try (AsyncResult result = client.task("always_down").send()) {
      assertThatThrownBy(() -> result.get(WAIT))
          .isInstanceOfSatisfying(
              TaskFailedException.class, e -> assertThat(e.exceptionType()).isEqualTo("OSError"));
      // The result is stored first, then the message moves to the dead letters.
      org.awaitility.Awaitility.await().atMost(WAIT).until(() -> !broker.deadLetters(10).isEmpty());
      List<DeadLetter> dead = broker.deadLetters(10);
      assertThat(dead)
          .singleElement()
          .satisfies(
              d -> {
                assertThat(d.reason()).isEqualTo("retries_exhausted");
                assertThat(d.taskId()).isEqualTo(result.id());
                assertThat(d.list()).isEqualTo("celery");
              });
    }
  }

  @Test
  void run_unknownTask_storesNotRegisteredFailure() throws Exception {
    start();
    try (AsyncResult result = client.task("no.such.task").send()) {
      assertThatThrownBy(() -> result.get(WAIT))
          .isInstanceOfSatisfying(
              TaskFailedException.class,
              e -> {
                assertThat(e.exceptionType()).isEqualTo("NotRegistered");
                assertThat(e.exceptionModule()).isEqualTo("celery.exceptions");
              });
    }
  }

  @Test
  void run_wrongArguments_storesTypeError() throws Exception {
    start();
    try (AsyncResult result = client.task("add").args(1, 2, 3).send()) {
      assertThatThrownBy(() -> result.get(WAIT))
          .isInstanceOfSatisfying(
              TaskFailedException.class, e -> assertThat(e.exceptionType()).isEqualTo("TypeError"));
    }
  }

  @Test
  void receive_pastExpires_storesRevokedWithoutRunning() throws Exception {
    TaskMessage message =
        TaskMessage.builder("record")
            .kwarg("text", "late")
            .expires(Instant.now().minusSeconds(1))
            .build();
    broker.publish(List.of(outgoing(Envelope.of(message, "celery", 0))));
    start();
    try (AsyncResult result = client.result(message.id())) {
      ResultMeta meta = result.await(WAIT);
      assertThat(meta.state()).isEqualTo(TaskState.REVOKED);
      assertThat(meta.exception().orElseThrow().type()).isEqualTo("TaskRevokedError");
    }
    assertThat(order).isEmpty();
  }

  @Test
  void receive_countdown_waitsInScheduleNotBeforeEta() throws Exception {
    start();
    Instant sent = Instant.now();
    try (AsyncResult result =
        client.task("record").kwarg("text", "later").countdown(Duration.ofMillis(400)).send()) {
      assertThat(result.get(WAIT).asText()).isEqualTo("later");
      assertThat(result.meta().dateDone()).isAfterOrEqualTo(sent.plusMillis(400));
    }
  }

  @Test
  void receive_undecodableMessage_deadLettersAndKeepsRunning() throws Exception {
    broker.publish(List.of(new Broker.Outgoing("celery", "{not json")));
    start();
    try (AsyncResult result = client.task("add").args(1, 1).send()) {
      assertThat(result.get(WAIT).asLong()).isEqualTo(2);
    }
    // Messages are settled in parallel, so the bad one may be dead-lettered after the good one ran.
    org.awaitility.Awaitility.await().atMost(WAIT).until(() -> !broker.deadLetters(10).isEmpty());
    assertThat(broker.deadLetters(10))
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.reason()).startsWith("undecodable:");
              assertThat(d.payload()).isEqualTo("{not json");
              assertThat(d.list()).isEqualTo("celery");
            });
  }

  @Test
  void serve_priorities_lowerNumberFirst() throws Exception {
    for (int p : new int[] {9, 0, 6, 3, 0}) {
      client.task("record").kwarg("text", "p" + p).priority(p).ignoreResult().send().close();
    }
    start(WorkerOptions.defaults().withConcurrency(1).withPrefetchMultiplier(1));
    try (AsyncResult last = client.task("record").kwarg("text", "end").priority(9).send()) {
      last.get(WAIT);
    }
    assertThat(order).containsExactly("p0", "p0", "p3", "p6", "p9", "end");
  }

  @Test
  void redelivered_alreadySucceeded_isAcknowledgedWithoutRunning() throws Exception {
    TaskMessage message = TaskMessage.builder("record").kwarg("text", "once").build();
    backend.store(
        List.of(
            ResultMeta.success(
                message.id(),
                codec.decodeResult(successJson(message.id())).result(),
                clock.instant())));
    Envelope again = Envelope.of(message, "celery", 0).markedRedelivered();
    broker.publish(List.of(outgoing(again)));
    start();
    try (AsyncResult marker = client.task("record").kwarg("text", "marker").send()) {
      marker.get(WAIT);
    }
    org.awaitility.Awaitility.await()
        .atMost(WAIT)
        .until(() -> broker.stats(List.of("celery")).inFlight() == 0);
    assertThat(order).containsExactly("marker");
  }

  @Test
  void hardTimeLimit_exceeded_storesTimeLimitExceeded() throws Exception {
    start();
    try (AsyncResult result = client.task("sleep").timeLimits(0.2, null).send()) {
      assertThatThrownBy(() -> result.get(WAIT))
          .isInstanceOfSatisfying(
              TaskFailedException.class,
              e -> assertThat(e.exceptionType()).isEqualTo("TimeLimitExceeded"));
    }
  }

  @Test
  void softTimeLimit_exceeded_interruptsTaskWithSoftTimeLimitExceeded() throws Exception {
    start();
    try (AsyncResult result = client.task("sleep").timeLimits(null, 0.2).send()) {
      assertThatThrownBy(() -> result.get(WAIT))
          .isInstanceOfSatisfying(
              TaskFailedException.class,
              e -> {
                assertThat(e.exceptionType()).isEqualTo("SoftTimeLimitExceeded");
                assertThat(e.exceptionModule()).isEqualTo("celery.exceptions");
              });
    }
  }

  @Test
  void shutdown_finishesRunningTaskAndPutsBackTheRest() throws Exception {
    start(WorkerOptions.defaults().withConcurrency(1).withPrefetchMultiplier(4));
    AsyncResult blocked = client.task("block").send();
    assertThat(blockedStarted.await(10, TimeUnit.SECONDS)).isTrue();
    for (int i = 0; i < 3; i++) {
      client.task("record").kwarg("text", "queued" + i).ignoreResult().send().close();
    }
    awaitInFlight(4);
    worker.shutdown();
    release.countDown();
    assertThat(worker.awaitTermination(WAIT)).isTrue();
    assertThat(blocked.get(WAIT).asText()).isEqualTo("released");
    blocked.close();
    BrokerStats stats = broker.stats(List.of("celery"));
    assertThat(stats.queueDepths()).containsEntry("celery", 3L);
    assertThat(stats.inFlight()).isZero();
    assertThat(order).isEmpty();
  }

  @Test
  void shutdownNow_putsBackEvenTheRunningTask() throws Exception {
    start(WorkerOptions.defaults().withConcurrency(1));
    AsyncResult blocked = client.task("block").send();
    assertThat(blockedStarted.await(10, TimeUnit.SECONDS)).isTrue();
    worker.shutdownNow();
    assertThat(worker.awaitTermination(WAIT)).isTrue();
    BrokerStats stats = broker.stats(List.of("celery"));
    assertThat(stats.queueDepths()).containsEntry("celery", 1L);
    assertThat(stats.inFlight()).isZero();
    String back = broker.fetch("inspector", List.of("celery"), 1, Duration.ZERO).get(0).payload();
    Envelope envelope = codec.decode(back);
    assertThat(envelope.message().id()).isEqualTo(blocked.id());
    assertThat(envelope.redelivered()).isTrue();
    blocked.close();
  }

  private void awaitInFlight(long expected) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (broker.stats(List.of("celery")).inFlight() < expected) {
      assertThat(System.nanoTime()).as("in-flight count reached in time").isLessThan(deadline);
      TimeUnit.MILLISECONDS.sleep(10);
    }
  }

  private Broker.Outgoing outgoing(Envelope envelope) {
    return new Broker.Outgoing(envelope.listName(), codec.encode(envelope));
  }

  private static String successJson(String id) {
    return "{\"status\": \"SUCCESS\", \"result\": \"earlier\", \"task_id\": \"" + id + "\"}";
  }
}
