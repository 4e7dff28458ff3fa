package io.securetx.adapter.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.securetx.adapter.http.ApiFixture.Reply;
import io.securetx.config.ConfigException;
import io.securetx.crypto.tink.TinkKeyRing;
import io.securetx.observability.Metrics;
import io.securetx.vault.Vault;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Authentication, limits, probes, the route seam and shutdown, on a real server. */
class ServerBehaviourTest {

  @TempDir Path dir;

  private static Reply getWith(ApiFixture api, String path, String authorization) {
    HttpRequest.Builder request = api.request(path).GET();
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return api.send(request.build());
  }

  private static boolean refusesConnections(int port) {
    try (java.net.Socket socket = new java.net.Socket()) {
      socket.connect(new java.net.InetSocketAddress("127.0.0.1", port), 1000);
      return false;
    } catch (java.io.IOException e) {
      return true;
    }
  }

  @Test
  void auth_missingHeader_returns401WithBearerChallenge() {
    try (ApiFixture api = ApiFixture.start(dir)) {
      Reply reply = getWith(api, "/v1/vault/verify", null);

      reply.problem(401);
      assertThat(reply.header("WWW-Authenticate")).isEqualTo("Bearer realm=\"securetx\"");
    }
  }

  @Test
  void auth_wrongKey_returns401InvalidTokenWithoutEchoingIt() {
    try (ApiFixture api = ApiFixture.start(dir)) {
      String wrong = ApiFixture.KEY.substring(0, ApiFixture.KEY.length() - 1) + "X";

      Reply reply = getWith(api, "/v1/vault/verify", "Bearer " + wrong);

      reply.problem(401);
      assertThat(reply.header("WWW-Authenticate")).contains("error=\"invalid_token\"");
      assertThat(reply.body()).doesNotContain(wrong).doesNotContain(ApiFixture.KEY);
    }
  }

  @Test
  void auth_seedFormKeyFromApiKeysAndLowercaseScheme_accepted() {
    try (ApiFixture api = ApiFixture.start(dir)) {
      assertThat(getWith(api, "/v1/vault/verify", "Bearer " + ApiFixture.SEED_KEY).status())
          .isEqualTo(200);
      assertThat(getWith(api, "/v1/vault/verify", "bearer " + ApiFixture.KEY).status())
          .isEqualTo(200);
      assertThat(getWith(api, "/v1/vault/verify", "Basic " + ApiFixture.KEY).status())
          .isEqualTo(401);
    }
  }

  @Test
  void auth_keyInOtherCaseOnAConnectionThatSentTheValidOne_refused() {
    try (ApiFixture api = ApiFixture.start(dir)) {
      // HttpClient reuses its connection; Jetty's header cache must not match ignoring case.
      assertThat(getWith(api, "/v1/vault/verify", "Bearer " + ApiFixture.KEY).status())
          .isEqualTo(200);
      String lower = ApiFixture.KEY.toLowerCase(java.util.Locale.ROOT);

      assertThat(getWith(api, "/v1/vault/verify", "Bearer " + lower).status()).isEqualTo(401);
      assertThat(getWith(api, "/v1/vault/verify", "Bearer " + ApiFixture.KEY).status())
          .isEqualTo(200);
    }
  }

  @Test
  void config_keyOfWrongForm_refusedWithoutEchoingIt() {
    Map<String, String> env = ApiFixture.environment();
    env.put("API_KEYS", "hunter2-not-a-key");

    try (Vault vault = ApiFixture.sqliteVault(dir, TinkKeyRing.generate())) {
      assertThatThrownBy(() -> HttpApiServer.builder(vault, ApiFixture.config(env)).build())
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining("API_KEYS entry 1")
          .hasMessageNotContaining("hunter2");
    }
  }

