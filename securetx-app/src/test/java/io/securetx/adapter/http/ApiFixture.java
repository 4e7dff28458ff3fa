package io.securetx.adapter.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.securetx.adapter.sql.DatabaseUrl;
import io.securetx.adapter.sql.SqlLedgerStore;
import io.securetx.config.ConfigLoader;
import io.securetx.config.SecureTxConfig;
import io.securetx.crypto.tink.TinkKeyRing;
import io.securetx.ledger.LedgerIntegrityException;
import io.securetx.ledger.LedgerOptions;
import io.securetx.ledger.LedgerStore;
import io.securetx.vault.Vault;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A real server on a free loopback port over a real vault, and a real HTTP client. Tests build one
 * per test (or per class), send requests and look at the vault afterwards.
 */
final class ApiFixture implements AutoCloseable {

  /** A valid key in the new form. */
  static final String KEY = "stx_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8";

  /** A second key, from API_KEYS, in the seed's form. */
  static final String SEED_KEY = "sk_live_9f8e7d6c5b4a39281706";

  static final ObjectMapper JSON = new ObjectMapper();

  final Vault vault;
  final HttpApiServer server;
  final HttpClient client;
  final URI base;

  private ApiFixture(Vault vault, HttpApiServer server) {
    this.vault = vault;
    this.server = server;
    this.client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    this.base = URI.create("http://127.0.0.1:" + server.port());
  }

  /** The environment every fixture starts from; tests may add to it. */
  static Map<String, String> environment() {
    Map<String, String> env = new HashMap<>();
    env.put("API_KEY_V1", KEY);
    env.put("API_KEYS", SEED_KEY);
    env.put("HTTP_RATE_LIMIT", "0");
    return env;
  }

  static SecureTxConfig config(Map<String, String> env) {
    return ConfigLoader.load(env);
  }

  /** A vault on a SQLite file in {@code dir}. */
  static Vault sqliteVault(Path dir, TinkKeyRing keys) {
    LedgerStore store =
        SqlLedgerStore.open(
            DatabaseUrl.sqlite(dir.resolve("vault.db")), Clock.systemUTC(), Duration.ofHours(1));
    return new Vault(keys, store, Clock.systemUTC(), LedgerOptions.DEFAULT);
  }

  static ApiFixture start(Path dir) {
    return start(dir, environment(), builder -> {});
  }

  static ApiFixture start(
      Path dir, Map<String, String> env, Consumer<HttpApiServer.Builder> customize) {
    return start(sqliteVault(dir, TinkKeyRing.generate()), env, customize);
  }

  static ApiFixture start(
      Vault vault, Map<String, String> env, Consumer<HttpApiServer.Builder> customize) {
    HttpApiServer.Builder builder =
        HttpApiServer.builder(vault, config(env)).host("127.0.0.1").port(0);
    customize.accept(builder);
    HttpApiServer server = builder.build().start();
    return new ApiFixture(vault, server);
  }

  URI uri(String pathAndQuery) {
    return URI.create(base + pathAndQuery);
  }

  HttpRequest.Builder request(String pathAndQuery) {
    return HttpRequest.newBuilder(uri(pathAndQuery)).timeout(Duration.ofSeconds(30));
  }

  /** A POST of a JSON body with a valid key and the given idempotency key. */
  Reply post(String json, String idempotencyKey) {
    return send(
        request("/v1/transactions")
            .header("Authorization", "Bearer " + KEY)
            .header("Content-Type", "application/json")
            .header("Idempotency-Key", idempotencyKey)
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build());
  }

  Reply get(String path) {
    return send(request(path).header("Authorization", "Bearer " + KEY).GET().build());
  }

  Reply send(HttpRequest request) {
    try {
      return new Reply(client.send(request, HttpResponse.BodyHandlers.ofByteArray()));
    } catch (IOException e) {
      throw new AssertionError("request failed: " + request, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /** The number of entries in the vault, after verifying all of it. */
  long entries() {
    try {
      return vault.verify().entries();
    } catch (LedgerIntegrityException e) {
      throw new AssertionError("the vault does not verify", e);
    }
  }

  @Override
  public void close() {
    server.close();
    vault.close();
  }

  /** One response. */
  record Reply(HttpResponse<byte[]> response) {

    int status() {
      return response.statusCode();
    }

    String body() {
      return new String(response.body(), java.nio.charset.StandardCharsets.UTF_8);
    }

    JsonNode json() {
      try {
        return JSON.readTree(response.body());
      } catch (IOException e) {
        throw new AssertionError("not JSON: " + this, e);
      }
    }

    String header(String name) {
      return response.headers().firstValue(name).orElse(null);
    }

    /** Asserts an RFC 9457 problem with this status, and returns its document. */
    JsonNode problem(int expectedStatus) {
      assertThat(status()).as("status of %s", this).isEqualTo(expectedStatus);
      return problemDocument();
    }

    /** Asserts the body is a well-formed problem document whose status matches the response. */
    JsonNode problemDocument() {
      assertThat(header("Content-Type"))
          .as("content type of %s", this)
          .startsWith("application/problem+json");
      JsonNode doc = json();
      assertThat(doc.path("type").isTextual()).as("type of %s", this).isTrue();
      assertThat(doc.path("title").isTextual()).as("title of %s", this).isTrue();
      assertThat(doc.path("status").asInt()).as("status member of %s", this).isEqualTo(status());
      assertThat(doc.path("detail").isTextual()).as("detail of %s", this).isTrue();
      assertThat(doc.path("instance").isTextual()).as("instance of %s", this).isTrue();
      assertThat(body()).as("body of %s", this).doesNotContain("Exception").doesNotContain("\tat ");
      return doc;
    }

    @Override
    public String toString() {
      return response.request().method()
          + " "
          + response.request().uri()
          + " "
          + response.request().headers().map().keySet()
          + " -> "
          + status()
          + " "
          + response.headers().map()
          + " "
          + body();
    }
  }
}
