package io.securetx.task.memory;

import static org.assertj.core.api.Assertions.assertThat;

import io.securetx.task.Handlers;
import io.securetx.task.TaskRegistry;
import io.securetx.task.client.AsyncResult;
import io.securetx.task.wire.ResultMeta;
import io.securetx.task.wire.TaskState;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class InProcessQueueTest {

  record Add(long x, long y) {}

  record Nothing() {}

  private static final Duration WAIT = Duration.ofSeconds(10);

  @Test
  void send_registeredTask_runsOnTheInProcessWorker() throws Exception {
    TaskRegistry registry =
        TaskRegistry.builder()
            .register("add", Handlers.of(Add.class, (a, ctx) -> a.x() + a.y()))
            .build();
    try (InProcessQueue queue = InProcessQueue.start(registry, 2, Clock.systemUTC());
        AsyncResult result = queue.client().task("add").kwarg("x", 2).kwarg("y", 40).send()) {

      ResultMeta meta = result.await(WAIT);

      assertThat(meta.state()).isEqualTo(TaskState.SUCCESS);
      assertThat(meta.result().asLong()).isEqualTo(42);
      assertThat(meta.taskId()).isEqualTo(result.id());
      assertThat(queue.broker().stats(List.of("celery")).queueDepths()).containsEntry("celery", 0L);
      assertThat(queue.workerId()).isNotBlank();
    }
  }

  @Test
  void close_taskRunning_letsItFinishFirst() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch finished = new CountDownLatch(1);
    TaskRegistry registry =
        TaskRegistry.builder()
            .register(
                "slow",
                Handlers.of(
                    Nothing.class,
                    (a, ctx) -> {
                      started.countDown();
                      Thread.sleep(300);
                      finished.countDown();
                      return "done";
                    }))
            .build();
    InProcessQueue queue = InProcessQueue.start(registry, 1, Clock.systemUTC());
    queue.client().task("slow").publish();
    assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();

    queue.close();

    assertThat(finished.getCount()).isZero();
  }
}
