package io.securetx.adapter.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.securetx.adapter.http.ApiFixture.Reply;
import io.securetx.task.TaskRegistry;
import io.securetx.task.redis.RedisBroker;
import io.securetx.task.redis.RedisResultBackend;
import io.securetx.task.redis.RedisUrl;
import io.securetx.task.worker.Worker;
import io.securetx.task.worker.WorkerOptions;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The task routes on Redis, as in production: the API server only sends and reads, a separate
 * worker (here in the same JVM, on its own connections) runs the task, and the dashboard's overview
 * sees the queue and the worker. Uses Redis database 2 on 127.0.0.1:6379, emptied first.
 */
class TaskApiRedisIT {

  private static final RedisUrl URL = RedisUrl.parse("redis://127.0.0.1:6379/2");

  @Test
  void sendThroughTheApi_runByAWorkerOnRedis_resultReadBack(@TempDir Path dir)
      throws IOException, InterruptedException {
    flush();
    TaskRegistry registry = InProcessTasks.registry();
    try (RedisBroker broker = RedisBroker.connect(URL);
        RedisResultBackend backend = RedisResultBackend.connect(URL);
        ApiFixture api =
            ApiFixture.start(
                dir,
                ApiFixture.environment(),
                b ->
                    b.tasks(
                        new QueueTaskGateway(registry, broker, backend, Clock.systemUTC()),
                        InProcessTasks.REPORT_TASK))) {
      // Sent while no worker runs: it waits in Redis, PENDING, visible in the queue depth.
      Reply accepted = post(api, "{\"args\": [20, 22]}");
      assertThat(accepted.status()).as("%s", accepted).isEqualTo(202);
      String id = accepted.json().path("task_id").asText();
      assertThat(api.get("/v1/tasks/" + id).json().path("state").asText()).isEqualTo("PENDING");
      QueueTaskGateway view = new QueueTaskGateway(registry, broker, backend, Clock.systemUTC());
      assertThat(view.overview(10).broker().queueDepths()).containsEntry("celery", 1L);

      try (RedisBroker workerBroker = RedisBroker.connect(URL);
          RedisResultBackend workerBackend = RedisResultBackend.connect(URL);
          Worker worker =
              new Worker(
                  WorkerOptions.defaults().withConcurrency(1),
                  workerBroker,
                  workerBackend,
                  registry,
                  Clock.systemUTC())) {
        worker.start();
        JsonNode[] last = new JsonNode[1];
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () -> {
                  last[0] = api.get("/v1/tasks/" + id).json();
                  return last[0].path("ready").asBoolean();
                });
        assertThat(last[0].path("state").asText()).isEqualTo("SUCCESS");
        assertThat(last[0].path("result").asInt()).isEqualTo(42);
        assertThat(view.overview(10).broker().workers())
            .anySatisfy(w -> assertThat(w.id()).isEqualTo(worker.id()));
      }
      // Another instance of the API (no memory of sending it) still finds the stored result.
      JsonNode elsewhere = view.status(id).map(s -> s.result()).orElseThrow();
      assertThat(elsewhere.asInt()).isEqualTo(42);
    } finally {
      flush();
    }
  }

  @Test
  void idempotencyKey_twoInstancesOnOneRedis_sendOnce() throws IOException, InterruptedException {
    flush();
    TaskRegistry registry = InProcessTasks.registry();
    try (RedisBroker broker = RedisBroker.connect(URL);
        RedisResultBackend backend = RedisResultBackend.connect(URL);
        RedisBroker otherBroker = RedisBroker.connect(URL);
        RedisResultBackend otherBackend = RedisResultBackend.connect(URL)) {
      QueueTaskGateway one = new QueueTaskGateway(registry, broker, backend, Clock.systemUTC());
      QueueTaskGateway two =
          new QueueTaskGateway(registry, otherBroker, otherBackend, Clock.systemUTC());
      com.fasterxml.jackson.databind.node.ArrayNode args =
          ApiFixture.JSON.createArrayNode().add(1).add(2);
      com.fasterxml.jackson.databind.node.ObjectNode none = ApiFixture.JSON.createObjectNode();

      TaskGateway.Submission first = one.submitOnce("add", args, none, "redis-once-1");
      TaskGateway.Submission second = two.submitOnce("add", args, none, "redis-once-1");

      assertThat(first.replayed()).isFalse();
      assertThat(second.replayed()).isTrue();
      assertThat(second.status().id()).isEqualTo(first.status().id());
      assertThat(one.brokerStats().queueDepths()).containsEntry("celery", 1L);
      org.assertj.core.api.Assertions.assertThatThrownBy(
              () ->
                  two.submitOnce(
                      "add", ApiFixture.JSON.createArrayNode().add(9).add(9), none, "redis-once-1"))
          .isInstanceOf(TaskGateway.KeyReusedException.class);
      // The broker keeps only a hash of the key.
      Process keys =
          new ProcessBuilder("redis-cli", "-h", "127.0.0.1", "-n", "2", "KEYS", "*redis-once-1*")
              .start();
      assertThat(
              new String(
                      keys.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)
                  .strip())
          .isEmpty();
      assertThat(keys.waitFor()).isZero();
    } finally {
      flush();
    }
  }

  private static Reply post(ApiFixture api, String json) {
    return api.send(
        api.request("/v1/tasks/add")
            .header("Authorization", "Bearer " + ApiFixture.KEY)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build());
  }

  private static void flush() throws IOException, InterruptedException {
    Process p = new ProcessBuilder("redis-cli", "-h", "127.0.0.1", "-n", "2", "FLUSHDB").start();
    assertThat(p.waitFor()).isZero();
  }
}
