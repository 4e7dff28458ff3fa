package io.securetx.adapter.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.securetx.adapter.http.ApiFixture.Reply;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The transaction routes over a real server and a SQLite vault. */
class TransactionApiTest {

  private static final String SEED =
      "{\"user_id\": \"123\", \"amount\": \"100.00\", \"currency\": \"USD\"}";

  @TempDir Path dir;
  private ApiFixture api;

  @BeforeEach
  void start() {
    api = ApiFixture.start(dir);
  }

  @AfterEach
  void stop() {
    api.close();
  }

  @Test
  void post_seedExample_returns201WithReceiptAndLocation() {
    Reply reply = api.post(SEED, "order-1");

    assertThat(reply.status()).as("%s", reply).isEqualTo(201);
    assertThat(reply.header("Content-Type")).startsWith("application/json");
    JsonNode receipt = reply.json();
    assertThat(receipt.path("status").asText()).isEqualTo("success");
    assertThat(receipt.path("tx_id").asText()).startsWith("tx_");
    assertThat(receipt.path("signature").asText()).matches("[0-9a-f]{64,}");
    assertThat(receipt.path("ledger_seq").asLong()).isEqualTo(1);
    assertThat(receipt.path("created_at").asText()).endsWith("Z");
    assertThat(receipt.has("replayed")).isFalse();
    assertThat(reply.header("Location"))
        .isEqualTo("/v1/transactions/" + receipt.path("tx_id").asText());
    assertThat(reply.header("Idempotent-Replayed")).isNull();
    assertThat(reply.header("Cache-Control")).isEqualTo("no-store");
    assertThat(api.entries()).isEqualTo(1);
  }

  @Test
  void post_defaultCurrency_usedWhenAbsent() {
    Reply reply = api.post("{\"user_id\": \"u-1\", \"amount\": \"5\"}", "k-default");

    assertThat(reply.status()).as("%s", reply).isEqualTo(201);
    JsonNode shown = api.get(reply.header("Location")).json();
    assertThat(shown.path("currency").asText()).isEqualTo("USD");
    assertThat(shown.path("amount").asText()).isEqualTo("5.00");
  }

  @Test
  void post_replaySameKeyAndPayload_sameStatusAndBodyAndReplayedHeader() {
    Reply first = api.post(SEED, "order-2");
    // The same request written differently is the same request: 100.0 USD is 100.00 USD.
    Reply replay =
        api.post("{\"currency\":\"USD\",\"amount\":\"100.0\",\"user_id\":\"123\"}", "order-2");

    assertThat(replay.status()).isEqualTo(first.status()).isEqualTo(201);
    assertThat(replay.body()).isEqualTo(first.body());
    assertThat(replay.header("Location")).isEqualTo(first.header("Location"));
    assertThat(replay.header("Idempotent-Replayed")).isEqualTo("true");
    assertThat(first.header("Idempotent-Replayed")).isNull();
    assertThat(api.entries()).isEqualTo(1);
  }

  @Test
  void post_quotedIdempotencyKey_sameKeyAsBare() {
    Reply bare = api.post(SEED, "order-3");
    Reply quoted = api.post(SEED, "\"order-3\"");

    assertThat(quoted.body()).isEqualTo(bare.body());
    assertThat(quoted.header("Idempotent-Replayed")).isEqualTo("true");
    assertThat(api.entries()).isEqualTo(1);
  }

  @Test
  void post_sameKeyDifferentPayload_returns422AndStoresNothing() {
    api.post(SEED, "order-4");

    JsonNode problem =
        api.post("{\"user_id\": \"123\", \"amount\": \"100.01\"}", "order-4").problem(422);

    assertThat(problem.path("type").asText()).isEqualTo("/problems/idempotency-key-reused");
    assertThat(problem.path("instance").asText()).isEqualTo("/v1/transactions");
    assertThat(api.entries()).isEqualTo(1);
  }

  @Test
  void post_differentKeys_storeTwoTransactions() {
    api.post(SEED, "order-5a");
    Reply second = api.post(SEED, "order-5b");

    assertThat(second.json().path("ledger_seq").asLong()).isEqualTo(2);
    assertThat(api.entries()).isEqualTo(2);
  }

  @Test
  void post_missingIdempotencyKey_returns400NamingTheHeader() {
    Reply reply =
        api.send(
            api.request("/v1/transactions")
                .header("Authorization", "Bearer " + ApiFixture.KEY)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(SEED))
                .build());

