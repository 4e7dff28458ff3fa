package io.securetx.task.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.IntNode;
import io.securetx.task.wire.ExceptionInfo;
import io.securetx.task.wire.ResultMeta;
import io.securetx.task.wire.TaskState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link ResultBackend} must do. A backend's test extends this class and says how to
 * make an empty backend.
 */
public abstract class ResultBackendContract {

  protected static final Instant DONE = Instant.parse("2026-11-27T10:00:00.123456Z");
  protected static final Duration LONG = Duration.ofSeconds(10);

  protected ResultBackend backend;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

  /** Returns a backend with nothing stored. */
  protected abstract ResultBackend newBackend();

  @BeforeEach
  void openBackend() {
    backend = newBackend();
  }

  @AfterEach
  void closeBackend() {
    timer.shutdownNow();
    backend.close();
  }

  @Test
  void get_nothingStored_isEmpty() {
    assertThat(backend.get(newId())).isEmpty();
  }

  @Test
  void store_thenGet_returnsTheSameState() {
    String id = newId();
    ResultMeta success = success(id, 5).withLineage("parent-1", "group-1");

    backend.store(List.of(success));

    assertThat(backend.get(id)).contains(success);
  }

  @Test
  void store_failure_keepsTheEncodedException() {
    String id = newId();
    ResultMeta failure = failure(id);

    backend.store(List.of(failure));

    assertThat(backend.get(id)).contains(failure);
    assertThat(backend.get(id).orElseThrow().exception()).isPresent();
  }

  @Test
  void store_afterSuccess_isDropped() {
    String id = newId();
    backend.store(List.of(success(id, 1)));

    backend.store(List.of(failure(id)));
    backend.store(List.of(ResultMeta.started(id, 1, "h")));

    assertThat(backend.get(id)).contains(success(id, 1));
  }

  @Test
  void store_afterNonFinalStates_overwrites() {
    String id = newId();
    backend.store(List.of(ResultMeta.started(id, 7, "host")));
    backend.store(List.of(retry(id)));

    backend.store(List.of(failure(id)));

    assertThat(backend.get(id).orElseThrow().state()).isEqualTo(TaskState.FAILURE);
  }

  @Test
  void store_batchWithTwoStatesOfOneTask_appliesThemInOrder() {
    String a = newId();
    String b = newId();

    backend.store(List.of(ResultMeta.started(a, 1, "h"), success(a, 2), success(b, 3), retry(b)));

    assertThat(backend.get(a)).contains(success(a, 2));
    assertThat(backend.get(b)).contains(success(b, 3));
  }

  @Test
  void getAll_someStored_returnsOnlyThose() {
    String a = newId();
    String b = newId();
    String missing = newId();
    backend.store(List.of(success(a, 1), failure(b)));

    assertThat(backend.getAll(List.of(a, missing, b)))
        .containsOnlyKeys(a, b)
        .containsEntry(a, success(a, 1))
        .containsEntry(b, failure(b));
    assertThat(backend.getAll(List.of())).isEmpty();
  }

  @Test
  void awaitReady_storedBeforeSubscribe_returnsIt() throws Exception {
    String id = newId();
    backend.store(List.of(success(id, 42)));

    try (ResultSubscription s = backend.subscribe(id)) {
      assertThat(s.awaitReady(LONG)).isEqualTo(success(id, 42));
    }
  }

  @Test
  void awaitReady_storedAfterSubscribe_returnsIt() throws Exception {
    String id = newId();
    try (ResultSubscription s = backend.subscribe(id)) {
      timer.schedule(() -> backend.store(List.of(success(id, 7))), 200, TimeUnit.MILLISECONDS);

      long start = System.nanoTime();
      assertThat(s.awaitReady(LONG)).isEqualTo(success(id, 7));
      assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(5_000L);
    }
  }

  @Test
  void awaitReady_storedBetweenSubscribeAndWait_returnsIt() throws Exception {
    String id = newId();
    try (ResultSubscription s = backend.subscribe(id)) {
      backend.store(List.of(failure(id)));

      assertThat(s.awaitReady(LONG)).isEqualTo(failure(id));
    }
  }

  @Test
  void awaitReady_nonReadyStatesThenReady_returnsTheReadyOne() throws Exception {
    String id = newId();
    try (ResultSubscription s = backend.subscribe(id)) {
      backend.store(List.of(ResultMeta.started(id, 1, "h")));
      timer.schedule(
          () -> {
            backend.store(List.of(retry(id)));
            backend.store(List.of(success(id, 3)));
          },
          200,
          TimeUnit.MILLISECONDS);

      assertThat(s.awaitReady(LONG)).isEqualTo(success(id, 3));
    }
  }

  @Test
  void awaitReady_onlyStarted_timesOutAfterAboutTheTimeout() throws Exception {
    String id = newId();
    backend.store(List.of(ResultMeta.started(id, 1, "h")));
    try (ResultSubscription s = backend.subscribe(id)) {
      long start = System.nanoTime();

      assertThatThrownBy(() -> s.awaitReady(Duration.ofMillis(300)))
          .isInstanceOf(TimeoutException.class);
      assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isBetween(250L, 3_000L);
    }
  }

  @Test
  void awaitReady_twoSubscribersOneClosed_theOtherStillSeesIt() throws Exception {
    String id = newId();
    ResultSubscription first = backend.subscribe(id);
    try (ResultSubscription second = backend.subscribe(id)) {
      first.close();
      backend.store(List.of(success(id, 9)));

      assertThat(second.awaitReady(LONG)).isEqualTo(success(id, 9));
    }
  }

  @Test
  void awaitReady_subscriptionsForOtherTasks_doNotMixUp() throws Exception {
    String a = newId();
    String b = newId();
    try (ResultSubscription sa = backend.subscribe(a);
        ResultSubscription sb = backend.subscribe(b)) {
      backend.store(List.of(success(b, 2)));

      assertThatThrownBy(() -> sa.awaitReady(Duration.ofMillis(200)))
          .isInstanceOf(TimeoutException.class);
      assertThat(sb.awaitReady(LONG)).isEqualTo(success(b, 2));
    }
  }

  // ---- helpers ----------------------------------------------------------------------------------

  protected static String newId() {
    return UUID.randomUUID().toString();
  }

  protected static ResultMeta success(String id, int value) {
    return ResultMeta.success(id, IntNode.valueOf(value), DONE);
  }

  protected static ResultMeta failure(String id) {
    return ResultMeta.failure(
        id, ExceptionInfo.of("ValueError", "builtins", "boom"), "Traceback ...", DONE);
  }

  protected static ResultMeta retry(String id) {
    return ResultMeta.retry(id, ExceptionInfo.of("RuntimeError", "builtins", "try 0"), null);
  }
}