  @Test
  void build_keyOfWrongForm_makesNoMeters() {
    Map<String, String> env = ApiFixture.environment();
    env.put("API_KEYS", "hunter2-not-a-key");
    List<Metrics> made = new ArrayList<>();

    try (Vault vault = ApiFixture.sqliteVault(dir, TinkKeyRing.generate())) {
      assertThatThrownBy(
              () ->
                  HttpApiServer.builder(vault, ApiFixture.config(env))
                      .newMetrics(() -> record(made))
                      .build())
          .isInstanceOf(ConfigException.class);
    } finally {
      made.forEach(Metrics::close);
    }
    assertThat(made).isEmpty();
  }

  @Test
  void build_routeModuleThrows_closesItsOwnMeters() {
    List<Metrics> made = new ArrayList<>();

    try (Vault vault = ApiFixture.sqliteVault(dir, TinkKeyRing.generate())) {
      assertThatThrownBy(
              () ->
                  HttpApiServer.builder(vault, ApiFixture.config(ApiFixture.environment()))
                      .newMetrics(() -> record(made))
                      .module(
                          routes -> {
                            throw new IllegalStateException("module refused");
                          })
                      .build())
          .hasMessageContaining("module refused");
    }
    assertThat(made).singleElement().satisfies(m -> assertThat(m.registry().isClosed()).isTrue());
  }

  private static Metrics record(List<Metrics> made) {
    Metrics metrics = Metrics.create();
    made.add(metrics);
    return metrics;
  }

