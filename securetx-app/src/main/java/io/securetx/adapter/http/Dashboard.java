package io.securetx.adapter.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HttpStatus;
import io.securetx.config.Secret;
import io.securetx.config.SecureTxConfig;
import io.securetx.config.Variable;
import io.securetx.crypto.Sha256;
import io.securetx.ledger.LedgerIntegrityException;
import io.securetx.ledger.VerificationSummary;
import io.securetx.observability.Audit;
import io.securetx.report.UserMask;
import io.securetx.session.InMemorySessionStore;
import io.securetx.session.SessionPolicy;
import io.securetx.session.SessionStore;
import io.securetx.session.SessionStoreException;
import io.securetx.task.NotRegisteredException;
import io.securetx.task.TaskArgumentException;
import io.securetx.task.broker.BrokerException;
import io.securetx.task.broker.BrokerStats;
import io.securetx.task.broker.WorkerInfo;
import io.securetx.vault.Vault;
import io.securetx.vault.VaultStatus;
import io.securetx.vault.VerifiedTransaction;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator dashboard (what Flower is to Celery): {@code GET /} serves one page that shows the
 * task queues, workers, task states and recent tasks, the recent transactions with their users
 * masked, and the vault's status, and refreshes itself from {@code GET /dashboard/api/overview}.
 *
 * <p>It opens with {@code ADMIN_PASSWORD}, never with an API key: a login form sets a server-side
 * session cookie ({@code HttpOnly; SameSite=Strict}, {@code Secure} over TLS) that expires when
 * idle and in any case after an absolute lifetime. Every state-changing request (login, logout,
 * "Verify now", "Send task") carries a CSRF token bound to the session (the login form's to a
 * pre-session cookie) and must come from the page's own origin; failed logins are slowed down per
 * client address and written to the audit log. In production the login refuses the seed's
 * placeholder password.
 *
 * <p>Sessions live in a {@link SessionStore}: in the vault's database when {@code securetx serve}
 * runs it, so servers behind a load balancer share them, and the login form's key is the same on
 * every server. The login throttle and the last "Verify now" result stay per server. When the store
 * does not answer, requests that need a session are refused with 503, never let through.
 */
public final class Dashboard implements RouteModule {

  private static final Logger LOG = LoggerFactory.getLogger(Dashboard.class);
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  static final String SESSION_COOKIE = "securetx_session";
  static final String LOGIN_COOKIE = "securetx_login";
  static final String CSRF_HEADER = "X-CSRF-Token";
  static final String CSRF_FIELD = "csrf";

  /**
   * Only this origin's own scripts, styles and requests; no inline script or style, no framing, no
   * form posting elsewhere.
   */
  static final String CSP =
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self';"
          + " form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

  static final int RECENT_TRANSACTIONS = 20;
  static final int RECENT_TASKS = 20;
  private static final int HASH_PREFIX = 16;
  private static final String RETRY_AFTER_SECONDS = "5";

  private final Vault vault;
  private final @Nullable TaskGateway tasks;
  private final Clock clock;
  private final byte @Nullable [] passwordHash;
  private final @Nullable String disabledReason;
  private final DashboardSessions sessions;
  private final LoginThrottle throttle;
  private final AtomicBoolean verifying = new AtomicBoolean();
  private final AtomicReference<@Nullable Verification> lastVerification = new AtomicReference<>();
  private final String loginPage;
  private final String dashboardPage;
  private final byte[] css;
  private final byte[] js;
  private final byte[] favicon;

  /**
   * A dashboard whose sessions live in this process only (30 minutes idle, 8 hours in all): for a
   * server without a database. Behind a load balancer use the constructor that takes a store.
   *
   * @param vault the vault whose transactions and status it shows
   * @param config {@code ADMIN_PASSWORD} and whether this is production
   * @param tasks the task queue, or null for a dashboard without task panels
   * @param clock the clock of sessions and the login throttle
   */
  public Dashboard(Vault vault, SecureTxConfig config, @Nullable TaskGateway tasks, Clock clock) {
    this(
        vault,
        config,
        tasks,
        clock,
        SessionPolicy.DEFAULT.idle(),
        SessionPolicy.DEFAULT.absolute());
  }

