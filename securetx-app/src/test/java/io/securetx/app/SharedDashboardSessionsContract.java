package io.securetx.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.securetx.adapter.cli.CliContext.ServeOptions;
import io.securetx.adapter.http.HttpApiServer;
import io.securetx.session.SessionKey;
import io.securetx.vault.Vault;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two servers wired as {@code securetx serve} wires them, on one vault database and one data
 * directory (one master key), as behind a load balancer without sticky sessions: a login form
 * fetched from one is posted to the other, the session works on both, logout on one ends it on
 * both, and when the database loses the sessions both refuse with 503. Real HTTP, no mocks.
 */
abstract class SharedDashboardSessionsContract {

  private static final String PASSWORD = "correct horse battery staple";
  private static final String KEY = "stx_" + "SharedSessions0123456789abcdefghij";
  private static final Pattern HIDDEN_CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]*)\"");
  private static final Pattern META_CSRF =
      Pattern.compile("<meta name=\"csrf-token\" content=\"([^\"]*)\">");
  private static final Duration TIMEOUT = Duration.ofSeconds(20);

  @TempDir Path dataDir;
  private final List<AutoCloseable> resources = new ArrayList<>();
  private final HttpClient http =
      HttpClient.newBuilder()
          .followRedirects(HttpClient.Redirect.NEVER)
          .connectTimeout(TIMEOUT)
          .build();
  private String a;
  private String b;

  /** What the environment adds to point both servers at the database under test. */
  protected abstract Map<String, String> database(Path dataDir);

  /** A plain connection to that database, for looking at the rows. */
  protected abstract Connection connect(Path dataDir) throws SQLException;

  @BeforeEach
  void startTwoServers() {
    a = startServer();
    b = startServer();
  }

  @AfterEach
  void stopServers() throws Exception {
    for (int i = resources.size() - 1; i >= 0; i--) {
      resources.get(i).close();
    }
  }

  private String startServer() {
    Map<String, String> env = new HashMap<>();
    env.put("SECURETX_DATA_DIR", dataDir.toString());
    env.put("REPORT_DIR", dataDir.resolve("reports").toString());
    env.put("API_KEY_V1", KEY);
    env.put("ADMIN_PASSWORD", PASSWORD);
    env.put("HTTP_RATE_LIMIT", "0");
    env.putAll(database(dataDir));
    Application app = new Application(env, Clock.systemUTC());
    Vault vault = app.openVault();
    resources.add(vault);
    HttpApiServer server = app.httpServer(vault, app.config(), new ServeOptions("127.0.0.1", 0));
    resources.add(server);
    server.start();
    return "http://127.0.0.1:" + server.port();
  }

  // ---- HTTP

  private HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      return http.send(request.timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new AssertionError("request failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  private HttpResponse<String> get(String server, String path, String cookie) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server + path)).GET();
    if (!cookie.isEmpty()) {
      request.header("Cookie", cookie);
    }
    return send(request);
  }

  private HttpResponse<String> post(
      String server, String path, String cookie, String type, String body, String... headers) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(server + path))
            .header("Content-Type", type)
            .header("Cookie", cookie)
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (headers.length > 0) {
      request.headers(headers);
    }
    return send(request);
  }

  private static String cookie(HttpResponse<String> reply, String name) {
    List<String> all = reply.headers().allValues("Set-Cookie");
    String cookie =
        all.stream()
            .filter(c -> c.startsWith(name + "="))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no " + name + " cookie in " + all));
    return cookie.substring(0, cookie.indexOf(';'));
  }

  private static String find(Pattern pattern, String html) {
    Matcher m = pattern.matcher(html);
    assertThat(m.find()).as("%s in %s", pattern, html).isTrue();
    return m.group(1);
  }

  private static String form(String csrf, String password) {
    return "csrf="
        + URLEncoder.encode(csrf, StandardCharsets.UTF_8)
        + "&password="
        + URLEncoder.encode(password, StandardCharsets.UTF_8);
  }

  /** Fetches the login form from one server and posts it to the other; the session cookie. */
  private String loginAcross(String formFrom, String postTo) {
    HttpResponse<String> page = get(formFrom, "/", "");
    assertThat(page.statusCode()).isEqualTo(200);
    String pre = cookie(page, "securetx_login");
    HttpResponse<String> login =
        post(
            postTo,
            "/dashboard/login",
            pre,
            "application/x-www-form-urlencoded",
            form(find(HIDDEN_CSRF, page.body()), PASSWORD));
    assertThat(login.statusCode()).as(login.body()).isEqualTo(303);
    return cookie(login, "securetx_session");
  }

  private String csrf(String server, String session) {
    HttpResponse<String> page = get(server, "/", session);
    assertThat(page.statusCode()).isEqualTo(200);
    return find(META_CSRF, page.body());
  }

  // ---- tests

  @Test
  void loginFormFromA_postedToB_sessionServesA_logoutOnB_endsItOnA() {
    String session = loginAcross(a, b);

    HttpResponse<String> overview = get(a, "/dashboard/api/overview", session);
    assertThat(overview.statusCode()).as(overview.body()).isEqualTo(200);
    assertThat(overview.body()).contains("\"vault\"");
    String token = csrf(b, session);
    assertThat(csrf(a, session)).isEqualTo(token);
    HttpResponse<String> verified =
        post(a, "/dashboard/api/verify", session, "application/json", "{}", "X-CSRF-Token", token);
    assertThat(verified.statusCode()).as(verified.body()).isEqualTo(200);
    assertThat(verified.body()).contains("\"status\":\"ok\"");

    HttpResponse<String> logout =
        post(
            b,
            "/dashboard/logout",
            session,
            "application/x-www-form-urlencoded",
            "csrf=" + URLEncoder.encode(token, StandardCharsets.UTF_8));
    assertThat(logout.statusCode()).as(logout.body()).isEqualTo(303);

    HttpResponse<String> after = get(a, "/dashboard/api/overview", session);
    assertThat(after.statusCode()).isEqualTo(401);
    assertThat(after.body()).contains("login-required");
    assertThat(get(a, "/", session).body()).contains("action=\"/dashboard/login\"");
    assertThat(
            post(
                    a,
                    "/dashboard/api/verify",
                    session,
                    "application/json",
                    "{}",
                    "X-CSRF-Token",
                    token)
                .statusCode())
        .isEqualTo(401);
  }

  @Test
  void loginFormFromB_postedToA_worksToo_andAWrongTokenFailsOnBoth() {
    assertThat(get(b, "/dashboard/api/overview", loginAcross(b, a)).statusCode()).isEqualTo(200);

    HttpResponse<String> page = get(a, "/", "");
    String pre = cookie(page, "securetx_login");
    for (String server : List.of(a, b)) {
      HttpResponse<String> forged =
          post(
              server,
              "/dashboard/login",
              pre,
              "application/x-www-form-urlencoded",
              form(find(HIDDEN_CSRF, page.body()) + "x", PASSWORD));
      assertThat(forged.statusCode()).isEqualTo(403);
      assertThat(forged.headers().allValues("Set-Cookie"))
          .noneMatch(c -> c.startsWith("securetx_session="));
    }
  }

  @Test
  void database_holdsTheHashOfTheSessionId_neverTheIdOrItsToken() throws SQLException {
    String session = loginAcross(a, b);
    String id = session.substring("securetx_session=".length());
    String token = csrf(a, session);

    List<String> rows = new ArrayList<>();
    try (Connection c = connect(dataDir);
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery("SELECT key_hash, created_at, last_seen_at FROM dashboard_session")) {
      while (rs.next()) {
        rows.add(rs.getString(1) + " " + rs.getLong(2) + " " + rs.getLong(3));
      }
    }
    assertThat(rows).hasSize(1);
    assertThat(rows.get(0))
        .startsWith(SessionKey.of(id).hash() + " ")
        .doesNotContain(id)
        .doesNotContain(token);
  }

  @Test
  void sessionsLost_bothServersRefuseWith503_neverLetThrough() throws SQLException {
    String session = loginAcross(a, b);
    String token = csrf(a, session);
    HttpResponse<String> page = get(b, "/", "");
    String pre = cookie(page, "securetx_login");
    try (Connection c = connect(dataDir);
        Statement s = c.createStatement()) {
      s.execute("DROP TABLE dashboard_session");
    }

    for (String server : List.of(a, b)) {
      HttpResponse<String> html = get(server, "/", session);
      assertThat(html.statusCode()).isEqualTo(503);
      assertThat(html.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
      assertThat(html.headers().firstValue("Retry-After")).contains("5");
      assertThat(html.body())
          .contains("session store")
          .doesNotContain("csrf-token")
          .doesNotContain("type=\"password\"")
          .doesNotContain("Exception")
          .doesNotContain("dashboard_session");

      HttpResponse<String> overview = get(server, "/dashboard/api/overview", session);
      assertThat(overview.statusCode()).isEqualTo(503);
      assertThat(overview.headers().firstValue("Content-Type").orElse(""))
          .startsWith("application/problem+json");
      assertThat(overview.body())
          .contains("sessions-unavailable")
          .doesNotContain("Exception")
          .doesNotContain("dashboard_session");

      HttpResponse<String> verify =
          post(
              server,
              "/dashboard/api/verify",
              session,
              "application/json",
              "{}",
              "X-CSRF-Token",
              token);
      assertThat(verify.statusCode()).isEqualTo(503);
      assertThat(verify.body()).doesNotContain("\"status\":\"ok\"");

      HttpResponse<String> login =
          post(
              server,
              "/dashboard/login",
              pre,
              "application/x-www-form-urlencoded",
              form(find(HIDDEN_CSRF, page.body()), PASSWORD));
      assertThat(login.statusCode()).isEqualTo(503);
      assertThat(login.headers().allValues("Set-Cookie"))
          .noneMatch(c -> c.startsWith("securetx_session="));
    }
  }
}