    JsonNode problem = reply.problem(400);
    assertThat(problem.path("type").asText()).isEqualTo("/problems/invalid-idempotency-key");
    assertThat(problem.path("errors").get(0).path("rule").asText())
        .isEqualTo("idempotency_key.required");
    assertThat(api.entries()).isZero();
  }

  @Test
  void post_amountAsJsonNumber_returns422ExplainingStrings() {
    JsonNode problem = api.post("{\"user_id\": \"123\", \"amount\": 100.00}", "k-num").problem(422);

    assertThat(problem.path("type").asText()).isEqualTo("/problems/validation-error");
    assertThat(problem.path("errors").get(0).path("field").asText()).isEqualTo("amount");
    assertThat(problem.path("errors").get(0).path("rule").asText()).isEqualTo("amount.type");
    assertThat(problem.path("detail").asText()).contains("JSON string");
    assertThat(api.entries()).isZero();
  }

  @Test
  void post_everyFieldInvalid_listsEveryError() {
    JsonNode problem =
        api.post(
                "{\"user_id\": \" padded \", \"amount\": \"1.001\", \"currency\": \"usd\"}",
                "k-all")
            .problem(422);

    assertThat(problem.path("errors").findValuesAsText("rule"))
        .containsExactly("user_id.whitespace", "currency.format");
    JsonNode again =
        api.post("{\"user_id\": \" padded \", \"amount\": \"1.001\"}", "k-all").problem(422);
    assertThat(again.path("errors").findValuesAsText("rule"))
        .containsExactly("user_id.whitespace", "amount.scale");
    assertThat(api.entries()).isZero();
  }

  @Test
  void post_unknownAndMissingFields_listsEach() {
    JsonNode problem = api.post("{\"amount\": \"1.00\", \"memo\": \"x\"}", "k-extra").problem(422);

    assertThat(problem.path("errors").findValuesAsText("rule"))
        .containsExactlyInAnyOrder("field.unknown", "user_id.required");
    assertThat(api.entries()).isZero();
  }

  @Test
  void get_storedTransaction_returnsItOpenedAndVerified() {
    String location = api.post(SEED, "order-6").header("Location");

    Reply reply = api.get(location);

    assertThat(reply.status()).as("%s", reply).isEqualTo(200);
    JsonNode tx = reply.json();
    assertThat(tx.path("user_id").asText()).isEqualTo("123");
    assertThat(tx.path("amount").asText()).isEqualTo("100.00");
    assertThat(tx.path("currency").asText()).isEqualTo("USD");
    assertThat(tx.path("verified").asBoolean()).isTrue();
    assertThat("/v1/transactions/" + tx.path("tx_id").asText()).isEqualTo(location);
  }

  @Test
  void get_unknownTransaction_returns404Problem() {
    JsonNode problem =
        api.get("/v1/transactions/tx_0192f3a4-5b6c-7d8e-9f01-23456789abcd").problem(404);

    assertThat(problem.path("type").asText()).isEqualTo("/problems/transaction-not-found");
  }

  @Test
  void get_malformedTransactionId_returns400Problem() {
    JsonNode problem = api.get("/v1/transactions/tx_not-an-id").problem(400);

    assertThat(problem.path("errors").get(0).path("rule").asText()).isEqualTo("tx_id.format");
  }

  @Test
  void verify_intactVault_returnsSummary() {
    api.post(SEED, "order-7");
    api.post(SEED, "order-8");

    Reply reply = api.get("/v1/vault/verify");

    assertThat(reply.status()).as("%s", reply).isEqualTo(200);
    assertThat(reply.json().path("status").asText()).isEqualTo("ok");
    assertThat(reply.json().path("entries").asLong()).isEqualTo(2);
    assertThat(reply.json().path("records_opened").asBoolean()).isTrue();
  }

  @Test
  void verifyAndShow_tamperedRecord_return500IntegrityProblemNamingTheSeq() throws Exception {
    api.post(SEED, "order-9");
    String second = api.post(SEED, "order-10").header("Location");
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("vault.db"));
        Statement s = c.createStatement()) {
      s.executeUpdate(
          "UPDATE ledger_entry SET ciphertext = zeroblob(1) || substr(ciphertext, 2)"
              + " WHERE seq = 2");
    }

    JsonNode verify = api.get("/v1/vault/verify").problem(500);
    JsonNode show = api.get(second).problem(500);

    assertThat(verify.path("type").asText()).isEqualTo("/problems/integrity-failure");
    assertThat(verify.path("seq").asLong()).isEqualTo(2);
    assertThat(verify.path("reason").asText()).isNotBlank();
    assertThat(show.path("type").asText()).isEqualTo("/problems/integrity-failure");
  }
}