  /**
   * A dashboard whose sessions live in a store that every server of a deployment shares.
   *
   * @param vault the vault whose transactions and status it shows
   * @param config {@code ADMIN_PASSWORD} and whether this is production
   * @param tasks the task queue, or null for a dashboard without task panels
   * @param clock the clock of the login throttle and of the overview
   * @param sessions where sessions are kept; it applies its own lifetimes and cap
   * @param loginKey the key of the login form's CSRF tokens, at least 32 bytes and the same on
   *     every server, so a form fetched from one server may be posted to another
   */
  public Dashboard(
      Vault vault,
      SecureTxConfig config,
      @Nullable TaskGateway tasks,
      Clock clock,
      SessionStore sessions,
      byte[] loginKey) {
    this(vault, config.adminPassword(), config.production(), tasks, clock, sessions, loginKey);
  }

  Dashboard(
      Vault vault,
      SecureTxConfig config,
      @Nullable TaskGateway tasks,
      Clock clock,
      Duration idle,
      Duration absolute) {
    this(vault, config.adminPassword(), config.production(), tasks, clock, idle, absolute);
  }

  Dashboard(
      Vault vault,
      Secret adminPassword,
      boolean production,
      @Nullable TaskGateway tasks,
      Clock clock,
      Duration idle,
      Duration absolute) {
    this(
        vault,
        adminPassword,
        production,
        tasks,
        clock,
        new InMemorySessionStore(
            clock, new SessionPolicy(idle, absolute, SessionPolicy.DEFAULT.maxSessions())),
        DashboardSessions.randomLoginKey());
  }

  private Dashboard(
      Vault vault,
      Secret adminPassword,
      boolean production,
      @Nullable TaskGateway tasks,
      Clock clock,
      SessionStore sessions,
      byte[] loginKey) {
    this.vault = Objects.requireNonNull(vault, "vault");
    this.tasks = tasks;
    this.clock = Objects.requireNonNull(clock, "clock");
    this.sessions = new DashboardSessions(Objects.requireNonNull(sessions, "sessions"), loginKey);
    this.throttle = new LoginThrottle(clock);
    String password = adminPassword.insecureValue();
    if (password.isEmpty()) {
      disabledReason = "ADMIN_PASSWORD is not set";
    } else if (production && password.equals(Variable.ADMIN_PASSWORD.defaultValue())) {
      disabledReason = "ADMIN_PASSWORD is the seed's placeholder";
    } else {
      disabledReason = null;
    }
    this.passwordHash = disabledReason == null ? Sha256.of(password) : null;
    if (disabledReason != null) {
      LOG.warn("dashboard login is disabled: {}", disabledReason);
    }
    this.loginPage = resourceText("dashboard/login.html");
    this.dashboardPage = resourceText("dashboard/dashboard.html");
    this.css = resource("dashboard/dashboard.css");
    this.js = resource("dashboard/dashboard.js");
    this.favicon = resource("dashboard/favicon.svg");
  }

  @Override
  public void register(ApiRoutes routes) {
    routes.publicGet("/", guarded(this::page, true));
    routes.publicGet("/dashboard/assets/dashboard.css", ctx -> asset(ctx, "text/css", css));
    routes.publicGet("/dashboard/assets/dashboard.js", ctx -> asset(ctx, "text/javascript", js));
    routes.publicGet("/dashboard/assets/favicon.svg", ctx -> asset(ctx, "image/svg+xml", favicon));
    routes.publicPost("/dashboard/login", guarded(this::login, false));
    routes.publicPost("/dashboard/logout", guarded(this::logout, false));
    routes.publicGet("/dashboard/api/overview", guarded(this::overview, false));
    routes.publicPost("/dashboard/api/verify", guarded(this::verify, false));
    routes.publicPost("/dashboard/api/tasks", guarded(this::sendTask, false));
  }

