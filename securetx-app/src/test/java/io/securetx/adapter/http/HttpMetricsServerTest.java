package io.securetx.adapter.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.securetx.observability.Metrics;
import io.securetx.observability.Prometheus;
import io.securetx.task.Accumulate;
import io.securetx.task.TaskRegistry;
import io.securetx.task.client.TaskClient;
import io.securetx.task.memory.InMemoryBroker;
import io.securetx.task.memory.InMemoryResultBackend;
import io.securetx.task.worker.Worker;
import io.securetx.task.worker.WorkerOptions;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The metrics port on a real socket, scraped over HTTP while a real worker (on the in-memory
 * broker) runs tasks into the same meters, as {@code securetx worker --metrics-port} wires them.
 */
@Timeout(60)
class HttpMetricsServerTest {

  private static final Duration WAIT = Duration.ofSeconds(20);

  private final Clock clock = Clock.systemUTC();
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final AtomicBoolean healthy = new AtomicBoolean(true);
  private Metrics metrics;
  private HttpMetricsServer server;

  @BeforeEach
  void start() {
    metrics = Metrics.create();
    server = HttpMetricsServer.start("127.0.0.1", 0, metrics, healthy::get);
  }

  @AfterEach
  void stop() {
    server.close();
    metrics.close();
  }

  @Test
  void stalledClients_areCutOff_soHealthzStillAnswers() throws Exception {
    // Each sends the first byte of a request and nothing more: without a time limit each would hold
    // one of the two threads for good.
    List<Socket> stalled = new java.util.ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        Socket socket = new Socket("127.0.0.1", server.port());
        socket.getOutputStream().write('G');
        socket.getOutputStream().flush();
        stalled.add(socket);
      }
      await()
          .atMost(Duration.ofSeconds(3L * HttpMetricsServer.MAX_REQUEST_SECONDS + 10))
          .ignoreExceptions()
          .until(() -> send("GET", "/healthz").statusCode() == 200);
      for (Socket socket : stalled) {
        assertThat(closedByServer(socket)).as("the server closed the stalled connection").isTrue();
      }
    } finally {
      for (Socket socket : stalled) {
        socket.close();
      }
    }
  }

  /**
   * Whether the server closed the connection: end of stream, or a reset (the server closed it with
   * our unread byte in its buffer). A read that times out means it is still open.
   */
  private static boolean closedByServer(Socket socket) throws IOException {
    socket.setSoTimeout(30_000);
    try {
      return socket.getInputStream().read() == -1;
    } catch (java.net.SocketTimeoutException e) {
      return false;
    } catch (java.net.SocketException e) {
      return true;
    }
  }

  private HttpResponse<String> send(String method, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
            .timeout(Duration.ofSeconds(10))
            .method(method, HttpRequest.BodyPublishers.noBody())
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private String scrape() throws Exception {
    HttpResponse<String> reply = send("GET", "/metrics");
    assertThat(reply.statusCode()).as(reply.body()).isEqualTo(200);
    return reply.body();
  }

  private static double tasks(String scrape, String task, String state) {
    return Prometheus.value(scrape, "securetx_tasks_total", Map.of("task", task, "state", state));
  }

  @Test
  void metrics_workerRanTasks_countersMovedByExactlyThoseRun_withQueueGauges() throws Exception {
    InMemoryBroker broker = new InMemoryBroker(clock);
    metrics.brokerStats(() -> broker.stats(List.of("celery")), clock, Duration.ofSeconds(2));
    InMemoryResultBackend backend = new InMemoryResultBackend();
    TaskRegistry registry =
        TaskRegistry.builder().register(Accumulate.NAME, new Accumulate()).build();
    Worker worker =
        new Worker(
            WorkerOptions.defaults().withConcurrency(2),
            broker,
            backend,
            registry,
            clock,
            metrics.taskObserver());
    String before = scrape();
    double accumulated = tasks(before, "celery.accumulate", "SUCCESS");
    double unknown = tasks(before, "no.such.task", "FAILURE");
    worker.start();
    try {
      TaskClient client = new TaskClient(broker, backend, clock);
      for (int i = 0; i < 5; i++) {
        client.task("celery.accumulate").args(i).publish();
      }
      client.task("no.such.task").publish();

      await()
          .atMost(WAIT)
          .untilAsserted(
              () -> {
                String scrape = scrape();
                assertThat(tasks(scrape, "celery.accumulate", "SUCCESS") - accumulated)
                    .isEqualTo(5);
                assertThat(tasks(scrape, "no.such.task", "FAILURE") - unknown).isEqualTo(1);
              });
    } finally {
      worker.close();
    }
    HttpResponse<String> reply = send("GET", "/metrics");
    assertThat(reply.headers().firstValue("Content-Type"))
        .hasValue("text/plain; version=0.0.4; charset=utf-8");
    assertThat(reply.body())
        .contains("securetx_queue_depth{queue=\"celery\"} 0.0")
        .contains("# TYPE securetx_broker_up gauge")
        .contains(
            "securetx_task_runtime_seconds_count{state=\"SUCCESS\",task=\"celery.accumulate\"")
        .contains("jvm_memory_used_bytes");
    assertThat(tasks(reply.body(), "celery.accumulate", "FAILURE")).isZero();
  }

  @Test
  void healthz_answersWhatTheProcessSays() throws Exception {
    HttpResponse<String> up = send("GET", "/healthz");
    healthy.set(false);
    HttpResponse<String> down = send("GET", "/healthz");

    assertThat(up.statusCode()).isEqualTo(200);
    assertThat(up.body()).contains("\"ok\"");
    assertThat(down.statusCode()).isEqualTo(503);
  }

  @Test
  void otherPaths_404() throws Exception {
    for (String path : List.of("/", "/metrics/", "/metricsx", "/v1/transactions", "/healthz/x")) {
      assertThat(send("GET", path).statusCode()).as(path).isEqualTo(404);
    }
  }

  @Test
  void otherMethods_405WithAllowGet() throws Exception {
    for (String method : List.of("POST", "PUT", "DELETE", "HEAD")) {
      HttpResponse<String> reply = send(method, "/metrics");
      assertThat(reply.statusCode()).as(method).isEqualTo(405);
      assertThat(reply.headers().firstValue("Allow")).as(method).hasValue("GET");
    }
    assertThat(send("POST", "/healthz").statusCode()).isEqualTo(405);
  }

  @Test
  void start_portTaken_refusedNamingTheAddress() throws IOException {
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress("127.0.0.1", 0));
      int port = taken.getLocalPort();

      assertThatThrownBy(() -> HttpMetricsServer.start("127.0.0.1", port, metrics, () -> true))
          .isInstanceOf(HttpServerException.class)
          .hasMessageContaining("cannot listen on 127.0.0.1:" + port);
    }
  }

  @Test
  void close_portRefusesConnectionsAndIsFreeAgain() throws Exception {
    int port = server.port();
    assertThat(send("GET", "/healthz").statusCode()).isEqualTo(200);

    server.close();

    assertThatThrownBy(() -> new Socket("127.0.0.1", port).close())
        .isInstanceOf(ConnectException.class);
    try (ServerSocket again = new ServerSocket()) {
      again.bind(new InetSocketAddress("127.0.0.1", port));
      assertThat(again.getLocalPort()).isEqualTo(port);
    }
  }

  @Test
  void url_namesTheBoundPort() {
    assertThat(server.url()).isEqualTo("http://127.0.0.1:" + server.port() + "/metrics");
  }
}
