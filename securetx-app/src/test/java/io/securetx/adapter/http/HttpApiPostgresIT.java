package io.securetx.adapter.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.securetx.adapter.http.ApiFixture.Reply;
import io.securetx.adapter.sql.PostgresSchema;
import io.securetx.adapter.sql.SqlLedgerStore;
import io.securetx.crypto.tink.TinkKeyRing;
import io.securetx.ledger.LedgerOptions;
import io.securetx.vault.Vault;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The HTTP API over a PostgreSQL vault (a fresh schema per test). */
class HttpApiPostgresIT {

  private static final String SEED = "{\"user_id\": \"123\", \"amount\": \"100.00\"}";

  private PostgresSchema schema;
  private ApiFixture api;

  @BeforeEach
  void start() {
    schema = PostgresSchema.create();
    Vault vault =
        new Vault(
            TinkKeyRing.generate(),
            SqlLedgerStore.open(schema.url(), Clock.systemUTC(), Duration.ofHours(1)),
            Clock.systemUTC(),
            LedgerOptions.DEFAULT);
    api = ApiFixture.start(vault, ApiFixture.environment(), b -> {});
  }

  @AfterEach
  void stop() {
    api.close();
    schema.drop();
  }

  @Test
  void post_thenGet_roundTripsThroughPostgres() {
    Reply created = api.post(SEED, "pg-1");
    Reply shown = api.get(created.header("Location"));

    assertThat(created.status()).as("%s", created).isEqualTo(201);
    assertThat(shown.status()).isEqualTo(200);
    assertThat(shown.json().path("amount").asText()).isEqualTo("100.00");
    assertThat(shown.json().path("verified").asBoolean()).isTrue();
  }

  @Test
  void idempotency_replayAndConflict_onPostgres() {
    Reply first = api.post(SEED, "pg-2");
    Reply replay = api.post(SEED, "pg-2");
    Reply conflict = api.post("{\"user_id\": \"124\", \"amount\": \"100.00\"}", "pg-2");

    assertThat(replay.status()).isEqualTo(201);
    assertThat(replay.body()).isEqualTo(first.body());
    assertThat(replay.header("Idempotent-Replayed")).isEqualTo("true");
    assertThat(conflict.problem(422).path("type").asText())
        .isEqualTo("/problems/idempotency-key-reused");
    assertThat(api.entries()).isEqualTo(1);
  }

  @Test
  void verify_afterSeveralTransactions_reportsThemAll() {
    for (int i = 0; i < 5; i++) {
      assertThat(api.post(SEED, "pg-v-" + i).status()).isEqualTo(201);
    }

    Reply verify = api.get("/v1/vault/verify");

    assertThat(verify.status()).as("%s", verify).isEqualTo(200);
    assertThat(verify.json().path("entries").asLong()).isEqualTo(5);
    assertThat(verify.json().path("records_opened").asBoolean()).isTrue();
  }
}