  /**
   * A route whose session checks may fail because the session store does not answer: the request is
   * refused (never let through) with a 503, as a page for the page itself and the browser's form
   * posts, as a problem document for scripts.
   */
  private Handler guarded(Handler route, boolean page) {
    return ctx -> {
      try {
        route.handle(ctx);
      } catch (SessionStoreException e) {
        String reference = UUID.randomUUID().toString();
        LOG.error("dashboard sessions unavailable (reference {})", reference, e);
        String detail =
            "the dashboard's session store (the vault's database) does not answer; retry later"
                + " (reference "
                + reference
                + ")";
        ctx.header("Retry-After", RETRY_AFTER_SECONDS);
        if (page || wantsPage(ctx)) {
          html(ctx, 503, formless(loginPage).replace("{{message}}", escape("Sorry: " + detail)));
          return;
        }
        throw ProblemException.of(503, "sessions-unavailable", "Sessions unavailable", detail)
            .with("reference", reference)
            .withHeader("Retry-After", RETRY_AFTER_SECONDS);
      }
    };
  }

  // ---- pages

  private void page(Context ctx) {
    headers(ctx);
    Optional<DashboardSessions.Session> session = sessions.find(ctx.cookie(SESSION_COOKIE));
    if (session.isPresent()) {
      html(
          ctx,
          200,
          dashboardPage
              .replace("{{csrf}}", escape(session.get().csrfToken()))
              .replace("{{tasks}}", tasks == null ? "absent" : "present"));
      return;
    }
    loginForm(ctx, 200, "");
  }

  private void loginForm(Context ctx, int status, String message) {
    if (disabledReason != null) {
      String page = formless(loginPage);
      html(
          ctx,
          503,
          page.replace("{{message}}", escape("Dashboard login is disabled: " + disabledReason)));
      return;
    }
    String pre = ctx.cookie(LOGIN_COOKIE);
    if (pre == null || !pre.matches("[A-Za-z0-9_-]{43}")) {
      pre = sessions.newToken();
      setCookie(ctx, LOGIN_COOKIE, pre, 3600);
    }
    html(
        ctx,
        status,
        loginPage
            .replace("{{csrf}}", escape(sessions.loginToken(pre)))
            .replace("{{message}}", escape(message)));
  }

  /** The login page without its form, for a page that can only say why it cannot log in. */
  private static String formless(String page) {
    return page.substring(0, page.indexOf("<form"))
        + page.substring(page.indexOf("</form>") + "</form>".length());
  }

  private static void asset(Context ctx, String type, byte[] body) {
    headers(ctx);
    ctx.status(200).contentType(type + "; charset=utf-8").result(body);
  }

  // ---- login and logout

  private void login(Context ctx) {
    headers(ctx);
    requireSameOrigin(ctx);
    String client = ctx.ip();
    if (disabledReason != null) {
      throw ProblemException.of(
          503, "dashboard-disabled", "Dashboard disabled", "dashboard login is disabled");
    }
    String pre = ctx.cookie(LOGIN_COOKIE);
    if (pre == null
        || !DashboardSessions.sameToken(sessions.loginToken(pre), ctx.formParam(CSRF_FIELD))) {
      if (wantsPage(ctx)) {
        loginForm(ctx, 403, "The login form had expired; please log in again.");
        return;
      }
      throw csrf("the login form's CSRF token is missing or wrong; reload the page");
    }
    String password = ctx.formParam("password");
    byte[] candidate = Sha256.of(password == null ? "" : password);
    // One attempt at a time: parallel guesses would otherwise all pass the throttle before the
    // first failure is recorded. Hashing is done, so the lock is held for microseconds.
    synchronized (throttle) {
      long wait = throttle.waitSeconds(client);
      if (wait > 0) {
        audit(client, false, "throttled");
        if (wantsPage(ctx)) {
          ctx.header("Retry-After", Long.toString(wait));
          loginForm(ctx, 429, "Too many failed logins; retry in " + wait + " s.");
          return;
        }
        throw ProblemException.http(429, "too many failed logins; retry in " + wait + " s")
            .withHeader("Retry-After", Long.toString(wait));
      }
      // Both sides hashed first: equal lengths, so the comparison's time tells nothing.
      if (!MessageDigest.isEqual(Objects.requireNonNull(passwordHash), candidate)) {
        throttle.failed(client);
        audit(client, false, "bad_password");
        loginForm(ctx, 401, "Wrong password.");
        return;
      }
      throttle.succeeded(client);
    }
    DashboardSessions.Session session = sessions.open();
    setCookie(ctx, SESSION_COOKIE, session.id(), -1);
    setCookie(ctx, LOGIN_COOKIE, "", 0);
    audit(client, true, null);
    ctx.redirect("/", HttpStatus.SEE_OTHER);
  }

