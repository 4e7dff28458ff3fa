package io.securetx.adapter.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.securetx.adapter.http.ApiFixture.Reply;
import io.securetx.task.redis.RedisBroker;
import io.securetx.task.redis.RedisResultBackend;
import io.securetx.task.redis.RedisUrl;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.YearMonth;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /v1/tasks} and {@code /v1/reports} over a real in-process queue and worker: sending checks
 * the call against the task's signature, the state moves from PENDING to the result, and every bad
 * call is a 4xx that sends nothing.
 */
class TaskApiTest {

  @TempDir static Path dir;
  private static ApiFixture api;
  private static InProcessTasks tasks;

  @BeforeAll
  static void start() {
    tasks = InProcessTasks.create();
    api = ApiFixture.start(dir, ApiFixture.environment(), tasks.install());
  }

  @AfterAll
  static void stop() {
    api.close();
  }

  private static Reply post(String path, String json) {
    return api.send(
        api.request(path)
            .header("Authorization", "Bearer " + ApiFixture.KEY)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build());
  }

  private static JsonNode awaitReady(String taskId) {
    JsonNode[] last = new JsonNode[1];
    await()
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(20))
        .until(
            () -> {
              Reply reply = api.get("/v1/tasks/" + taskId);
              assertThat(reply.status()).as("%s", reply).isEqualTo(200);
              last[0] = reply.json();
              return last[0].path("ready").asBoolean();
            });
    return last[0];
  }

  @Test
  void send_kwargs_202ThenSuccessWithTheResult() {
    Reply reply = post("/v1/tasks/add", "{\"kwargs\": {\"x\": 2, \"y\": 40}}");

    assertThat(reply.status()).as("%s", reply).isEqualTo(202);
    JsonNode accepted = reply.json();
    String id = accepted.path("task_id").asText();
    assertThat(accepted.path("name").asText()).isEqualTo("add");
    assertThat(accepted.path("state").asText()).isEqualTo("PENDING");
    assertThat(accepted.path("ready").asBoolean()).isFalse();
    assertThat(reply.header("Location")).isEqualTo("/v1/tasks/" + id);

    JsonNode done = awaitReady(id);
    assertThat(done.path("state").asText()).isEqualTo("SUCCESS");
    assertThat(done.path("result").asInt()).isEqualTo(42);
    assertThat(done.path("exception").isNull()).isTrue();
    assertThat(done.path("name").asText()).isEqualTo("add");
    assertThat(done.path("date_done").asText()).isNotBlank();
    assertThat(done.path("submitted_at").asText()).isNotBlank();
  }

  @Test
  void send_positionalArgsAndAlias_run() {
    Reply reply = post("/v1/tasks/math.add", "{\"args\": [1, 2]}");

    assertThat(reply.status()).as("%s", reply).isEqualTo(202);
    assertThat(awaitReady(reply.json().path("task_id").asText()).path("result").asInt())
        .isEqualTo(3);
  }

  @Test
  void send_taskThatRaises_failureWithTheException() {
    Reply reply = post("/v1/tasks/fail", "{\"args\": [\"no such user\"]}");

    JsonNode done = awaitReady(reply.json().path("task_id").asText());
    assertThat(done.path("state").asText()).isEqualTo("FAILURE");
    assertThat(done.path("result").isNull()).isTrue();
    assertThat(done.path("exception").path("type").asText()).isEqualTo("ValueError");
    assertThat(done.path("exception").path("args").get(0).asText()).isEqualTo("no such user");
  }

  @Test
  void send_unknownTask_404() {
    JsonNode problem = post("/v1/tasks/os.system", "{\"args\": [\"rm -rf /\"]}").problem(404);

    assertThat(problem.path("type").asText()).isEqualTo("/problems/unknown-task");
  }

  @Test
  void send_argumentsThatDoNotFit_422AndNothingSent() {
    int before = tasks.sent();

    JsonNode missing = post("/v1/tasks/add", "{\"kwargs\": {\"x\": 1}}").problem(422);
    JsonNode extra = post("/v1/tasks/add", "{\"args\": [1, 2, 3]}").problem(422);
    JsonNode wrongType = post("/v1/tasks/add", "{\"args\": [\"one\", 2]}").problem(422);

    for (JsonNode problem : new JsonNode[] {missing, extra, wrongType}) {
      assertThat(problem.path("errors").get(0).path("rule").asText()).isEqualTo("task.arguments");
    }
    assertThat(tasks.sent()).isEqualTo(before);
  }

  @Test
  void send_badBody_422or400() {
    int before = tasks.sent();
    assertThat(post("/v1/tasks/add", "{\"args\": {\"x\": 1}}").problem(422).path("errors"))
        .anySatisfy(e -> assertThat(e.path("rule").asText()).isEqualTo("args.type"));
    assertThat(post("/v1/tasks/add", "{\"kwargs\": [1]}").problem(422).path("errors"))
        .anySatisfy(e -> assertThat(e.path("rule").asText()).isEqualTo("kwargs.type"));
    assertThat(
            post("/v1/tasks/add", "{\"args\": [1, 2], \"queue\": \"x\"}")
                .problem(422)
                .path("errors"))
        .anySatisfy(e -> assertThat(e.path("rule").asText()).isEqualTo("field.unknown"));
    post("/v1/tasks/add", "[1, 2]").problem(400);
    post("/v1/tasks/add", "{\"args\": [1, 2]").problem(400);
    assertThat(tasks.sent()).isEqualTo(before);
  }

  @Test
  void send_withoutKey_401() {
    Reply reply =
        api.send(
            api.request("/v1/tasks/add")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"args\": [1, 2]}"))
                .build());
    assertThat(reply.status()).isEqualTo(401);
    assertThat(api.get("/v1/tasks/abc").status()).isEqualTo(404);
    assertThat(api.send(api.request("/v1/tasks/abc").GET().build()).status()).isEqualTo(401);
  }

  @Test
  void show_unknownId_404_malformedId_400() {
    assertThat(
            api.get("/v1/tasks/0b8e7a4c-3d2f-4e1a-9c6b-5d4e3f2a1b0c")
                .problem(404)
                .path("type")
                .asText())
        .isEqualTo("/problems/task-not-found");
    api.get("/v1/tasks/%27%20OR%201=1--").problem(400);
    api.get("/v1/tasks/" + "a".repeat(256)).problem(400);
  }

  @Test
  void report_month_sendsTheReportTaskWithTheIsoMonth() {
    Reply reply = post("/v1/reports", "{\"month\": \"August 2026\"}");

    assertThat(reply.status()).as("%s", reply).isEqualTo(202);
    assertThat(reply.json().path("month").asText()).isEqualTo("2026-08");
    assertThat(reply.json().path("name").asText()).isEqualTo(InProcessTasks.REPORT_TASK);
    JsonNode done = awaitReady(reply.json().path("task_id").asText());
    assertThat(done.path("result").asText()).isEqualTo("report of 2026-08");
  }

  @Test
  void report_bareMonthName_isResolvedWhenSent() {
    YearMonth now = YearMonth.now(Clock.systemUTC().withZone(ZoneOffset.UTC));
    String name =
        now.getMonth().getDisplayName(java.time.format.TextStyle.FULL, java.util.Locale.ENGLISH);

    Reply reply = post("/v1/reports", "{\"month\": \"" + name + "\"}");

    assertThat(reply.json().path("month").asText()).isEqualTo(now.toString());
  }

  @Test
  void report_badMonth_422AndNothingSent() {
    int before = tasks.sent();
    for (String body :
        new String[] {
          "{\"month\": \"Smarch\"}",
          "{\"month\": \"2999-01\"}",
          "{\"month\": 202608}",
          "{}",
          "{\"month\": \"2026-08\", \"format\": \"pdf\"}"
        }) {
      assertThat(post("/v1/reports", body).status()).as(body).isEqualTo(422);
    }
    assertThat(tasks.sent()).isEqualTo(before);
  }

  @Test
  void readiness_includesTheBroker() {
    Reply reply = api.send(api.request("/readyz").GET().build());

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.json().path("checks").path("tasks").asText()).isEqualTo("ok");
  }

  @Test
  void brokerDown_send503_readiness503(@TempDir Path other) throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort(); // closed again: nothing listens there
    }
    RedisUrl url = RedisUrl.parse("redis://127.0.0.1:" + port + "/3");
    RedisBroker broker = RedisBroker.connect(url);
    RedisResultBackend backend = RedisResultBackend.connect(url);
    try (ApiFixture down =
        ApiFixture.start(
            other,
            ApiFixture.environment(),
            b ->
                b.tasks(
                    new QueueTaskGateway(
                        InProcessTasks.registry(), broker, backend, Clock.systemUTC()),
                    InProcessTasks.REPORT_TASK))) {
      Reply sent =
          down.send(
              down.request("/v1/tasks/add")
                  .header("Authorization", "Bearer " + ApiFixture.KEY)
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString("{\"args\": [1, 2]}"))
                  .build());
      assertThat(sent.problem(503).path("type").asText()).isEqualTo("/problems/unavailable");
      assertThat(down.send(down.request("/readyz").GET().build()).status()).isEqualTo(503);
    } finally {
      backend.close();
      broker.close();
    }
  }

  private static Reply postWithKey(String path, String json, String key) {
    return api.send(
        api.request(path)
            .header("Authorization", "Bearer " + ApiFixture.KEY)
            .header("Content-Type", "application/json")
            .header("Idempotency-Key", key)
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build());
  }

  @Test
  void send_sameIdempotencyKeyAndCall_sendsOnceAndReplaysTheFirstTask() {
    int before = tasks.sent();

    Reply first = postWithKey("/v1/tasks/add", "{\"kwargs\": {\"x\": 1, \"y\": 2}}", "add-once-1");
    // The same call with its members in another order is the same call.
    Reply again = postWithKey("/v1/tasks/add", "{\"kwargs\": {\"y\": 2, \"x\": 1}}", "add-once-1");

    assertThat(first.status()).as("%s", first).isEqualTo(202);
    assertThat(first.header("Idempotent-Replayed")).isNull();
    assertThat(again.status()).as("%s", again).isEqualTo(202);
    assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
    String id = first.json().path("task_id").asText();
    assertThat(again.json().path("task_id").asText()).isEqualTo(id);
    assertThat(again.header("Location")).isEqualTo("/v1/tasks/" + id);
    assertThat(tasks.sent()).isEqualTo(before + 1);
    assertThat(awaitReady(id).path("result").asInt()).isEqualTo(3);
    // Once it has run, a replay answers with its state and result.
    JsonNode replay =
        postWithKey("/v1/tasks/add", "{\"kwargs\": {\"x\": 1, \"y\": 2}}", "add-once-1").json();
    assertThat(replay.path("state").asText()).isEqualTo("SUCCESS");
    assertThat(replay.path("result").asInt()).isEqualTo(3);
  }

  @Test
  void send_sameIdempotencyKeyOtherCall_422AndNothingSent() {
    assertThat(postWithKey("/v1/tasks/add", "{\"args\": [1, 2]}", "add-once-2").status())
        .isEqualTo(202);
    int before = tasks.sent();

    JsonNode otherArgs =
        postWithKey("/v1/tasks/add", "{\"args\": [1, 3]}", "add-once-2").problem(422);
    JsonNode otherTask =
        postWithKey("/v1/tasks/fail", "{\"args\": [\"x\"]}", "add-once-2").problem(422);

    assertThat(otherArgs.path("type").asText()).isEqualTo("/problems/idempotency-key-reused");
    assertThat(otherTask.path("type").asText()).isEqualTo("/problems/idempotency-key-reused");
    assertThat(otherArgs.toString()).doesNotContain("add-once-2");
    assertThat(tasks.sent()).isEqualTo(before);
  }

  @Test
  void send_manyConcurrentCallsWithOneKey_oneTaskSent() throws Exception {
    int before = tasks.sent();
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(8);
    try {
      java.util.List<java.util.concurrent.Future<Reply>> replies = new java.util.ArrayList<>();
      for (int i = 0; i < 16; i++) {
        replies.add(
            pool.submit(() -> postWithKey("/v1/tasks/add", "{\"args\": [5, 5]}", "add-race-1")));
      }
      java.util.Set<String> ids = new java.util.HashSet<>();
      for (java.util.concurrent.Future<Reply> reply : replies) {
        Reply r = reply.get(30, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(r.status()).as("%s", r).isEqualTo(202);
        ids.add(r.json().path("task_id").asText());
      }
      assertThat(ids).hasSize(1);
    } finally {
      pool.shutdownNow();
    }
    assertThat(tasks.sent()).isEqualTo(before + 1);
  }

  @Test
  void send_badIdempotencyKey_400AndNothingSent() {
    int before = tasks.sent();

    JsonNode problem = postWithKey("/v1/tasks/add", "{\"args\": [1, 2]}", "bad key!").problem(400);

    assertThat(problem.path("type").asText()).isEqualTo("/problems/invalid-idempotency-key");
    assertThat(tasks.sent()).isEqualTo(before);
  }
}
