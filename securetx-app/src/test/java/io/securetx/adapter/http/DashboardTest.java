package io.securetx.adapter.http;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import io.securetx.adapter.http.ApiFixture.Reply;
import io.securetx.config.Secret;
import io.securetx.config.SecureTxConfig;
import io.securetx.crypto.tink.TinkKeyRing;
import io.securetx.vault.Vault;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The dashboard over a real server and a real SQLite vault: login, cookies, CSRF, expiry, the
 * overview's content and masking.
 */
class DashboardTest {

  static final String PASSWORD = "correct horse battery staple";
  private static final Pattern HIDDEN_CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]*)\"");
  private static final Pattern META_CSRF =
      Pattern.compile("<meta name=\"csrf-token\" content=\"([^\"]*)\">");
  private static final Duration IDLE = Duration.ofMinutes(10);
  private static final Duration ABSOLUTE = Duration.ofMinutes(25);

  @TempDir Path dir;
  private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
  private ApiFixture api;
  private final ListAppender<ILoggingEvent> audit = new ListAppender<>();
  private final Logger auditLogger = (Logger) LoggerFactory.getLogger("io.securetx.audit");

  private ch.qos.logback.classic.Level auditLevel;

  @BeforeEach
  void start() {
    auditLevel = auditLogger.getLevel();
    auditLogger.setLevel(ch.qos.logback.classic.Level.INFO);
    audit.start();
    auditLogger.addAppender(audit);
    api = start(dir, ApiFixture.config(env()));
  }

  @AfterEach
  void stop() {
    auditLogger.detachAppender(audit);
    auditLogger.setLevel(auditLevel);
    if (api != null) {
      api.close();
    }
  }

  private static Map<String, String> env() {
    Map<String, String> env = ApiFixture.environment();
    env.put("ADMIN_PASSWORD", PASSWORD);
    return env;
  }

  private ApiFixture start(Path where, SecureTxConfig config) {
    Vault vault = ApiFixture.sqliteVault(where, TinkKeyRing.generate());
    return ApiFixture.start(
        vault, env(), b -> b.module(new Dashboard(vault, config, null, clock, IDLE, ABSOLUTE)));
  }

  /** Restarts the fixture with a real in-process task queue behind the dashboard. */
  private InProcessTasks withTasks(Path where) {
    api.close();
    InProcessTasks tasks = InProcessTasks.create();
    Vault vault = ApiFixture.sqliteVault(where, TinkKeyRing.generate());
    SecureTxConfig config = ApiFixture.config(env());
    api =
        ApiFixture.start(
            vault,
            env(),
            tasks
                .install()
                .andThen(
                    b ->
                        b.module(
                            new Dashboard(vault, config, tasks.gateway(), clock, IDLE, ABSOLUTE))));
    return tasks;
  }

  // ---- helpers

  /** The login page's pre-session cookie and form token. */
  record LoginForm(String cookie, String token) {}

  private LoginForm loginForm() {
    Reply page = api.send(api.request("/").GET().build());
    assertThat(page.status()).isEqualTo(200);
    return new LoginForm(cookieValue(page, Dashboard.LOGIN_COOKIE), hidden(page.body()));
  }

  private Reply postLogin(LoginForm form, String password, @Nullable String token) {
    return send(
        "/dashboard/login",
        "csrf=" + enc(token == null ? "" : token) + "&password=" + enc(password),
        "application/x-www-form-urlencoded",
        Map.of("Cookie", Dashboard.LOGIN_COOKIE + "=" + form.cookie()));
  }

  /** Logs in; returns the session cookie's value. */
  private String login() {
    LoginForm form = loginForm();
    Reply reply = postLogin(form, PASSWORD, form.token());
    assertThat(reply.status()).as("%s", reply).isEqualTo(303);
    assertThat(reply.header("Location")).isEqualTo("/");
    return cookieValue(reply, Dashboard.SESSION_COOKIE);
  }

  private Reply get(String path, @Nullable String session) {
    HttpRequest.Builder b = api.request(path).GET();
    if (session != null) {
      b.header("Cookie", Dashboard.SESSION_COOKIE + "=" + session);
    }
    return api.send(b.build());
  }

  private String csrf(String session) {
    Reply page = get("/", session);
    Matcher m = META_CSRF.matcher(page.body());
    assertThat(m.find()).as("csrf meta in %s", page.body()).isTrue();
    return m.group(1);
  }

  private Reply send(String path, String body, String type, Map<String, String> headers) {
    HttpRequest.Builder b =
        api.request(path)
            .header("Content-Type", type)
            .POST(HttpRequest.BodyPublishers.ofString(body));
    headers.forEach(b::header);
    return api.send(b.build());
  }

  private Reply postJson(String path, String session, @Nullable String token, String body) {
    return token == null
        ? send(
            path,
            body,
            "application/json",
            Map.of("Cookie", Dashboard.SESSION_COOKIE + "=" + session))
        : send(
            path,
            body,
            "application/json",
            Map.of(
                "Cookie", Dashboard.SESSION_COOKIE + "=" + session, Dashboard.CSRF_HEADER, token));
  }

  private static String hidden(String html) {
    Matcher m = HIDDEN_CSRF.matcher(html);
    assertThat(m.find()).as("csrf field in %s", html).isTrue();
    return m.group(1);
  }

  private static String setCookie(Reply reply, String name) {
    List<String> all = reply.response().headers().allValues("Set-Cookie");
    return all.stream()
        .filter(c -> c.startsWith(name + "="))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + name + " cookie in " + all));
  }

  private static String cookieValue(Reply reply, String name) {
    String cookie = setCookie(reply, name);
    return cookie.substring(name.length() + 1, cookie.indexOf(';'));
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  /** Every audit event so far: its message followed by its key-value pairs. */
  private List<String> auditMessages() {
    return audit.list.stream()
        .map(
            e ->
                e.getFormattedMessage()
                    + (e.getKeyValuePairs() == null
                        ? ""
                        : e.getKeyValuePairs().stream()
                            .map(kv -> " " + kv.key + "=" + kv.value)
                            .reduce("", String::concat)))
        .toList();
  }

  // ---- page

  @Test
  void page_withoutSession_isTheLoginFormUnderAStrictPolicy() {
    Reply page = api.send(api.request("/").GET().build());

    assertThat(page.status()).isEqualTo(200);
    assertThat(page.header("Content-Type")).startsWith("text/html");
    assertThat(page.header("Content-Security-Policy"))
        .contains("default-src 'self'")
        .contains("frame-ancestors 'none'")
        .contains("script-src 'self'")
        .doesNotContain("unsafe-inline");
    assertThat(page.body()).contains("action=\"/dashboard/login\"").contains("type=\"password\"");
    assertThat(setCookie(page, Dashboard.LOGIN_COOKIE))
        .contains("HttpOnly")
        .contains("SameSite=Strict")
        .contains("Path=/")
        .doesNotContain("Secure");
  }

  @Test
  void pages_haveNoInlineScriptStyleOrExternalFetch() {
    String session = login();
    for (String html : List.of(get("/", null).body(), get("/", session).body())) {
      assertThat(html).doesNotContainPattern("<script(?![^>]*\\ssrc=)").doesNotContain("style=");
      assertThat(html).doesNotContainPattern("\\son[a-z]+=").doesNotContain("http://");
      assertThat(html).doesNotContain("https://");
    }
    Reply js = get("/dashboard/assets/dashboard.js", null);
    assertThat(js.status()).isEqualTo(200);
    assertThat(js.header("Content-Type")).startsWith("text/javascript");
    assertThat(js.body())
        .doesNotContain("http")
        .doesNotContain("innerHTML")
        .doesNotContain("eval(");
    Reply css = get("/dashboard/assets/dashboard.css", null);
    assertThat(css.header("Content-Type")).startsWith("text/css");
    assertThat(css.body()).doesNotContain("url(").doesNotContain("@import");
  }

  // ---- login

  @Test
  void login_rightPassword_setsAStrictSessionCookieAndOpensTheDashboard() {
    LoginForm form = loginForm();
    Reply reply = postLogin(form, PASSWORD, form.token());

    assertThat(reply.status()).isEqualTo(303);
    String cookie = setCookie(reply, Dashboard.SESSION_COOKIE);
    assertThat(cookie)
        .matches("securetx_session=[A-Za-z0-9_-]{43}; .*")
        .contains("HttpOnly")
        .contains("SameSite=Strict")
        .contains("Path=/")
        .doesNotContain("Secure")
        .doesNotContain("Max-Age");
    String session = cookieValue(reply, Dashboard.SESSION_COOKIE);
    Reply page = get("/", session);
    assertThat(page.body()).contains("Recent transactions").contains("Verify now");
    assertThat(auditMessages()).anyMatch(m -> m.contains("event=dashboard.login outcome=success"));
    assertThat(auditMessages()).noneMatch(m -> m.contains(PASSWORD));
  }

  @Test
  void login_twice_givesDifferentSessionIds() {
    assertThat(login()).isNotEqualTo(login());
  }

  @Test
  void login_wrongPassword_401FormAgain_noSession_audited() {
    LoginForm form = loginForm();
    Reply reply = postLogin(form, "wrong-password-guess", form.token());

    assertThat(reply.status()).isEqualTo(401);
    assertThat(reply.body()).contains("Wrong password").contains("action=\"/dashboard/login\"");
    assertThat(reply.response().headers().allValues("Set-Cookie"))
        .noneMatch(c -> c.startsWith(Dashboard.SESSION_COOKIE + "=") && !c.contains("Max-Age=0"));
    assertThat(auditMessages())
        .anyMatch(m -> m.contains("event=dashboard.login outcome=failure"))
        .noneMatch(m -> m.contains("wrong-password-guess"));
    ILoggingEvent event = audit.list.get(audit.list.size() - 1);
    assertThat(event.getKeyValuePairs())
        .anyMatch(kv -> kv.key.equals("event") && "dashboard.login".equals(kv.value))
        .anyMatch(kv -> kv.key.equals("outcome") && "failure".equals(kv.value));
  }

  @Test
  void login_missingOrWrongCsrf_403Problem_andNoSessionEvenWithTheRightPassword() {
    LoginForm form = loginForm();
    for (String token : new String[] {null, "", form.token() + "x", loginForm().token()}) {
      Reply reply = postLogin(form, PASSWORD, token);
      reply.problem(403);
      assertThat(reply.response().headers().allValues("Set-Cookie"))
          .noneMatch(c -> c.startsWith(Dashboard.SESSION_COOKIE));
    }
    assertThat(auditMessages()).noneMatch(m -> m.contains("outcome=success"));
  }

  @Test
  void login_fromAnotherOrigin_403Problem_noSession() {
    LoginForm form = loginForm();
    for (Map<String, String> headers :
        List.of(
            Map.of("Origin", "http://evil.example"),
            Map.of("Sec-Fetch-Site", "cross-site"),
            Map.of("Sec-Fetch-Site", "same-site"))) {
      Map<String, String> all = new java.util.HashMap<>(headers);
      all.put("Cookie", Dashboard.LOGIN_COOKIE + "=" + form.cookie());
      Reply reply =
          send(
              "/dashboard/login",
              "csrf=" + enc(form.token()) + "&password=" + enc(PASSWORD),
              "application/x-www-form-urlencoded",
              all);
      reply.problem(403);
    }
    assertThat(auditMessages()).noneMatch(m -> m.contains("outcome=success"));
  }

  @Test
  void login_sameOriginHeaders_areAccepted() {
    LoginForm form = loginForm();
    Reply reply =
        send(
            "/dashboard/login",
            "csrf=" + enc(form.token()) + "&password=" + enc(PASSWORD),
            "application/x-www-form-urlencoded",
            Map.of(
                "Cookie", Dashboard.LOGIN_COOKIE + "=" + form.cookie(),
                "Origin", "http://127.0.0.1:" + api.server.port(),
                "Sec-Fetch-Site", "same-origin"));
    assertThat(reply.status()).as("%s", reply).isEqualTo(303);
  }

  @Test
  void login_repeatedFailures_areThrottledPerAddress_untilTheWaitPasses() {
    LoginForm form = loginForm();
    for (int i = 0; i < LoginThrottle.FREE_FAILURES; i++) {
      assertThat(postLogin(form, "guess-" + i, form.token()).status()).isEqualTo(401);
    }
    Reply throttled = postLogin(form, PASSWORD, form.token());
    throttled.problem(429);
    assertThat(throttled.header("Retry-After")).isEqualTo("1");
    assertThat(auditMessages())
        .anyMatch(
            m ->
                m.contains("event=dashboard.login outcome=failure")
                    && m.contains("reason=throttled"));

    clock.advance(Duration.ofSeconds(1));
    assertThat(postLogin(form, "guess-again", form.token()).status()).isEqualTo(401);
    Reply longer = postLogin(form, PASSWORD, form.token());
    longer.problem(429);
    assertThat(longer.header("Retry-After")).isEqualTo("2");

    clock.advance(Duration.ofSeconds(2));
    assertThat(postLogin(form, PASSWORD, form.token()).status()).isEqualTo(303);
  }

  @Test
  void login_parallelGuesses_getNoMoreTriesThanSerialOnes() throws Exception {
    LoginForm form = loginForm();
    int guesses = 12;
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(guesses);
    try {
      java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
      List<java.util.concurrent.Future<Integer>> replies = new java.util.ArrayList<>();
      for (int i = 0; i < guesses; i++) {
        String guess = "parallel-guess-" + i;
        replies.add(
            pool.submit(
                () -> {
                  go.await();
                  return postLogin(form, guess, form.token()).status();
                }));
      }
      go.countDown();
      List<Integer> statuses = new java.util.ArrayList<>();
      for (java.util.concurrent.Future<Integer> reply : replies) {
        statuses.add(reply.get(30, java.util.concurrent.TimeUnit.SECONDS));
      }
      assertThat(statuses.stream().filter(st -> st == 401).count())
          .isEqualTo(LoginThrottle.FREE_FAILURES);
      assertThat(statuses.stream().filter(st -> st == 429).count())
          .isEqualTo(guesses - LoginThrottle.FREE_FAILURES);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void login_placeholderPasswordInProduction_isRefused(@TempDir Path other) {
    Vault vault = ApiFixture.sqliteVault(other, TinkKeyRing.generate());
    Dashboard production =
        new Dashboard(
            vault, Secret.of("your-strong-admin-password"), true, null, clock, IDLE, ABSOLUTE);
    try (ApiFixture prod = ApiFixture.start(vault, env(), b -> b.module(production))) {
      ApiFixture saved = api;
      api = prod;
      try {
        Reply page = api.send(api.request("/").GET().build());
        assertThat(page.status()).isEqualTo(503);
        assertThat(page.body()).contains("disabled").doesNotContain("type=\"password\"");
        Reply login =
            send(
                "/dashboard/login",
                "password=your-strong-admin-password",
                "application/x-www-form-urlencoded",
                Map.of());
        login.problem(503);
      } finally {
        api = saved;
      }
    }
  }

  @Test
  void login_overTls_marksBothCookiesSecure_andAcceptsTheHttpsOrigin(@TempDir Path other)
      throws Exception {
    Map<String, String> env = env();
    env.put("HTTP_TLS_KEYSTORE", io.securetx.adapter.smtp.TestCertificate.keystore().toString());
    env.put("HTTP_TLS_KEYSTORE_PASSWORD", io.securetx.adapter.smtp.TestCertificate.PASSWORD);
    SecureTxConfig config = ApiFixture.config(env);
    Vault vault = ApiFixture.sqliteVault(other, TinkKeyRing.generate());
    try (ApiFixture tls =
        ApiFixture.start(
            vault, env, b -> b.module(new Dashboard(vault, config, null, clock, IDLE, ABSOLUTE)))) {
      java.net.http.HttpClient client = HttpsTest.trustingClient();
      String origin = "https://localhost:" + tls.server.port();
      java.net.http.HttpResponse<String> page =
          client.send(
              HttpRequest.newBuilder(java.net.URI.create(origin + "/")).build(),
              java.net.http.HttpResponse.BodyHandlers.ofString());
      String pre = page.headers().firstValue("Set-Cookie").orElseThrow();
      assertThat(pre).startsWith(Dashboard.LOGIN_COOKIE + "=").contains("; Secure");
      java.net.http.HttpResponse<String> login =
          client.send(
              HttpRequest.newBuilder(java.net.URI.create(origin + "/dashboard/login"))
                  .header("Cookie", pre.substring(0, pre.indexOf(';')))
                  .header("Content-Type", "application/x-www-form-urlencoded")
                  .header("Origin", origin)
                  .header("Sec-Fetch-Site", "same-origin")
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          "csrf=" + enc(hidden(page.body())) + "&password=" + enc(PASSWORD)))
                  .build(),
              java.net.http.HttpResponse.BodyHandlers.ofString());
      assertThat(login.statusCode()).as(login.body()).isEqualTo(303);
      assertThat(login.headers().allValues("Set-Cookie"))
          .anyMatch(
              c ->
                  c.startsWith(Dashboard.SESSION_COOKIE + "=")
                      && c.contains("; Secure")
                      && c.contains("HttpOnly")
                      && c.contains("SameSite=Strict"));
    }
  }

  /** Runs {@code body} against a second server whose environment has {@code extra} added. */
  private void withServer(Path where, Map<String, String> extra, Runnable body) {
    Map<String, String> env = env();
    env.putAll(extra);
    SecureTxConfig config = ApiFixture.config(env);
    Vault vault = ApiFixture.sqliteVault(where, TinkKeyRing.generate());
    try (ApiFixture other =
        ApiFixture.start(
            vault, env, b -> b.module(new Dashboard(vault, config, null, clock, IDLE, ABSOLUTE)))) {
      ApiFixture saved = api;
      api = other;
      try {
        body.run();
      } finally {
        api = saved;
      }
    }
  }

  /** A login as a browser behind a TLS-terminating proxy sends it. */
  private Reply proxiedLogin(String password) {
    Reply page = api.send(api.request("/").header("X-Forwarded-Proto", "https").GET().build());
    LoginForm form = new LoginForm(cookieValue(page, Dashboard.LOGIN_COOKIE), hidden(page.body()));
    return send(
        "/dashboard/login",
        "csrf=" + enc(form.token()) + "&password=" + enc(password),
        "application/x-www-form-urlencoded",
        Map.of(
            "Cookie", Dashboard.LOGIN_COOKIE + "=" + form.cookie(),
            "Origin", "https://127.0.0.1:" + api.server.port(),
            "Sec-Fetch-Site", "same-origin",
            "X-Forwarded-Proto", "https",
            "X-Forwarded-For", "203.0.113.7"));
  }

  @Test
  void login_behindATlsProxy_withTrustForwarded_acceptsTheHttpsOrigin_andSetsSecure(
      @TempDir Path other) {
    withServer(
        other,
        Map.of("HTTP_TRUST_FORWARDED", "true"),
        () -> {
          Reply page =
              api.send(api.request("/").header("X-Forwarded-Proto", "https").GET().build());
          assertThat(setCookie(page, Dashboard.LOGIN_COOKIE)).contains("; Secure");
          Reply login = proxiedLogin(PASSWORD);
          assertThat(login.status()).as("%s", login).isEqualTo(303);
          assertThat(setCookie(login, Dashboard.SESSION_COOKIE))
              .contains("; Secure")
              .contains("HttpOnly")
              .contains("SameSite=Strict");
          assertThat(auditMessages())
              .anyMatch(
                  m ->
                      m.contains("event=dashboard.login outcome=success")
                          && m.contains("remote_addr=203.0.113.7"));
        });
  }

  @Test
  void login_withTrustForwarded_throttlesEachForwardedClientOnItsOwn(@TempDir Path other) {
    withServer(
        other,
        Map.of("HTTP_TRUST_FORWARDED", "true"),
        () -> {
          LoginForm form = loginForm();
          for (int i = 0; i < LoginThrottle.FREE_FAILURES; i++) {
            Reply reply =
                send(
                    "/dashboard/login",
                    "csrf=" + enc(form.token()) + "&password=wrong-" + i,
                    "application/x-www-form-urlencoded",
                    Map.of(
                        "Cookie",
                        Dashboard.LOGIN_COOKIE + "=" + form.cookie(),
                        "X-Forwarded-For",
                        "198.51.100.1"));
            assertThat(reply.status()).isEqualTo(401);
          }
          // 198.51.100.1 must now wait; the proxy's other client does not.
          Reply another = proxiedLogin(PASSWORD);
          assertThat(another.status()).as("%s", another).isEqualTo(303);
        });
  }

  @Test
  void login_behindATlsProxy_withoutTrustForwarded_theHeadersChangeNothing() {
    Reply page = api.send(api.request("/").header("X-Forwarded-Proto", "https").GET().build());
    assertThat(setCookie(page, Dashboard.LOGIN_COOKIE)).doesNotContain("Secure");
    Reply login = proxiedLogin(PASSWORD);
    login.problem(403);
    assertThat(login.response().headers().allValues("Set-Cookie"))
        .noneMatch(c -> c.startsWith(Dashboard.SESSION_COOKIE + "=") && !c.contains("Max-Age=0"));
  }

  // ---- login errors for the HTML form

  private Reply browserLogin(LoginForm form, String password, String token) {
    return send(
        "/dashboard/login",
        "csrf=" + enc(token) + "&password=" + enc(password),
        "application/x-www-form-urlencoded",
        Map.of(
            "Cookie",
            Dashboard.LOGIN_COOKIE + "=" + form.cookie(),
            "Accept",
            "text/html,application/xhtml+xml,*/*;q=0.8"));
  }

  @Test
  void login_formPostFromABrowser_throttled_isTheLoginPageWith429() {
    LoginForm form = loginForm();
    for (int i = 0; i < LoginThrottle.FREE_FAILURES; i++) {
      assertThat(browserLogin(form, "guess-" + i, form.token()).status()).isEqualTo(401);
    }
    Reply throttled = browserLogin(form, PASSWORD, form.token());
    assertThat(throttled.status()).isEqualTo(429);
    assertThat(throttled.header("Content-Type")).startsWith("text/html");
    assertThat(throttled.header("Retry-After")).isEqualTo("1");
    assertThat(throttled.body())
        .contains("Too many failed logins; retry in 1 s.")
        .contains("action=\"/dashboard/login\"");
    assertThat(throttled.response().headers().allValues("Set-Cookie"))
        .noneMatch(c -> c.startsWith(Dashboard.SESSION_COOKIE + "="));
    // A script still gets the problem document.
    postLogin(form, PASSWORD, form.token()).problem(429);
  }

  @Test
  void login_formPostFromABrowser_expiredFormToken_isTheLoginPageWith403_andAFreshForm() {
    LoginForm form = loginForm();
    Reply refused = browserLogin(form, PASSWORD, "stale-token");
    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.header("Content-Type")).startsWith("text/html");
    assertThat(refused.body()).contains("The login form had expired; please log in again.");
    assertThat(refused.response().headers().allValues("Set-Cookie"))
        .noneMatch(c -> c.startsWith(Dashboard.SESSION_COOKIE + "="));
    // The page's own (fresh) token works.
    Reply again = browserLogin(form, PASSWORD, hidden(refused.body()));
    assertThat(again.status()).as("%s", again).isEqualTo(303);
  }

  @Test
  void loginPageMessages_areEscaped() {
    assertThat(Dashboard.escape("<b a='1'>&\"")).isEqualTo("&lt;b a=&#39;1&#39;&gt;&amp;&quot;");
  }

  // ---- sessions

  @Test
  void overview_withoutSessionOrWithAnApiKey_is401() {
    get("/dashboard/api/overview", null).problem(401);
    get("/dashboard/api/overview", "not-a-session").problem(401);
    Reply withKey =
        api.send(
            api.request("/dashboard/api/overview")
                .header("Authorization", "Bearer " + ApiFixture.KEY)
                .GET()
                .build());
    withKey.problem(401);
  }

  @Test
  void session_idleTooLong_expires() {
    String session = login();
    clock.advance(IDLE.minusSeconds(1));
    assertThat(get("/", session).body()).contains("csrf-token");
    clock.advance(IDLE.minusSeconds(1));
    assertThat(get("/dashboard/api/overview", session).status()).isEqualTo(200);
    clock.advance(Duration.ofSeconds(1));
    get("/dashboard/api/overview", session).problem(401);
    assertThat(get("/", session).body()).contains("action=\"/dashboard/login\"");
  }

  @Test
  void session_automaticPollsAlone_doNotKeepItAlive() {
    String session = login();
    Duration poll = Duration.ofSeconds(3);
    Duration elapsed = Duration.ZERO;
    while (elapsed.plus(poll).compareTo(IDLE) < 0) {
      clock.advance(poll);
      elapsed = elapsed.plus(poll);
      if (elapsed.toSeconds() % 60 == 0) {
        assertThat(get("/dashboard/api/overview", session).status()).isEqualTo(200);
      }
    }
    clock.advance(IDLE.minus(elapsed));
    get("/dashboard/api/overview", session).problem(401);
    assertThat(get("/", session).body()).contains("action=\"/dashboard/login\"");
  }

  @Test
  void session_userActions_restartTheIdleExpiry() {
    String session = login();
    String token = csrf(session);
    clock.advance(IDLE.minusSeconds(1));
    assertThat(postJson("/dashboard/api/verify", session, token, "{}").status()).isEqualTo(200);
    clock.advance(IDLE.minusSeconds(1));
    assertThat(get("/dashboard/api/overview", session).status()).isEqualTo(200);
    clock.advance(Duration.ofSeconds(1));
    get("/dashboard/api/overview", session).problem(401);
    assertThat(get("/", session).body()).contains("action=\"/dashboard/login\"");
  }

  @Test
  void session_activeButPastItsAbsoluteLifetime_expires() {
    String session = login();
    Duration step = IDLE.minusMinutes(1);
    Duration elapsed = Duration.ZERO;
    while (elapsed.plus(step).compareTo(ABSOLUTE) < 0) {
      clock.advance(step);
      elapsed = elapsed.plus(step);
      assertThat(get("/", session).body()).contains("csrf-token");
    }
    clock.advance(ABSOLUTE.minus(elapsed));
    get("/dashboard/api/overview", session).problem(401);
  }

  @Test
  void logout_withToken_endsTheSession() {
    String session = login();
    String token = csrf(session);
    Reply reply =
        send(
            "/dashboard/logout",
            "csrf=" + enc(token),
            "application/x-www-form-urlencoded",
            Map.of("Cookie", Dashboard.SESSION_COOKIE + "=" + session));
    assertThat(reply.status()).isEqualTo(303);
    assertThat(setCookie(reply, Dashboard.SESSION_COOKIE)).contains("Max-Age=0");
    get("/dashboard/api/overview", session).problem(401);
  }

  @Test
  void logout_missingOrWrongToken_403_andTheSessionStays() {
    String session = login();
    for (String body : List.of("", "csrf=" + enc(csrf(login())))) {
      send(
              "/dashboard/logout",
              body,
              "application/x-www-form-urlencoded",
              Map.of("Cookie", Dashboard.SESSION_COOKIE + "=" + session))
          .problem(403);
    }
    assertThat(get("/dashboard/api/overview", session).status()).isEqualTo(200);
  }

  // ---- overview and actions

  @Test
  void overview_showsRecentTransactionsMasked_andTheVault() {
    api.post("{\"user_id\": \"customer-88123457\", \"amount\": \"12.50\"}", "dash-1");
    api.post(
        "{\"user_id\": \"another-user-99\", \"amount\": \"7\", \"currency\": \"EUR\"}", "dash-2");
    String session = login();

    Reply reply = get("/dashboard/api/overview", session);
    assertThat(reply.status()).isEqualTo(200);
    JsonNode body = reply.json();
    JsonNode txs = body.path("transactions");
    assertThat(txs).hasSize(2);
    assertThat(txs.get(0).path("user").asText()).isEqualTo("an***99");
    assertThat(txs.get(0).path("amount").asText()).isEqualTo("7.00");
    assertThat(txs.get(0).path("currency").asText()).isEqualTo("EUR");
    assertThat(txs.get(1).path("user").asText()).isEqualTo("cu***57");
    assertThat(txs.get(1).path("tx_id").asText()).startsWith("tx_");
    assertThat(body.path("vault").path("entries").asLong()).isEqualTo(2);
    assertThat(body.path("vault").path("head_hash_prefix").asText()).matches("[0-9a-f]{16}");
    assertThat(body.path("vault").path("verification").isNull()).isTrue();
    assertThat(body.path("tasks").isNull()).isTrue();
    for (String text : List.of(reply.body(), get("/", session).body())) {
      assertThat(text).doesNotContain("customer-88123457").doesNotContain("another-user-99");
      assertThat(text).doesNotContain("88123457").doesNotContain("user-99");
    }
  }

  @Test
  void verify_missingOrWrongToken_403_andNothingIsVerified() {
    String session = login();
    postJson("/dashboard/api/verify", session, null, "{}").problem(403);
    postJson("/dashboard/api/verify", session, csrf(login()), "{}").problem(403);
    postJson("/dashboard/api/verify", session, "", "{}").problem(403);

    JsonNode vault = get("/dashboard/api/overview", session).json().path("vault");
    assertThat(vault.path("verification").isNull()).isTrue();
    assertThat(auditMessages()).noneMatch(m -> m.contains("vault.verify"));
  }

  @Test
  void verify_withToken_verifiesAndTheOverviewKeepsTheResult() {
    api.post("{\"user_id\": \"customer-88123457\", \"amount\": \"12.50\"}", "dash-v");
    String session = login();
    Reply reply = postJson("/dashboard/api/verify", session, csrf(session), "{}");
    assertThat(reply.status()).as("%s", reply).isEqualTo(200);
    assertThat(reply.json().path("status").asText()).isEqualTo("ok");
    assertThat(reply.json().path("entries").asLong()).isEqualTo(1);

    JsonNode verification =
        get("/dashboard/api/overview", session).json().path("vault").path("verification");
    assertThat(verification.path("status").asText()).isEqualTo("ok");
    assertThat(verification.path("at").asText()).isEqualTo(clock.instant().toString());
    assertThat(auditMessages())
        .anyMatch(
            m ->
                m.contains("event=vault.verify outcome=success")
                    && m.contains("source=dashboard")
                    && m.contains("entries=1"));
  }

  @Test
  void verify_fromAnotherOrigin_403() {
    String session = login();
    send(
            "/dashboard/api/verify",
            "{}",
            "application/json",
            Map.of(
                "Cookie",
                Dashboard.SESSION_COOKIE + "=" + session,
                Dashboard.CSRF_HEADER,
                csrf(session),
                "Origin",
                "http://127.0.0.1:1"))
        .problem(403);
    assertThat(
            get("/dashboard/api/overview", session)
                .json()
                .path("vault")
                .path("verification")
                .isNull())
        .isTrue();
  }

  @Test
  void sendTask_withoutATaskQueue_404Problem() {
    String session = login();
    postJson("/dashboard/api/tasks", session, csrf(session), "{\"name\": \"celery.accumulate\"}")
        .problem(404);
  }

  @Test
  void sendTask_withToken_runsOnTheQueue_andTheOverviewFollowsItsState(@TempDir Path other) {
    InProcessTasks tasks = withTasks(other);
    String session = login();
    Reply sent =
        postJson(
            "/dashboard/api/tasks",
            session,
            csrf(session),
            "{\"name\": \"add\", \"args\": [40, 2]}");
    assertThat(sent.status()).as("%s", sent).isEqualTo(202);
    String id = sent.json().path("id").asText();
    assertThat(tasks.sent()).isEqualTo(1);

    JsonNode overview =
        Awaitility.await()
            .atMost(Duration.ofSeconds(20))
            .until(
                () -> get("/dashboard/api/overview", session).json(),
                // The result is stored before the message is acknowledged: in flight drops after.
                o ->
                    o.path("tasks").path("recent").path(0).path("state").asText().equals("SUCCESS")
                        && o.path("tasks").path("in_flight").asLong() == 0);
    JsonNode taskPanel = overview.path("tasks");
    JsonNode task = taskPanel.path("recent").path(0);
    assertThat(task.path("id").asText()).isEqualTo(id);
    assertThat(task.path("name").asText()).isEqualTo("add");
    assertThat(task.path("submitted_at").asText()).isNotBlank();
    assertThat(task.path("done_at").asText()).isNotBlank();
    assertThat(task.has("result")).as("results are not shown").isFalse();
    assertThat(taskPanel.path("states").path("SUCCESS").asLong()).isEqualTo(1);
    assertThat(taskPanel.path("in_flight").asLong()).isZero();
    assertThat(taskPanel.path("dead").asLong()).isZero();
    assertThat(taskPanel.path("queues").isObject()).isTrue();
    JsonNode worker = taskPanel.path("workers").path(0);
    assertThat(worker.path("id").asText()).isNotBlank();
    assertThat(worker.path("host").asText()).isNotBlank();
    assertThat(worker.path("pid").asLong()).isEqualTo(ProcessHandle.current().pid());
    assertThat(worker.path("concurrency").asInt()).isEqualTo(2);
    assertThat(auditMessages())
        .anyMatch(
            m -> m.contains("event=dashboard.task outcome=success") && m.contains("task=add"));
  }

  @Test
  void sendTask_failingTask_showsOnlyTheExceptionType(@TempDir Path other) {
    withTasks(other);
    String session = login();
    postJson(
        "/dashboard/api/tasks",
        session,
        csrf(session),
        "{\"name\": \"fail\", \"args\": [\"secret-detail-4711\"]}");
    Reply reply =
        Awaitility.await()
            .atMost(Duration.ofSeconds(20))
            .until(
                () -> get("/dashboard/api/overview", session),
                r ->
                    r.json()
                        .path("tasks")
                        .path("recent")
                        .path(0)
                        .path("state")
                        .asText()
                        .equals("FAILURE"));
    assertThat(reply.json().path("tasks").path("recent").path(0).path("error_type").asText())
        .isEqualTo("ValueError");
    assertThat(reply.body()).doesNotContain("secret-detail-4711");
  }

  @Test
  void sendTask_missingWrongTokenOrOtherOrigin_403_andNothingIsSent(@TempDir Path other) {
    InProcessTasks tasks = withTasks(other);
    String session = login();
    String body = "{\"name\": \"add\", \"args\": [1, 2]}";
    postJson("/dashboard/api/tasks", session, null, body).problem(403);
    postJson("/dashboard/api/tasks", session, csrf(login()), body).problem(403);
    send(
            "/dashboard/api/tasks",
            body,
            "application/json",
            Map.of(
                "Cookie",
                Dashboard.SESSION_COOKIE + "=" + session,
                Dashboard.CSRF_HEADER,
                csrf(session),
                "Sec-Fetch-Site",
                "cross-site"))
        .problem(403);
    Reply withKey =
        api.send(
            api.request("/dashboard/api/tasks")
                .header("Authorization", "Bearer " + ApiFixture.KEY)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build());
    withKey.problem(401);
    assertThat(tasks.sent()).isZero();
  }

  @Test
  void sendTask_unknownTaskOrBadArguments_422_andNothingIsSent(@TempDir Path other) {
    InProcessTasks tasks = withTasks(other);
    String session = login();
    String token = csrf(session);
    postJson("/dashboard/api/tasks", session, token, "{\"name\": \"no.such.task\"}").problem(422);
    postJson("/dashboard/api/tasks", session, token, "{\"name\": \"add\", \"args\": [\"x\"]}")
        .problem(422);
    postJson("/dashboard/api/tasks", session, token, "{\"name\": 5}").problem(400);
    assertThat(tasks.sent()).isZero();
  }
}