  private void logout(Context ctx) {
    headers(ctx);
    requireSameOrigin(ctx);
    String id = ctx.cookie(SESSION_COOKIE);
    Optional<DashboardSessions.Session> session = sessions.find(id);
    if (session.isPresent()) {
      requireToken(ctx, session.get());
      sessions.close(session.get().id());
      Audit.success("dashboard.logout").with("remote_addr", ctx.ip()).log();
    }
    setCookie(ctx, SESSION_COOKIE, "", 0);
    ctx.redirect("/", HttpStatus.SEE_OTHER);
  }

  private static void audit(String client, boolean success, @Nullable String reason) {
    // Never the password, the cookie or a token.
    Audit.of("dashboard.login", success)
        .with("remote_addr", client)
        .with("route", "POST /dashboard/login")
        .with("reason", reason)
        .log();
  }

  // ---- JSON

  private void overview(Context ctx) {
    headers(ctx);
    // The page polls this every few seconds on its own: it must not keep an unattended session
    // alive, so it does not restart the idle expiry (page loads, login, verify and send do).
    if (sessions.peek(ctx.cookie(SESSION_COOKIE)).isEmpty()) {
      throw loginRequired();
    }
    ObjectNode body = NODES.objectNode();
    body.put("generated_at", clock.instant().toString());
    body.set("vault", vaultNode());
    ArrayNode txs = body.putArray("transactions");
    try {
      for (VerifiedTransaction tx : vault.recent(RECENT_TRANSACTIONS)) {
        ObjectNode row = txs.addObject();
        row.put("tx_id", tx.transaction().id().toString());
        row.put("user", UserMask.mask(tx.transaction().userId().value()));
        row.put("amount", tx.transaction().amount().toDecimal().toPlainString());
        row.put("currency", tx.transaction().amount().currency().getCurrencyCode());
        row.put("created_at", tx.transaction().createdAt().toString());
      }
    } catch (LedgerIntegrityException e) {
      LOG.warn("a recent vault record failed its check", e);
      body.put(
          "transactions_error", "a recent record failed its integrity check; verify the vault");
    }
    if (tasks == null) {
      body.putNull("tasks");
    } else {
      try {
        body.set("tasks", tasksNode(tasks.overview(RECENT_TASKS)));
      } catch (RuntimeException e) {
        LOG.warn("the task queue does not answer", e);
        body.putNull("tasks");
        body.put("tasks_error", "the task queue does not answer");
      }
    }
    ApiRoutes.json(ctx, 200, body);
  }

  private ObjectNode vaultNode() {
    VaultStatus status = vault.status();
    ObjectNode node = NODES.objectNode();
    node.put("entries", status.entries());
    node.put(
        "head_hash_prefix",
        status.headHash().substring(0, Math.min(HASH_PREFIX, status.headHash().length())));
    node.put("last_checkpoint_seq", status.lastCheckpointSeq());
    node.put(
        "last_checkpoint_at",
        status.lastCheckpointAt() == null ? null : status.lastCheckpointAt().toString());
    node.put("verifying", verifying.get());
    Verification last = lastVerification.get();
    node.set("verification", last == null ? NODES.nullNode() : last.node());
    return node;
  }

