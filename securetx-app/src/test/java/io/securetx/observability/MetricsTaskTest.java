package io.securetx.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.securetx.task.RetryPolicy;
import io.securetx.task.TaskContext;
import io.securetx.task.TaskHandler;
import io.securetx.task.TaskRegistry;
import io.securetx.task.client.TaskClient;
import io.securetx.task.memory.InMemoryBroker;
import io.securetx.task.memory.InMemoryResultBackend;
import io.securetx.task.worker.Worker;
import io.securetx.task.worker.WorkerOptions;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Tasks run by a real worker are counted by state, and their log lines carry the task's ids. */
class MetricsTaskTest {

  private static final Logger LOG = LoggerFactory.getLogger(MetricsTaskTest.class);

  record Nothing() {}

  private static TaskHandler<Nothing, String> handler(boolean fail) {
    return new TaskHandler<>() {
      @Override
      public Class<Nothing> argumentType() {
        return Nothing.class;
      }

      @Override
      public String run(Nothing arguments, TaskContext context) {
        LOG.info("running inside the task");
        if (fail) {
          throw new IllegalStateException("boom");
        }
        return "ok";
      }

      @Override
      public RetryPolicy retryPolicy() {
        return RetryPolicy.none();
      }
    };
  }

  @Test
  void worker_tasksSettled_countedByStateAndLoggedWithTaskIds() throws Exception {
    TaskRegistry registry =
        TaskRegistry.builder()
            .register("ok", handler(false))
            .register("boom", handler(true))
            .build();
    Clock clock = Clock.systemUTC();
    InMemoryBroker broker = new InMemoryBroker(clock);
    InMemoryResultBackend backend = new InMemoryResultBackend();
    try (Metrics metrics = Metrics.create();
        LogCapture logs = LogCapture.start()) {
      Worker worker =
          new Worker(
              WorkerOptions.defaults().withConcurrency(2),
              broker,
              backend,
              registry,
              clock,
              metrics.taskObserver());
      worker.start();
      try {
        TaskClient client = new TaskClient(broker, backend, clock);
        String okId = client.task("ok").publish();
        client.task("ok").publish();
        client.task("boom").publish();
        client.task("nobody.knows.me").publish();

        await()
            .atMost(Duration.ofSeconds(20))
            .untilAsserted(
                () -> {
                  String scrape = metrics.scrape();
                  assertThat(count(scrape, "ok", "SUCCESS")).isEqualTo(2);
                  assertThat(count(scrape, "boom", "FAILURE")).isEqualTo(1);
                  assertThat(count(scrape, "nobody.knows.me", "FAILURE")).isEqualTo(1);
                });
        assertThat(count(metrics.scrape(), "ok", "FAILURE")).isZero();
        assertThat(metrics.scrape()).contains("securetx_task_runtime_seconds_count");

        List<JsonNode> inside =
            logs.lines().stream()
                .filter(l -> l.path("msg").asText().equals("running inside the task"))
                .toList();
        assertThat(inside).hasSize(3);
        assertThat(inside).allSatisfy(l -> assertThat(l.path("task_id").asText()).isNotEmpty());
        assertThat(inside).anySatisfy(l -> assertThat(l.path("task_id").asText()).isEqualTo(okId));
        assertThat(inside.stream().map(l -> l.path("task_name").asText()))
            .containsExactlyInAnyOrder("ok", "ok", "boom");
        assertThat(logs.lines())
            .anySatisfy(
                l -> {
                  assertThat(l.path("msg").asText()).contains("unregistered task");
                  assertThat(l.path("task_name").asText()).isEqualTo("nobody.knows.me");
                });
      } finally {
        worker.close();
      }
    }
  }

  private static double count(String scrape, String task, String state) {
    return Prometheus.value(scrape, "securetx_tasks_total", Map.of("task", task, "state", state));
  }
}
