package io.securetx.adapter.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.securetx.adapter.http.ApiFixture.Reply;
import io.securetx.observability.LogCapture;
import io.securetx.observability.Prometheus;
import io.securetx.task.broker.BrokerStats;
import io.securetx.task.redis.RedisBroker;
import io.securetx.task.redis.RedisUrl;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code /metrics}, the correlation ids of log lines and the audit events, on a real server. */
class ObservabilityApiTest {

  private static final String BODY = "{\"user_id\": \"123\", \"amount\": \"10.00\"}";

  @TempDir Path dir;
  private LogCapture logs;
  private ApiFixture api;
  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final AtomicInteger brokerReads = new AtomicInteger();
  private Supplier<BrokerStats> brokerSource = () -> stats(Map.of("celery", 3L));

  @BeforeEach
  void start() {
    logs = LogCapture.start();
    api =
        ApiFixture.start(
            dir,
            ApiFixture.environment(),
            b ->
                b.clock(clock)
                    .brokerStats(
                        () -> {
                          brokerReads.incrementAndGet();
                          return brokerSource.get();
                        }));
  }

  @AfterEach
  void stop() {
    api.close();
    logs.close();
  }

  private Reply metrics() {
    Reply reply = api.send(api.request("/metrics").GET().build());
    assertThat(reply.status()).as("%s", reply).isEqualTo(200);
    return reply;
  }

  private double value(String name, Map<String, String> labels) {
    return Prometheus.value(metrics().body(), name, labels);
  }

  @Test
  void metrics_noApiKey_prometheusTextWithJvmBasics() {
    Reply reply = metrics();

    assertThat(reply.header("Content-Type")).startsWith("text/plain");
    assertThat(reply.body())
        .contains("# TYPE securetx_tasks_scheduled gauge")
        .contains("jvm_memory_used_bytes")
        .contains("process_uptime_seconds")
        .contains("jvm_threads_live_threads");
  }

  @Test
  void transactions_eachOutcome_counted() {
    assertThat(value("securetx_transactions_total", Map.of("outcome", "created"))).isZero();

    api.post(BODY, "order-1");
    api.post(BODY, "order-1");
    api.post("{\"user_id\": \"123\", \"amount\": \"11.00\"}", "order-1");
    api.post("{\"user_id\": \"123\", \"amount\": 11}", "order-2");
    api.post("{\"user_id\": \"123\", \"amount\": \"-5\"}", "order-3");

    assertThat(value("securetx_transactions_total", Map.of("outcome", "created"))).isEqualTo(1);
    assertThat(value("securetx_transactions_total", Map.of("outcome", "replayed"))).isEqualTo(1);
    assertThat(value("securetx_transactions_total", Map.of("outcome", "conflict"))).isEqualTo(1);
    assertThat(value("securetx_transactions_total", Map.of("outcome", "rejected"))).isEqualTo(2);
    assertThat(api.entries()).isEqualTo(1);
  }

  @Test
  void requests_timedByRouteTemplate_neverByRawPath() {
    String txId = api.post(BODY, "order-7").json().path("tx_id").asText();
    api.get("/v1/transactions/" + txId);
    api.get("/v1/transactions/" + txId);
    api.get("/no/such/route/secretive-path-segment");

    String scrape = metrics().body();
    assertThat(
            Prometheus.value(
                scrape,
                "http_server_requests_seconds_count",
                Map.of("method", "GET", "route", "/v1/transactions/{tx_id}", "status", "200")))
        .isEqualTo(2);
    assertThat(
            Prometheus.value(
                scrape,
                "http_server_requests_seconds_count",
                Map.of("method", "POST", "route", "/v1/transactions", "status", "201")))
        .isEqualTo(1);
    assertThat(
            Prometheus.value(
                scrape,
                "http_server_requests_seconds_count",
                Map.of("route", "unmatched", "status", "404")))
        .isEqualTo(1);
    assertThat(scrape)
        .contains("http_server_requests_seconds_bucket{method=\"GET\",route=\"/v1/transactions/")
        .contains("le=\"0.25\"")
        .doesNotContain(txId)
        .doesNotContain("secretive-path-segment");
  }

  @Test
  void brokerGauges_scrapedOften_readTheBrokerOncePerTwoSeconds() {
    metrics();
    metrics();
    metrics();
    assertThat(brokerReads.get()).isEqualTo(1);
    assertThat(value("securetx_queue_depth", Map.of("queue", "celery"))).isEqualTo(3);
    assertThat(value("securetx_workers_alive", Map.of())).isZero();

    brokerSource = () -> stats(Map.of("celery", 8L, "emails", 1L));
    clock.advance(Duration.ofSeconds(3));
    String scrape = metrics().body();

    assertThat(brokerReads.get()).isEqualTo(2);
    assertThat(Prometheus.value(scrape, "securetx_queue_depth", Map.of("queue", "celery")))
        .isEqualTo(8);
    assertThat(Prometheus.value(scrape, "securetx_queue_depth", Map.of("queue", "emails")))
        .isEqualTo(1);
    assertThat(Prometheus.value(scrape, "securetx_broker_up", Map.of())).isEqualTo(1);
    assertThat(Prometheus.value(scrape, "securetx_tasks_dead", Map.of())).isEqualTo(2);
  }