  private static ObjectNode tasksNode(TaskGateway.TaskOverview overview) {
    ObjectNode node = NODES.objectNode();
    BrokerStats broker = overview.broker();
    ObjectNode queues = node.putObject("queues");
    new TreeMap<>(broker.queueDepths()).forEach(queues::put);
    node.put("scheduled", broker.scheduled());
    node.put("in_flight", broker.inFlight());
    node.put("dead", broker.dead());
    ArrayNode workers = node.putArray("workers");
    for (WorkerInfo w : broker.workers()) {
      ObjectNode row = workers.addObject();
      row.put("id", w.id());
      row.put("host", w.hostname());
      row.put("pid", w.pid());
      row.put("concurrency", w.concurrency());
      row.put("queues", String.join(", ", w.queues()));
      row.put("started_at", w.startedAt().toString());
    }
    ObjectNode states = node.putObject("states");
    new TreeMap<>(overview.states()).forEach(states::put);
    ArrayNode recent = node.putArray("recent");
    for (TaskGateway.TaskStatus t : overview.recent()) {
      ObjectNode row = recent.addObject();
      row.put("id", t.id());
      row.put("name", t.name());
      row.put("state", t.state().name());
      row.put("submitted_at", t.submittedAt() == null ? null : t.submittedAt().toString());
      row.put("done_at", t.doneAt() == null ? null : t.doneAt().toString());
      // Results and exception arguments may carry data; the dashboard shows only the type.
      io.securetx.task.wire.ExceptionInfo exception = t.exception();
      row.put("error_type", exception == null ? null : shorten(exception.type()));
    }
    return node;
  }

  private static String shorten(String type) {
    return type.length() > 80 ? type.substring(0, 80) : type;
  }

  private void verify(Context ctx) {
    headers(ctx);
    requireSameOrigin(ctx);
    requireToken(ctx, requireSession(ctx));
    if (!verifying.compareAndSet(false, true)) {
      throw ProblemException.of(
          409, "verification-running", "Verification running", "a verification is already running");
    }
    Verification result;
    try {
      Instant started = clock.instant();
      try {
        VerificationSummary summary = vault.verify();
        result =
            new Verification(
                "ok", started, summary.entries(), "chain, checkpoints and records verified");
        Audit.success("vault.verify")
            .with("source", "dashboard")
            .with("remote_addr", ctx.ip())
            .with("entries", summary.entries())
            .log();
      } catch (LedgerIntegrityException e) {
        result = new Verification("failed", started, null, String.valueOf(e.getMessage()));
        Audit.failure("vault.verify")
            .with("source", "dashboard")
            .with("remote_addr", ctx.ip())
            .with("seq", e.seq())
            .with("reason", e.reason().name().toLowerCase(java.util.Locale.ROOT))
            .log();
      }
      lastVerification.set(result);
    } finally {
      verifying.set(false);
    }
    ApiRoutes.json(ctx, 200, result.node());
  }

  private void sendTask(Context ctx) {
    headers(ctx);
    requireSameOrigin(ctx);
    requireToken(ctx, requireSession(ctx));
    TaskGateway gateway = tasks;
    if (gateway == null) {
      throw ProblemException.of(
          404, "no-task-queue", "No task queue", "this server has no task queue");
    }
    ObjectNode body = ApiRoutes.jsonObject(ctx);
    JsonNode name = body.path("name");
    if (!name.isTextual() || name.asText().isBlank() || name.asText().length() > 200) {
      throw RequestBodies.malformed("name must be a task name");
    }
    JsonNode args = body.path("args");
    JsonNode kwargs = body.path("kwargs");
    if (!(args.isMissingNode() || args.isArray())
        || !(kwargs.isMissingNode() || kwargs.isObject())) {
      throw RequestBodies.malformed("args must be an array and kwargs an object");
    }
    TaskGateway.TaskStatus sent;
    try {
      sent =
          gateway.submit(
              name.asText(),
              args.isArray() ? (ArrayNode) args : NODES.arrayNode(),
              kwargs.isObject() ? (ObjectNode) kwargs : NODES.objectNode());
    } catch (NotRegisteredException | TaskArgumentException e) {
      throw ProblemException.of(
          422, "task-rejected", "Task rejected", String.valueOf(e.getMessage()));
    } catch (BrokerException e) {
      LOG.warn("the broker refused a task from the dashboard", e);
      throw ProblemException.http(503, "the task queue does not answer");
    }
    Audit.success("dashboard.task")
        .with("remote_addr", ctx.ip())
        .with("task", sent.name())
        .with("task_id", sent.id())
        .log();
    Map<String, Object> reply = new LinkedHashMap<>();
    reply.put("id", sent.id());
    reply.put("name", sent.name());
    reply.put("state", sent.state().name());
    ApiRoutes.json(ctx, 202, reply);
  }

