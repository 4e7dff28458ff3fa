package io.securetx.adapter.http;

import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.router.ParsedEndpoint;
import io.securetx.config.SecureTxConfig;
import io.securetx.observability.Metrics;
import io.securetx.task.broker.BrokerStats;
import io.securetx.transaction.TransactionId;
import io.securetx.transaction.TransactionLimits;
import io.securetx.vault.Vault;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.eclipse.jetty.server.ForwardedRequestCustomizer;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The HTTP API: Javalin on Jetty over one {@link Vault}. Build it with {@link #builder}, {@link
 * #start()} it, and {@link #close()} it to stop: the server stops accepting connections, answers
 * the requests it has (up to the stop timeout), then closes its {@linkplain BackgroundService
 * background services}. The vault stays open; its owner closes it after this returns, so it closes
 * after the last request.
 */
public final class HttpApiServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(HttpApiServer.class);

  /** A transaction id no vault holds: looking it up proves the vault answers. */
  private static final TransactionId PROBE =
      TransactionId.parse("tx_00000000-0000-7000-8000-000000000000");

  /** The MDC key, and response header, of the id of the request being answered. */
  public static final String MDC_REQUEST_ID = "request_id";

  static final String REQUEST_ID_HEADER = "X-Request-Id";

  private final Javalin app;
  private final Metrics metrics;
  private final @Nullable Metrics ownMetrics;
  private final List<BackgroundService> services;
  private final AtomicBoolean started = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final AtomicBoolean draining = new AtomicBoolean();
  private final String host;
  private final int requestedPort;
  private final @Nullable HttpTls tls;

  private HttpApiServer(Builder builder) {
    this.services = List.copyOf(builder.services);
    this.host = builder.host;
    this.requestedPort = builder.port;
    // The checks that can refuse the configuration come before the meters: our own registry binds
    // listeners to the JVM's collectors, which nothing would remove if the constructor threw.
    ApiKeys keys = ApiKeys.from(builder.config);
    HttpTls tls = HttpTls.from(builder.config.http());
    this.tls = tls;
    Metrics given = builder.metrics;
    this.ownMetrics = given == null ? builder.newMetrics.get() : null;
    this.metrics = given != null ? given : Objects.requireNonNull(ownMetrics);
    try {
      this.app = app(builder, keys, tls, metrics);
    } catch (RuntimeException e) {
      if (ownMetrics != null) {
        ownMetrics.close();
      }
      throw e;
    }
  }

  private Javalin app(Builder builder, ApiKeys keys, @Nullable HttpTls tls, Metrics meters) {
    boolean trustForwarded = builder.config.http().trustForwarded();
    if (builder.brokerStats != null) {
      meters.brokerStats(builder.brokerStats, builder.clock, Duration.ofSeconds(2));
    }
    RateLimiter limiter =
        new RateLimiter(
            builder.config.http().rateLimit(), builder.config.http().rateBurst(), builder.clock);
    byte[] openApi = openApiDocument();
    Vault vault = builder.vault;
    Map<String, ReadinessCheck> checks = new LinkedHashMap<>();
    checks.put("api_keys", () -> keys.size() > 0 ? null : "no API key is configured");
    checks.put("vault", () -> vaultProblem(vault));
    checks.putAll(builder.checks);
    List<RouteModule> modules = new ArrayList<>();
    modules.add(
        new TransactionRoutes(
            vault,
            meters,
            builder.config.defaultCurrency(),
            new TransactionLimits(builder.config.maxAmount())));
    if (builder.tasks != null) {
      TaskGateway tasks = builder.tasks;
      modules.add(new TaskRoutes(tasks, builder.reportTask, builder.clock));
      checks.put("tasks", () -> brokerProblem(tasks));
    }
    modules.addAll(builder.modules);
    long stopMillis = builder.stopTimeout.toMillis();
    return Javalin.create(
        config -> {
          config.startup.showJavalinBanner = false;
          config.startup.showOldJavalinVersionWarning = false;
          config.http.maxRequestSize = RequestBodies.MAX_BYTES;
          config.http.prefer405over404 = true;
          // Answers are small JSON documents: compressing them costs more CPU than it saves
          // bytes, and compressing secrets beside reflected input is what BREACH exploits.
          config.http.compressionStrategy = CompressionStrategy.NONE;
          config.jetty.host = host;
          config.jetty.port = requestedPort;
          if (tls != null) {
            // Javalin adds its plain connector only when none was added: this one replaces it.
            config.jetty.addConnector(
                (server, http) -> tls.connector(server, http, host, requestedPort));
          }
          config.jetty.modifyServer(
              server -> {
                server.setErrorHandler(new JettyProblemHandler());
                server.setStopTimeout(stopMillis);
                server.insertHandler(new GracefulHandler());
              });
          // Jetty caches header values per connection, and by default matches the cache without
          // regard to case: a bearer token differing from an earlier one only in case would be
          // read as the earlier (valid) one.
          config.jetty.modifyHttpConfiguration(
              http -> {
                http.setHeaderCacheCaseSensitive(true);
                if (trustForwarded) {
                  // Scheme, host and client address from Forwarded / X-Forwarded-*: any client
                  // could forge them, so only behind a proxy that sets (overwrites) them.
                  http.addCustomizer(new ForwardedRequestCustomizer());
                }
              });
          config.router.javaLangErrorHandler(
              (response, error) -> {
                LOG.error("fatal error while serving a request", error);
                response.setStatus(500);
              });
          config.routes.before(HttpApiServer::common);
          config.requestLogger.http((ctx, millis) -> finished(meters, ctx, millis));
          config.routes.exception(
              HttpResponseException.class, (e, ctx) -> Problems.respond(ctx, fromJavalin(e)));
          config.routes.exception(
              Exception.class, (e, ctx) -> Problems.respond(ctx, Problems.of(e)));
          ApiRoutes routes = new ApiRoutes(config.routes, keys, limiter, meters);
          routes.publicGet("/healthz", ctx -> ApiRoutes.json(ctx, 200, Map.of("status", "ok")));
          routes.publicGet("/readyz", ctx -> ready(ctx, checks));
          routes.publicGet(
              "/openapi.json",
              ctx -> ctx.status(200).contentType("application/json").result(openApi));
          // No key: scrapers rarely hold one. It carries no ids or secrets; keep it off the
          // public network (see the README, Operations), or on a port of its own.
          if (builder.metricsRoute) {
            routes.publicGet(
                "/metrics",
                ctx -> ctx.status(200).contentType(Metrics.CONTENT_TYPE).result(meters.scrape()));
          }
          modules.forEach(module -> module.register(routes));
        });
  }

  /**
   * Checks the configuration's API keys without building anything, so that a command can refuse to
   * start before it opens the vault.
   *
   * @param config the configuration
   * @throws io.securetx.config.ConfigException if no key is configured or one has the wrong form
   */
  public static void checkApiKeys(SecureTxConfig config) {
    ApiKeys.from(config);
  }

  /**
   * Opens and checks the TLS keystore, if one is configured, without building anything, so that a
   * command can refuse to start before it opens the vault.
   *
   * @param config the configuration
   * @throws io.securetx.config.ConfigException if the keystore is missing, the password does not
   *     open it, or it holds no single private key entry (the message never holds the password)
   */
  public static void checkTls(SecureTxConfig config) {
    HttpTls.from(config.http());
  }

  /**
   * Starts building a server over a vault.
   *
   * @param vault the vault the routes use; the caller keeps ownership and closes it
   * @param config the configuration: API keys, limits, host and port
   * @return the builder
   */
  public static Builder builder(Vault vault, SecureTxConfig config) {
    return new Builder(vault, config);
  }

  /**
   * Starts the background services, then listens.
   *
   * @return this
   * @throws IllegalStateException if already started
   * @throws HttpServerException if the port cannot be bound
   */
  public HttpApiServer start() {
    if (!started.compareAndSet(false, true)) {
      throw new IllegalStateException("already started");
    }
    List<BackgroundService> running = new ArrayList<>();
    try {
      for (BackgroundService service : services) {
        service.start();
        running.add(service);
      }
    } catch (RuntimeException e) {
      stopAll(running);
      throw e;
    }
    try {
      app.start();
    } catch (RuntimeException e) {
      stopAll(running);
      throw new HttpServerException(
          "cannot listen on " + host + ":" + requestedPort + ": " + e.getMessage(), e);
    }
    return this;
  }

  /** The port the server listens on (the bound one when configured with port 0). */
  public int port() {
    return app.port();
  }

  /** The address it listens on. */
  public String host() {
    return host;
  }

  /** {@code https} when {@code HTTP_TLS_KEYSTORE} is set, else {@code http}. */
  public String scheme() {
    return tls == null ? "http" : "https";
  }

  /**
   * Every HTTP route the server answers, as {@code METHOD /path} with Javalin's {@code {param}}
   * syntax, sorted; read from the router itself, so it is the truth the OpenAPI document is held
   * to.
   *
   * @return the routes
   */
  public List<String> routes() {
    List<String> routes = new ArrayList<>();
    for (ParsedEndpoint parsed : app.unsafe.internalRouter.allHttpHandlers()) {
      if (parsed.endpoint.method.isHttpMethod()) {
        routes.add(parsed.endpoint.method.name() + " " + parsed.endpoint.path);
      }
    }
    routes.sort(null);
    return routes;
  }

  /**
   * Stops gracefully: no new connections, in-flight requests finish (up to the stop timeout), then
   * the background services close in reverse order. Idempotent.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    draining.set(true);
    try {
      if (started.get()) {
        app.stop();
      }
    } catch (RuntimeException e) {
      LOG.warn("the HTTP server did not stop cleanly", e);
    } finally {
      stopAll(new ArrayList<>(services));
      if (ownMetrics != null) {
        ownMetrics.close();
      }
    }
  }

  /**
   * The meters the server records into: the builder's, or its own.
   *
   * @return the meters
   */
  public Metrics metrics() {
    return metrics;
  }

  private static void stopAll(List<BackgroundService> running) {
    for (int i = running.size() - 1; i >= 0; i--) {
      try {
        running.get(i).close();
      } catch (RuntimeException e) {
        LOG.warn("a background service did not stop cleanly", e);
      }
    }
  }

  private static void common(Context ctx) {
    // Jetty reuses threads: nothing of an earlier request may stay in the MDC.
    MDC.clear();
    // Always our own id: echoing a client's value would let it plant text (even a credential
    // pasted into the wrong header) in every log line of the request.
    String requestId = UUID.randomUUID().toString();
    MDC.put(MDC_REQUEST_ID, requestId);
    ctx.header(REQUEST_ID_HEADER, requestId);
    ctx.header("Cache-Control", "no-store");
    ctx.header("X-Content-Type-Options", "nosniff");
    if (ctx.req().getHeader("X-HTTP-Method-Override") != null) {
      // Javalin would route by this header; a proxy that filters methods would then be bypassed.
      throw RequestBodies.malformed("X-HTTP-Method-Override is not supported; use the real method");
    }
  }

  /** After each response: the latency by route template (never the raw path), then a clean MDC. */
  private static void finished(Metrics metrics, Context ctx, float millis) {
    try {
      io.javalin.router.Endpoint endpoint = ctx.endpoints().matchedHttpEndpoint();
      @SuppressWarnings("NullAway") // Kotlin: matchedHttpEndpoint() is nullable
      String route = endpoint == null ? "unmatched" : endpoint.path;
      metrics.request(
          ctx.method().name(),
          route,
          ctx.statusCode(),
          Duration.ofNanos((long) ((double) millis * 1_000_000)));
    } finally {
      MDC.clear();
    }
  }

  private void ready(Context ctx, Map<String, ReadinessCheck> checks) {
    Map<String, String> results = new LinkedHashMap<>();
    boolean ready = !draining.get();
    if (!ready) {
      results.put("server", "shutting down");
    }
    for (Map.Entry<String, ReadinessCheck> check : checks.entrySet()) {
      String problem;
      try {
        problem = check.getValue().problem();
      } catch (RuntimeException e) {
        LOG.warn("readiness check {} failed", check.getKey(), e);
        problem = "check failed";
      }
      results.put(check.getKey(), problem == null ? "ok" : problem);
      ready &= problem == null;
    }
    if (!ready) {
      throw ProblemException.of(503, "not-ready", "Not ready", "a readiness check failed")
          .with("checks", results)
          .withHeader("Retry-After", "5");
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", "ready");
    body.put("checks", results);
    ApiRoutes.json(ctx, 200, body);
  }

  private static @Nullable String vaultProblem(Vault vault) {
    try {
      vault.show(PROBE);
      return null;
    } catch (Exception e) {
      LOG.warn("readiness: the vault does not answer", e);
      return "the vault does not answer";
    }
  }

  private static @Nullable String brokerProblem(TaskGateway tasks) {
    try {
      tasks.brokerStats();
      return null;
    } catch (RuntimeException e) {
      LOG.warn("readiness: the task broker does not answer", e);
      return "the task broker does not answer";
    }
  }

  /** Javalin's own errors (404, 405, 413, ...) as problems, without Javalin's messages. */
  private static ProblemException fromJavalin(HttpResponseException e) {
    int status = e.getStatus();
    if (status < 400 || status > 599) {
      return Problems.internal(e);
    }
    ProblemException problem =
        switch (status) {
          case 404 -> ProblemException.http(404, "no route matches this path");
          case 405 -> ProblemException.http(405, "this path does not accept this method");
          case 413 -> RequestBodies.tooLarge();
          default -> ProblemException.http(status, Problems.reasonPhrase(status));
        };
    String allowed = e.getDetails().get("availableMethods");
    if (status == 405 && allowed != null) {
      problem = problem.withHeader("Allow", allowed.toUpperCase(Locale.ROOT));
    }
    return problem;
  }

  private static byte[] openApiDocument() {
    try (InputStream in = HttpApiServer.class.getResourceAsStream("openapi.json")) {
      if (in == null) {
        throw new IllegalStateException("openapi.json is missing from the classpath");
      }
      byte[] bytes = in.readAllBytes();
      // Fail at construction, not on the first request, if the resource is not JSON.
      new com.fasterxml.jackson.databind.ObjectMapper()
          .readTree(new String(bytes, StandardCharsets.UTF_8));
      return bytes;
    } catch (IOException e) {
      throw new IllegalStateException("cannot read openapi.json", e);
    }
  }

  /** Builds an {@link HttpApiServer}. */
  public static final class Builder {
    private final Vault vault;
    private final SecureTxConfig config;
    private Clock clock = Clock.systemUTC();
    private String host;
    private int port;
    private Duration stopTimeout = Duration.ofSeconds(10);
    private final List<RouteModule> modules = new ArrayList<>();
    private final List<BackgroundService> services = new ArrayList<>();
    private final Map<String, ReadinessCheck> checks = new LinkedHashMap<>();
    private @Nullable TaskGateway tasks;
    private String reportTask = "";
    private @Nullable Metrics metrics;
    private Supplier<Metrics> newMetrics = Metrics::create;
    private @Nullable Supplier<BrokerStats> brokerStats;
    private boolean metricsRoute = true;

    private Builder(Vault vault, SecureTxConfig config) {
      this.vault = Objects.requireNonNull(vault, "vault");
      this.config = Objects.requireNonNull(config, "config");
      this.host = config.http().host();
      this.port = config.http().port();
    }

    /**
     * The clock of the rate limiter (default: the system clock).
     *
     * @param clock the clock
     * @return this
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Overrides {@code HTTP_HOST}.
     *
     * @param host the address to listen on, e.g. {@code 127.0.0.1}
     * @return this
     */
    public Builder host(String host) {
      if (host.isBlank()) {
        throw new IllegalArgumentException("host must not be blank");
      }
      this.host = host;
      return this;
    }

    /**
     * Overrides {@code HTTP_PORT}.
     *
     * @param port the port, 0 for any free one
     * @return this
     */
    public Builder port(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port must be in 0..65535, got " + port);
      }
      this.port = port;
      return this;
    }

    /**
     * How long {@link #close()} waits for in-flight requests (default 10 s).
     *
     * @param timeout the timeout
     * @return this
     */
    public Builder stopTimeout(Duration timeout) {
      if (timeout.isNegative()) {
        throw new IllegalArgumentException("stop timeout must not be negative");
      }
      this.stopTimeout = timeout;
      return this;
    }

    /**
     * Adds routes.
     *
     * @param module the routes
     * @return this
     */
    public Builder module(RouteModule module) {
      modules.add(Objects.requireNonNull(module, "module"));
      return this;
    }

    /**
     * Adds the task routes ({@code /v1/tasks}, {@code /v1/reports}) over a task queue, and the
     * broker to {@code /readyz}.
     *
     * @param tasks the queue
     * @param reportTask the name of the task {@code POST /v1/reports} sends
     * @return this
     */
    public Builder tasks(TaskGateway tasks, String reportTask) {
      this.tasks = Objects.requireNonNull(tasks, "tasks");
      this.reportTask = Objects.requireNonNull(reportTask, "reportTask");
      return this;
    }

    /**
     * Adds a service that runs beside the server.
     *
     * @param service the service
     * @return this
     */
    public Builder service(BackgroundService service) {
      services.add(Objects.requireNonNull(service, "service"));
      return this;
    }

    /**
     * Adds a condition to {@code /readyz}.
     *
     * @param name its name in the readiness report
     * @param check the check
     * @return this
     * @throws IllegalArgumentException if the name is taken
     */
    public Builder readiness(String name, ReadinessCheck check) {
      if (checks.putIfAbsent(name, Objects.requireNonNull(check, "check")) != null
          || name.equals("vault")
          || name.equals("api_keys")
          || name.equals("tasks")) {
        throw new IllegalArgumentException("readiness check " + name + " already exists");
      }
      return this;
    }

    /**
     * The meters to record into and expose on {@code /metrics} (default: the server's own, closed
     * with it). Pass the process's {@link Metrics} so that other parts (an in-process worker, route
     * modules) add their meters to the same registry; the caller then closes it.
     *
     * @param metrics the meters
     * @return this
     */
    public Builder metrics(Metrics metrics) {
      this.metrics = Objects.requireNonNull(metrics, "metrics");
      return this;
    }

    /**
     * Leaves {@code /metrics} off this server, which then answers it 404: the process serves its
     * meters on a port of their own ({@link HttpMetricsServer}), so the API port can be public.
     *
     * @return this
     */
    public Builder withoutMetricsRoute() {
      this.metricsRoute = false;
      return this;
    }

    /**
     * How the server makes its own meters when {@link #metrics(Metrics)} gave none (tests watch
     * them to see that a failed build closes them).
     *
     * @param factory makes the meters
     * @return this builder
     */
    Builder newMetrics(Supplier<Metrics> factory) {
      this.newMetrics = Objects.requireNonNull(factory, "factory");
      return this;
    }

    /**
     * Where the queue gauges of {@code /metrics} come from, e.g. {@code broker::stats}; read at
     * most every two seconds however often {@code /metrics} is scraped.
     *
     * @param stats reads the broker
     * @return this
     */
    public Builder brokerStats(Supplier<BrokerStats> stats) {
      this.brokerStats = Objects.requireNonNull(stats, "stats");
      return this;
    }

    /**
     * Builds the server without starting it.
     *
     * @return the server
     * @throws io.securetx.config.ConfigException if an API key has the wrong form
     */
    public HttpApiServer build() {
      return new HttpApiServer(this);
    }
  }
}
