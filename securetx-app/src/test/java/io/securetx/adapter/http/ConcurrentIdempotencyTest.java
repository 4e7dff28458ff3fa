package io.securetx.adapter.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.securetx.adapter.http.ApiFixture.Reply;
import io.securetx.adapter.sql.DatabaseUrl;
import io.securetx.adapter.sql.SqlLedgerStore;
import io.securetx.crypto.tink.TinkKeyRing;
import io.securetx.ledger.LedgerOptions;
import io.securetx.vault.Vault;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two requests with one idempotency key at the same time store one transaction. */
class ConcurrentIdempotencyTest {

  private static final String BODY = "{\"user_id\": \"123\", \"amount\": \"100.00\"}";

  @TempDir Path dir;

  @Test
  void post_sameKeyWhileFirstInFlight_returns409ThenReplayReturnsFirstResult() throws Exception {
    GatedLedgerStore store =
        new GatedLedgerStore(
            SqlLedgerStore.open(
                DatabaseUrl.sqlite(dir.resolve("vault.db")),
                Clock.systemUTC(),
                Duration.ofHours(1)));
    Vault vault =
        new Vault(TinkKeyRing.generate(), store, Clock.systemUTC(), LedgerOptions.DEFAULT);
    try (ApiFixture api = ApiFixture.start(vault, ApiFixture.environment(), b -> {})) {
      CountDownLatch entered = store.closeGate();
      CompletableFuture<Reply> first = CompletableFuture.supplyAsync(() -> api.post(BODY, "k-1"));
      assertThat(entered.await(30, TimeUnit.SECONDS)).isTrue();

      Reply second = api.post(BODY, "k-1");
      store.open();
      Reply firstReply = first.get(30, TimeUnit.SECONDS);
      Reply replay = api.post(BODY, "k-1");

      assertThat(second.problem(409).path("type").asText())
          .isEqualTo("/problems/request-in-progress");
      assertThat(second.header("Retry-After")).isEqualTo("1");
      assertThat(firstReply.status()).isEqualTo(201);
      assertThat(replay.status()).isEqualTo(201);
      assertThat(replay.body()).isEqualTo(firstReply.body());
      assertThat(replay.header("Idempotent-Replayed")).isEqualTo("true");
      assertThat(api.entries()).isEqualTo(1);
    }
  }

  @Test
  void post_twoAtOnceWithOneKey_oneTransactionAndOnlyAllowedOutcomes() throws Exception {
    try (ApiFixture api = ApiFixture.start(dir)) {
      // Separate clients, so the two requests travel on separate connections.
      HttpClient a = HttpClient.newHttpClient();
      HttpClient b = HttpClient.newHttpClient();
      int rounds = 30;
      int conflicts = 0;
      for (int round = 0; round < rounds; round++) {
        String key = "race-" + round;
        CyclicBarrier start = new CyclicBarrier(2);
        CompletableFuture<HttpResponse<String>> one = race(api, a, key, start);
        CompletableFuture<HttpResponse<String>> two = race(api, b, key, start);
        List<HttpResponse<String>> replies =
            List.of(one.get(30, TimeUnit.SECONDS), two.get(30, TimeUnit.SECONDS));

        List<Integer> statuses = replies.stream().map(HttpResponse::statusCode).sorted().toList();
        assertThat(statuses)
            .as("round %d: %s", round, replies)
            .isIn(List.of(201, 201), List.of(201, 409));
        HttpResponse<String> created =
            replies.stream().filter(r -> r.statusCode() == 201).findFirst().orElseThrow();
        if (statuses.equals(List.of(201, 201))) {
          // Both got the one result: same body, and exactly one of them says it is a replay.
          assertThat(replies.get(0).body()).isEqualTo(replies.get(1).body());
          assertThat(
                  replies.stream()
                      .filter(r -> r.headers().firstValue("Idempotent-Replayed").isPresent())
                      .count())
              .as("round %d", round)
              .isEqualTo(1);
        } else {
          conflicts++;
          HttpResponse<String> busy =
              replies.stream().filter(r -> r.statusCode() == 409).findFirst().orElseThrow();
          assertThat(busy.body()).contains("/problems/request-in-progress");
          assertThat(created.headers().firstValue("Idempotent-Replayed")).isEmpty();
        }
        assertThat(api.entries()).as("entries after round %d", round).isEqualTo(round + 1);
      }
      System.out.printf("%d of %d races ended in a 409%n", conflicts, rounds);
    }
  }

  private static CompletableFuture<HttpResponse<String>> race(
      ApiFixture api, HttpClient client, String key, CyclicBarrier start) {
    return CompletableFuture.supplyAsync(
        () -> {
          HttpRequest request =
              api.request("/v1/transactions")
                  .header("Authorization", "Bearer " + ApiFixture.KEY)
                  .header("Content-Type", "application/json")
                  .header("Idempotency-Key", key)
                  .POST(HttpRequest.BodyPublishers.ofString(BODY))
                  .build();
          try {
            start.await(30, TimeUnit.SECONDS);
            return client.send(request, HttpResponse.BodyHandlers.ofString());
          } catch (Exception e) {
            throw new AssertionError(e);
          }
        });
  }
}