  // ---- checks

  private DashboardSessions.Session requireSession(Context ctx) {
    return sessions.find(ctx.cookie(SESSION_COOKIE)).orElseThrow(Dashboard::loginRequired);
  }

  private static ProblemException loginRequired() {
    return ProblemException.of(
        401,
        "login-required",
        "Login required",
        "log in to the dashboard at / (API keys do not open it)");
  }

  private static void requireToken(Context ctx, DashboardSessions.Session session) {
    String token = ctx.header(CSRF_HEADER);
    if (token == null && isForm(ctx)) {
      token = ctx.formParam(CSRF_FIELD);
    }
    if (!DashboardSessions.sameToken(session.csrfToken(), token)) {
      throw csrf("the CSRF token is missing or wrong; reload the page");
    }
  }

  /** A browser's form post (not a script's): errors are shown on the login page, not as JSON. */
  private static boolean wantsPage(Context ctx) {
    String accept = ctx.header("Accept");
    return isForm(ctx) && accept != null && accept.contains("text/html");
  }

  private static boolean isForm(Context ctx) {
    String type = ctx.contentType();
    return type != null && type.startsWith("application/x-www-form-urlencoded");
  }

  /**
   * A browser says where a request comes from: {@code Sec-Fetch-Site} must be {@code same-origin}
   * and {@code Origin} this server's own, when sent. Clients that send neither (curl, tests) still
   * need the token.
   */
  private static void requireSameOrigin(Context ctx) {
    String site = ctx.header("Sec-Fetch-Site");
    if (site != null && !site.equals("same-origin")) {
      throw csrf("cross-site request refused");
    }
    String origin = ctx.header("Origin");
    if (origin != null && !origin.equals(ownOrigin(ctx))) {
      throw csrf("request from another origin refused");
    }
  }

  private static String ownOrigin(Context ctx) {
    return (isSecure(ctx) ? "https" : "http") + "://" + ctx.host();
  }

  private static boolean isSecure(Context ctx) {
    return ctx.req().isSecure() || "https".equals(ctx.scheme());
  }

  private static ProblemException csrf(String detail) {
    return ProblemException.of(403, "csrf", "Forbidden", detail);
  }

  // ---- plumbing

  private static void headers(Context ctx) {
    ctx.header("Content-Security-Policy", CSP);
    ctx.header("X-Frame-Options", "DENY");
    // Not no-referrer: with it, Chromium sends "Origin: null" on the page's own form posts.
    ctx.header("Referrer-Policy", "same-origin");
  }

  private static void html(Context ctx, int status, String body) {
    ctx.status(status).contentType("text/html; charset=utf-8").result(body);
  }

  /** Sets a cookie; {@code maxAge} -1 for a browser-session cookie, 0 to delete. */
  private static void setCookie(Context ctx, String name, String value, int maxAge) {
    StringBuilder cookie =
        new StringBuilder(name)
            .append('=')
            .append(value)
            .append("; Path=/; HttpOnly; SameSite=Strict");
    if (maxAge >= 0) {
      cookie.append("; Max-Age=").append(maxAge);
    }
    if (isSecure(ctx)) {
      cookie.append("; Secure");
    }
    ctx.res().addHeader("Set-Cookie", cookie.toString());
  }

  static String escape(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  private static String resourceText(String name) {
    return new String(resource(name), StandardCharsets.UTF_8);
  }

  private static byte[] resource(String name) {
    try (InputStream in = Dashboard.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException(name + " is missing from the classpath");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + name, e);
    }
  }

  /** The last "Verify now" result. */
  private record Verification(String status, Instant at, @Nullable Long entries, String detail) {
    ObjectNode node() {
      ObjectNode node = NODES.objectNode();
      node.put("status", status);
      node.put("at", at.toString());
      node.put("entries", entries);
      node.put("detail", detail);
      return node;
    }
  }
}