  @Test
  void brokerGauges_brokerDown_upIsZeroAndScrapeStillAnswers() {
    brokerSource =
        () -> {
          throw new io.securetx.task.broker.BrokerException("connection refused");
        };

    assertThat(value("securetx_broker_up", Map.of())).isZero();
  }

  @Test
  void brokerGauges_realRedis_readFromItsStats() {
    try (RedisBroker broker = RedisBroker.connect(RedisUrl.parse("redis://127.0.0.1:6379/3"))) {
      brokerSource = () -> broker.stats(List.of("observability-test"));
      clock.advance(Duration.ofSeconds(3));

      String scrape = metrics().body();

      assertThat(Prometheus.value(scrape, "securetx_broker_up", Map.of())).isEqualTo(1);
      assertThat(scrape).contains("securetx_queue_depth{queue=\"observability-test\"} 0.0");
    }
  }

  @Test
  void logLines_aTransactionStoredAndShown_carryRequestKeyAndTransactionIds() {
    Reply created = api.post(BODY, "order-9");
    String txId = created.json().path("tx_id").asText();
    Reply shown = api.get("/v1/transactions/" + txId);

    JsonNode stored = only(line -> line.path("msg").asText().startsWith("transaction stored"));
    assertThat(stored.path("tx_id").asText()).isEqualTo(txId);
    assertThat(stored.path("key_id").asText()).startsWith("key_");
    assertThat(stored.path("request_id").asText()).isEqualTo(created.header("X-Request-Id"));
    assertThat(stored.path("level").asText()).isEqualTo("INFO");
    assertThat(stored.path("ts").asText()).endsWith("Z");
    assertThat(shown.header("X-Request-Id"))
        .isNotBlank()
        .isNotEqualTo(created.header("X-Request-Id"));
  }

  @Test
  void logLines_aClientSendsItsOwnRequestId_notEchoed() {
    Reply reply =
        api.send(api.request("/healthz").header("X-Request-Id", "client-chosen-id").GET().build());

    assertThat(reply.header("X-Request-Id")).isNotEqualTo("client-chosen-id").isNotBlank();
  }

  @Test
  void audit_nearMissKey_failureEventWithRouteAndAddressButNoKey() {
    String nearMiss = ApiFixture.KEY.substring(0, ApiFixture.KEY.length() - 1) + "X";
    Reply reply =
        api.send(
            api.request("/v1/transactions/tx_00000000-0000-7000-8000-000000000001")
                .header("Authorization", "Bearer " + nearMiss)
                .GET()
                .build());
    api.send(api.request("/v1/vault/verify").GET().build());

    assertThat(reply.status()).isEqualTo(401);
    List<JsonNode> events = logs.audit("auth.api_key");
    assertThat(events).hasSize(2);
    JsonNode invalid = events.get(0);
    assertThat(invalid.path("outcome").asText()).isEqualTo("failure");
    assertThat(invalid.path("reason").asText()).isEqualTo("invalid");
    assertThat(invalid.path("remote_addr").asText()).isEqualTo("127.0.0.1");
    assertThat(invalid.path("route").asText()).isEqualTo("GET /v1/transactions/{tx_id}");
    assertThat(invalid.path("level").asText()).isEqualTo("WARN");
    assertThat(invalid.path("request_id").asText()).isEqualTo(reply.header("X-Request-Id"));
    assertThat(events.get(1).path("reason").asText()).isEqualTo("missing");
    assertThat(logs.text()).doesNotContain(nearMiss).doesNotContain(ApiFixture.KEY);
    assertThat(value("securetx_auth_failures_total", Map.of("reason", "invalid"))).isEqualTo(1);
  }

  @Test
  void audit_vaultVerified_successEventWithKeyIdAndEntries() {
    api.post(BODY, "order-10");

    Reply reply = api.get("/v1/vault/verify");

    assertThat(reply.status()).isEqualTo(200);
    JsonNode event = logs.audit("vault.verify").get(0);
    assertThat(event.path("outcome").asText()).isEqualTo("success");
    assertThat(event.path("source").asText()).isEqualTo("http");
    assertThat(event.path("entries").asLong()).isEqualTo(1);
    assertThat(event.path("key_id").asText()).startsWith("key_");
  }

  private JsonNode only(java.util.function.Predicate<JsonNode> which) {
    List<JsonNode> found = logs.lines().stream().filter(which).toList();
    assertThat(found).as("log lines in\n%s", logs.text()).hasSize(1);
    return found.get(0);
  }

  private static BrokerStats stats(Map<String, Long> queues) {
    return new BrokerStats(queues, 0, 0, 2, List.of());
  }
}
