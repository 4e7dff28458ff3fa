package io.securetx.adapter.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.securetx.adapter.http.ApiFixture.Reply;
import io.securetx.crypto.tink.TinkKeyRing;
import io.securetx.vault.Vault;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OpenAPI document served at {@code /openapi.json} describes exactly the routes the server
 * registered, and its example requests get the statuses it documents.
 */
class OpenApiDocumentTest {

  private static final Set<String> METHODS =
      Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");
  private static final Pattern PARAM = Pattern.compile("\\{([^}]+)}");

  @TempDir static Path dir;
  private static ApiFixture api;
  private static JsonNode document;

  @BeforeAll
  static void start() {
    // With the dashboard, as `securetx serve` runs it, so its routes are held to the document too.
    Map<String, String> env = ApiFixture.environment();
    Vault vault = ApiFixture.sqliteVault(dir, TinkKeyRing.generate());
    InProcessTasks tasks = InProcessTasks.create();
    api =
        ApiFixture.start(
            vault,
            env,
            tasks
                .install()
                .andThen(
                    b ->
                        b.module(
                            new Dashboard(
                                vault,
                                ApiFixture.config(env),
                                tasks.gateway(),
                                Clock.systemUTC()))));
    Reply reply = api.send(api.request("/openapi.json").GET().build());
    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.header("Content-Type")).startsWith("application/json");
    document = reply.json();
  }

  @AfterAll
  static void stop() {
    api.close();
  }

  /** "METHOD /path" for every operation of a document. */
  static Set<String> operations(JsonNode doc) {
    Set<String> operations = new TreeSet<>();
    doc.path("paths")
        .fields()
        .forEachRemaining(
            path ->
                path.getValue()
                    .fieldNames()
                    .forEachRemaining(
                        method -> {
                          if (METHODS.contains(method)) {
                            operations.add(
                                method.toUpperCase(java.util.Locale.ROOT) + " " + path.getKey());
                          }
                        }));
    return operations;
  }

  private static Set<String> missingFrom(Set<String> a, List<String> b) {
    Set<String> missing = new TreeSet<>(a);
    b.forEach(missing::remove);
    return missing;
  }

  @Test
  void document_isOpenApi31() {
    assertThat(document.path("openapi").asText()).startsWith("3.1.");
    assertThat(document.path("info").path("title").asText()).isNotBlank();
  }

  @Test
  void document_operations_equalRegisteredRoutes() {
    Set<String> documented = operations(document);
    List<String> registered = api.server.routes();

    assertThat(missingFrom(documented, registered)).as("documented but not registered").isEmpty();
    assertThat(missingFrom(new TreeSet<>(registered), new ArrayList<>(documented)))
        .as("registered but not documented")
        .isEmpty();
    assertThat(documented).hasSizeGreaterThanOrEqualTo(9);
  }

  @Test
  void routes_undocumentedModuleRoute_isCaughtByTheComparison(@TempDir Path other) {
    RouteModule extra =
        routes -> routes.get("/v1/undocumented", ctx -> ApiRoutes.json(ctx, 200, 1));
    try (ApiFixture withExtra =
        ApiFixture.start(other, ApiFixture.environment(), b -> b.module(extra))) {
      assertThat(
              missingFrom(
                  new TreeSet<>(withExtra.server.routes()), new ArrayList<>(operations(document))))
          .containsExactly("GET /v1/undocumented");
    }
  }

  @Test
  void document_everyRefResolves() {
    List<String> refs = new ArrayList<>();
    collectRefs(document, refs);
    assertThat(refs).isNotEmpty();
    for (String ref : refs) {
      assertThat(ref).startsWith("#/");
      assertThat(document.at(ref.substring(1)).isMissingNode()).as("target of %s", ref).isFalse();
    }
  }

  @Test
  void document_pathParameters_matchPlaceholders() {
    document
        .path("paths")
        .fields()
        .forEachRemaining(
            path -> {
              Set<String> placeholders = new TreeSet<>();
              Matcher m = PARAM.matcher(path.getKey());
              while (m.find()) {
                placeholders.add(m.group(1));
              }
              path.getValue()
                  .fields()
                  .forEachRemaining(
                      op -> {
                        Set<String> declared = new TreeSet<>();
                        for (JsonNode p : op.getValue().path("parameters")) {
                          JsonNode param = resolve(p);
                          if (param.path("in").asText().equals("path")) {
                            declared.add(param.path("name").asText());
                          }
                        }
                        assertThat(declared)
                            .as("%s %s", op.getKey(), path.getKey())
                            .isEqualTo(placeholders);
                      });
            });
  }

  @Test
  void examples_getTheirDocumentedStatuses() {
    // A transaction to read back, so the GET example can also be run against a real id.
    Reply created = api.post("{\"user_id\": \"123\", \"amount\": \"1.00\"}", "openapi-example");
    String realId = created.json().path("tx_id").asText();
    int checked = 0;
    for (Iterator<Map.Entry<String, JsonNode>> paths = document.path("paths").fields();
        paths.hasNext(); ) {
      Map.Entry<String, JsonNode> path = paths.next();
      for (Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().fields(); ops.hasNext(); ) {
        Map.Entry<String, JsonNode> op = ops.next();
        for (String id :
            path.getKey().contains("{tx_id}") ? List.of("example", realId) : List.of("")) {
          Reply reply = api.send(exampleRequest(path.getKey(), op.getKey(), op.getValue(), id));
          JsonNode documented =
              op.getValue().path("responses").path(Integer.toString(reply.status()));
          assertThat(documented.isMissingNode())
              .as("%s %s example got an undocumented status: %s", op.getKey(), path.getKey(), reply)
              .isFalse();
          JsonNode response = resolve(documented);
          if (response.has("content")) {
            String type = response.path("content").fieldNames().next();
            assertThat(reply.header("Content-Type")).as("%s", reply).startsWith(type);
            JsonNode schema = resolve(response.path("content").path(type).path("schema"));
            for (JsonNode required : schema.path("required")) {
              assertThat(reply.json().has(required.asText()))
                  .as("%s in %s", required.asText(), reply)
                  .isTrue();
            }
          }
          // The runner has no dashboard session and no CSRF token: such operations must answer a
          // documented refusal (401, 403), and cannot be expected to succeed.
          if (!needsBrowserSession(op.getValue())
              && (id.equals(realId) || !path.getKey().contains("{"))) {
            assertThat(reply.status()).as("%s", reply).isBetween(200, 299);
          }
          checked++;
        }
      }
    }
    assertThat(checked).isGreaterThanOrEqualTo(10);
  }

  /** Whether an operation needs the dashboard's session cookie or its CSRF token. */
  private static boolean needsBrowserSession(JsonNode op) {
    if (op.path("x-csrf-token").asBoolean(false)) {
      return true;
    }
    for (JsonNode requirement : op.path("security")) {
      if (requirement.has("dashboardSession")) {
        return true;
      }
    }
    return false;
  }

  private static HttpRequest exampleRequest(String path, String method, JsonNode op, String txId) {
    String target = path;
    HttpRequest.Builder builder = HttpRequest.newBuilder();
    boolean secured = !op.has("security") || !op.path("security").isEmpty();
    if (secured) {
      builder.header("Authorization", "Bearer " + ApiFixture.KEY);
    }
    for (JsonNode p : op.path("parameters")) {
      JsonNode param = resolve(p);
      String example = param.path("example").asText();
      if (param.path("in").asText().equals("path")) {
        String value = txId.equals("example") || txId.isEmpty() ? example : txId;
        target = target.replace("{" + param.path("name").asText() + "}", value);
      } else if (param.path("in").asText().equals("header")) {
        builder.header(param.path("name").asText(), example + "-" + System.nanoTime());
      }
    }
    HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.noBody();
    JsonNode content = op.path("requestBody").path("content");
    if (content.has("application/json")) {
      JsonNode example = content.path("application/json").path("examples").elements().next();
      body = HttpRequest.BodyPublishers.ofString(example.path("value").toString());
      builder.header("Content-Type", "application/json");
    }
    return builder
        .uri(api.uri(target))
        .method(method.toUpperCase(java.util.Locale.ROOT), body)
        .build();
  }

  private static JsonNode resolve(JsonNode node) {
    JsonNode current = node;
    while (current.has("$ref")) {
      current = document.at(current.path("$ref").asText().substring(1));
    }
    return current;
  }

  private static void collectRefs(JsonNode node, List<String> refs) {
    if (node.has("$ref")) {
      refs.add(node.path("$ref").asText());
    }
    node.elements().forEachRemaining(child -> collectRefs(child, refs));
  }
}