  @Test
  void config_noKeyAtAll_refused() {
    Map<String, String> env = ApiFixture.environment();
    env.put("API_KEY_V1", "");
    env.remove("API_KEYS");

    assertThatThrownBy(() -> HttpApiServer.checkApiKeys(ApiFixture.config(env)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("no API key");
  }

  @Test
  void rateLimit_burstUsedUp_returns429WithRetryAfterUntilTheClockMoves() {
    Map<String, String> env = ApiFixture.environment();
    env.put("HTTP_RATE_LIMIT", "0.5");
    env.put("HTTP_RATE_BURST", "2");
    MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    try (ApiFixture api = ApiFixture.start(dir, env, b -> b.clock(clock))) {
      assertThat(api.get("/v1/vault/verify").status()).isEqualTo(200);
      assertThat(api.get("/v1/vault/verify").status()).isEqualTo(200);

      Reply limited = api.get("/v1/vault/verify");
      limited.problem(429);
      assertThat(limited.header("Retry-After")).isEqualTo("2");
      // Another key has its own bucket; probes have none.
      assertThat(getWith(api, "/v1/vault/verify", "Bearer " + ApiFixture.SEED_KEY).status())
          .isEqualTo(200);
      assertThat(getWith(api, "/healthz", null).status()).isEqualTo(200);

      clock.advance(Duration.ofSeconds(1));
      assertThat(api.get("/v1/vault/verify").status()).isEqualTo(429);
      clock.advance(Duration.ofSeconds(1));
      assertThat(api.get("/v1/vault/verify").status()).isEqualTo(200);
    }
  }

  @Test
  void probes_needNoKey() {
    try (ApiFixture api = ApiFixture.start(dir)) {
      Reply health = getWith(api, "/healthz", null);
      Reply ready = getWith(api, "/readyz", null);

      assertThat(health.status()).isEqualTo(200);
      assertThat(health.json().path("status").asText()).isEqualTo("ok");
      assertThat(ready.status()).as("%s", ready).isEqualTo(200);
      assertThat(ready.json().path("checks").path("vault").asText()).isEqualTo("ok");
      assertThat(ready.json().path("checks").path("api_keys").asText()).isEqualTo("ok");
    }
  }

  @Test
  void readyz_vaultClosed_returns503NamingTheCheck() {
    try (ApiFixture api = ApiFixture.start(dir)) {
      api.vault.close();

      JsonNode problem = getWith(api, "/readyz", null).problem(503);

      assertThat(problem.path("checks").path("vault").asText()).isNotEqualTo("ok");
      assertThat(problem.path("checks").path("api_keys").asText()).isEqualTo("ok");
    }
  }

  @Test
  void readyz_failingExtraCheck_returns503() {
    try (ApiFixture api =
        ApiFixture.start(
            dir, ApiFixture.environment(), b -> b.readiness("broker", () -> "broker down"))) {
      JsonNode problem = getWith(api, "/readyz", null).problem(503);

      assertThat(problem.path("checks").path("broker").asText()).isEqualTo("broker down");
    }
  }

  @Test
  void errors_unknownRouteAndWrongMethod_areProblems() {
    try (ApiFixture api = ApiFixture.start(dir)) {
      api.get("/v2/nothing").problem(404);
      Reply wrongMethod =
          api.send(
              api.request("/healthz")
                  .method("DELETE", HttpRequest.BodyPublishers.noBody())
                  .build());
      wrongMethod.problem(405);
      assertThat(wrongMethod.header("Allow")).contains("GET");
    }
  }

  @Test
  void errors_methodOverrideHeader_refused() {
    try (ApiFixture api = ApiFixture.start(dir)) {
      Reply reply =
          api.send(
              api.request("/v1/vault/verify")
                  .header("Authorization", "Bearer " + ApiFixture.KEY)
                  .header("X-HTTP-Method-Override", "POST")
                  .GET()
                  .build());

      reply.problem(400);
    }
  }

  @Test
  void module_addsAuthenticatedAndPublicRoutes_listedByRoutes() {
    RouteModule module =
        routes ->
            routes
                .get("/v1/echo-key", ctx -> ApiRoutes.json(ctx, 200, ApiRoutes.apiKeyId(ctx)))
                .publicGet("/v1/public", ctx -> ApiRoutes.json(ctx, 200, "open"));
    try (ApiFixture api = ApiFixture.start(dir, ApiFixture.environment(), b -> b.module(module))) {
      assertThat(getWith(api, "/v1/echo-key", null).status()).isEqualTo(401);
      assertThat(api.get("/v1/echo-key").json().asText()).matches("key_[0-9a-f]{12}");
      assertThat(getWith(api, "/v1/public", null).json().asText()).isEqualTo("open");
      assertThat(api.server.routes()).contains("GET /v1/echo-key", "GET /v1/public");
    }
  }

  @Test
  void close_requestInFlight_isAnsweredBeforeServicesAndVaultClose() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    List<String> events = new ArrayList<>();
    AtomicBoolean serviceRunning = new AtomicBoolean();
    BackgroundService service =
        new BackgroundService() {
          @Override
          public void start() {
            serviceRunning.set(true);
            events.add("service started");
          }

          @Override
          public void close() {
            serviceRunning.set(false);
            synchronized (events) {
              events.add("service closed");
            }
          }
        };
    RouteModule slow =
        routes ->
            routes.get(
                "/v1/slow",
                ctx -> {
                  entered.countDown();
                  release.await(30, TimeUnit.SECONDS);
                  synchronized (events) {
                    events.add("request answered");
                  }
                  ApiRoutes.json(ctx, 200, Map.of("service_running", serviceRunning.get()));
                });
    ApiFixture api =
        ApiFixture.start(dir, ApiFixture.environment(), b -> b.module(slow).service(service));
    CompletableFuture<Reply> inFlight = CompletableFuture.supplyAsync(() -> api.get("/v1/slow"));
    assertThat(entered.await(30, TimeUnit.SECONDS)).isTrue();

    CompletableFuture<Void> closing = CompletableFuture.runAsync(api.server::close);
    // The server is draining: readiness fails, and close waits for the request.
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !closing.isDone());
    release.countDown();
    Reply reply = inFlight.get(30, TimeUnit.SECONDS);
    closing.get(30, TimeUnit.SECONDS);
    api.vault.close();

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.json().path("service_running").asBoolean()).isTrue();
    assertThat(events).containsExactly("service started", "request answered", "service closed");
  }
}
