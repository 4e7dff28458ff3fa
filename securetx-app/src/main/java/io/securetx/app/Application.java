package io.securetx.app;

import ch.qos.logback.classic.Level;
import io.securetx.adapter.cli.CliContext;
import io.securetx.adapter.http.BackgroundService;
import io.securetx.adapter.http.Dashboard;
import io.securetx.adapter.http.HttpApiServer;
import io.securetx.adapter.http.HttpMetricsServer;
import io.securetx.adapter.sql.DatabaseUrl;
import io.securetx.adapter.sql.SqlLedgerStore;
import io.securetx.adapter.sql.SqlSessionStore;
import io.securetx.config.ConfigException;
import io.securetx.config.ConfigLoader;
import io.securetx.config.SecureTxConfig;
import io.securetx.config.Variable;
import io.securetx.crypto.CryptoException;
import io.securetx.crypto.tink.TinkKeyRing;
import io.securetx.ledger.ChainVerifier;
import io.securetx.ledger.LedgerIntegrityException;
import io.securetx.ledger.LedgerOptions;
import io.securetx.ledger.LedgerStoreException;
import io.securetx.ledger.VerificationSummary;
import io.securetx.observability.Audit;
import io.securetx.observability.Logging;
import io.securetx.observability.Metrics;
import io.securetx.report.ReportMonth;
import io.securetx.report.WrittenReport;
import io.securetx.session.SessionPolicy;
import io.securetx.task.backend.ResultBackend;
import io.securetx.task.broker.Broker;
import io.securetx.task.redis.RedisBroker;
import io.securetx.task.redis.RedisResultBackend;
import io.securetx.task.redis.RedisUrl;
import io.securetx.task.worker.TaskObserver;
import io.securetx.vault.Vault;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Wires configuration, keys and the SQL vault together for the CLI. */
final class Application implements CliContext {

  private static final Logger LOG = LoggerFactory.getLogger(Application.class);

  /** The purpose of the key derived from the master key for the dashboard's login form. */
  static final String DASHBOARD_LOGIN_KEY = "dashboard-login";

  private final Map<String, String> environment;
  private final Clock clock;
  private @Nullable SecureTxConfig config;

  Application(Map<String, String> environment, Clock clock) {
    this.environment = Map.copyOf(environment);
    this.clock = clock;
  }

  @Override
  public synchronized SecureTxConfig config() {
    if (config == null) {
      SecureTxConfig loaded = ConfigLoader.load(environment);
      try {
        Logging.apply(loaded.logs().json(), loaded.logs().auditLog());
      } catch (IllegalStateException e) {
        // An audit file that cannot be opened is a configuration problem: refuse to start.
        throw new ConfigException(List.of(String.valueOf(e.getMessage())));
      }
      config = loaded;
    }
    return config;
  }

  @Override
  public Vault openVault() {
    SecureTxConfig cfg = config();
    TinkKeyRing keys = new KeyManager(cfg).loadOrCreate();
    return new Vault(keys, openStore(cfg), clock, LedgerOptions.DEFAULT);
  }

  @Override
  public Vault openExistingVault() {
    SecureTxConfig cfg = config();
    requireExistingVault(cfg);
    if (!TinkKeyRing.existsIn(cfg.keyDir())) {
      throw new CryptoException(
          "no keysets in " + cfg.keyDir() + "; the vault cannot be opened without its keys");
    }
    return openVault();
  }

  /** Reading commands never create an embedded vault as a side effect. */
  private static void requireExistingVault(SecureTxConfig cfg) {
    if (cfg.dbUrl() == null && !Files.isRegularFile(cfg.sqliteFile())) {
      throw new LedgerStoreException(
          "no vault at " + cfg.sqliteFile() + " yet; process a transaction first");
    }
  }

  SqlLedgerStore openStore(SecureTxConfig cfg) {
    return SqlLedgerStore.open(databaseUrl(cfg), clock, cfg.idempotencyRetention());
  }

  /** The vault's database: {@code DB_URL}, or the SQLite file in the data directory. */
  private static DatabaseUrl databaseUrl(SecureTxConfig cfg) {
    try {
      return cfg.dbUrl() == null
          ? DatabaseUrl.sqlite(cfg.sqliteFile())
          : DatabaseUrl.parse(cfg.dbUrl().insecureValue());
    } catch (IllegalArgumentException e) {
      // An unusable DB_URL is a configuration problem (exit 3), not an internal error; the
      // parser's message names DB_URL and never contains the password.
      throw new ConfigException(List.of(String.valueOf(e.getMessage())));
    }
  }

  @Override
  public String rotateKeys() {
    String description;
    try {
      description = new KeyManager(config()).rotate().describe();
    } catch (RuntimeException e) {
      Audit.failure("keys.rotate")
          .with("source", "cli")
          .with("reason", e.getClass().getSimpleName())
          .log();
      throw e;
    }
    Audit.success("keys.rotate").with("source", "cli").with("keys", description).log();
    return description;
  }

  @Override
  public String exportPublicKeyset() {
    return new KeyManager(config()).loadOrCreate().exportCheckpointPublicKeyset();
  }

  @Override
  public VerificationSummary verifyWithPublicKey(String publicKeysetJson)
      throws LedgerIntegrityException {
    ChainVerifier verifier =
        new ChainVerifier(TinkKeyRing.checkpointVerifierFromPublicKeyset(publicKeysetJson), null);
    requireExistingVault(config());
    try (SqlLedgerStore store = openStore(config())) {
      return verifier.verify(store);
    }
  }

  @Override
  public WrittenReport generateReport(String month) throws LedgerIntegrityException, IOException {
    // A bad month is refused before the vault is touched.
    ReportMonth parsed = ReportMonth.parse(month, clock);
    try (Vault vault = openExistingVault()) {
      return new GenerateMonthlyReport(() -> vault, config().reportDir(), clock).write(parsed);
    }
  }

  @Override
  public Broker openBroker() {
    return RedisBroker.connect(
        redisUrl(config().brokerUrl().insecureValue(), Variable.CELERY_BROKER_URL));
  }

  @Override
  public ResultBackend openResultBackend() {
    return RedisResultBackend.connect(
        redisUrl(config().resultBackend().insecureValue(), Variable.CELERY_RESULT_BACKEND));
  }

  private static RedisUrl redisUrl(String url, Variable variable) {
    if (url.equals(ServedTasks.MEMORY)) {
      throw new ConfigException(
          List.of(
              variable.name()
                  + ": memory:// keeps tasks inside one process, so only securetx serve and"
                  + " securetx demo can use it; workers and clients need redis:// or rediss://"));
    }
    try {
      return RedisUrl.parse(url);
    } catch (IllegalArgumentException e) {
      // RedisUrl's messages never repeat the password.
      throw new ConfigException(List.of(variable.name() + ": " + e.getMessage()));
    }
  }

  @Override
  public void serve(
      ServeOptions options, Consumer<String> listening, Consumer<String> metricsListening) {
    SecureTxConfig cfg = config();
    HttpApiServer.checkApiKeys(cfg);
    HttpApiServer.checkTls(cfg);
    if (cfg.apiKey().insecureValue().equals(Variable.API_KEY_V1.defaultValue())) {
      LOG.warn("API_KEY_V1 is the seed's placeholder: fine for development, refused in production");
    }
    CountDownLatch stop = new CountDownLatch(1);
    for (String name : List.of("TERM", "INT")) {
      sun.misc.Signal.handle(new sun.misc.Signal(name), signal -> stop.countDown());
    }
    AtomicBoolean serving = new AtomicBoolean();
    // Closed in reverse order: the server (after its last request), the vault, the metrics port,
    // the meters. The metrics port is bound before the vault opens: a taken one changes nothing.
    try (Metrics metrics = Metrics.create();
        // Null without a metrics port; try-with-resources then has nothing to close.
        HttpMetricsServer metricsPort =
            MetricsPort.start(cfg, options.metrics(), metrics, serving::get);
        Vault vault = openVault();
        HttpApiServer server = httpServer(vault, cfg, options, metrics, metricsPort != null)) {
      server.start();
      serving.set(true);
      String host = server.host().equals("0.0.0.0") ? "localhost" : server.host();
      listening.accept(server.scheme() + "://" + host + ":" + server.port());
      if (metricsPort != null) {
        metricsListening.accept(metricsPort.url());
      }
      stop.await();
      serving.set(false);
      LOG.info("stopping: answering the requests in flight, then closing the vault");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public CliContext.WorkerMetrics openWorkerMetrics(MetricsOptions options) {
    return WorkerMeters.open(config(), options, clock);
  }

  /**
   * The HTTP API over a vault, with its task queue: in process on the embedded defaults, Redis
   * otherwise (see {@link ServedTasks}).
   */
  HttpApiServer httpServer(Vault vault, SecureTxConfig cfg, ServeOptions options) {
    return httpServer(vault, cfg, options, null, false);
  }

  /**
   * The HTTP API over a vault, with its task queue, recording into {@code metrics}: the process's
   * meters, which the in-process worker and the broker's gauges share with the server; null gives
   * the server its own, without task counts. {@code metricsElsewhere} leaves {@code /metrics} off
   * the API port, for a process that serves it on a port of its own.
   */
  HttpApiServer httpServer(
      Vault vault,
      SecureTxConfig cfg,
      ServeOptions options,
      @Nullable Metrics metrics,
      boolean metricsElsewhere) {
    ServedTasks tasks =
        ServedTasks.create(
            cfg,
            vault,
            this::openBroker,
            this::openResultBackend,
            clock,
            metrics == null ? TaskObserver.NONE : metrics.taskObserver());
    HttpApiServer.Builder builder =
        HttpApiServer.builder(vault, cfg)
            .clock(clock)
            .tasks(tasks.gateway(), GenerateMonthlyReport.NAME)
            .brokerStats(tasks::stats)
            .service(tasks);
    if (metrics != null) {
      builder.metrics(metrics);
    }
    if (metricsElsewhere) {
      builder.withoutMetricsRoute();
    }
    if (options.host() != null) {
      builder.host(options.host());
    }
    if (options.port() != null) {
      builder.port(options.port());
    }
    SqlSessionStore sessions = null;
    try {
      // In the vault's database, under a login key every server derives from the master key: any
      // server of a deployment knows every session and accepts every login form (no sticky
      // sessions).
      sessions = SqlSessionStore.open(databaseUrl(cfg), clock, SessionPolicy.DEFAULT);
      byte[] loginKey = new KeyManager(cfg).derivedKey(DASHBOARD_LOGIN_KEY);
      builder.service(new ClosingService(sessions));
      return builder
          .module(new Dashboard(vault, cfg, tasks.gateway(), clock, sessions, loginKey))
          .build();
    } catch (RuntimeException e) {
      if (sessions != null) {
        sessions.close();
      }
      tasks.close();
      throw e;
    }
  }

  /** Closes a resource when the server stops, after its last request. */
  private record ClosingService(AutoCloseable resource) implements BackgroundService {
    @Override
    public void start() {
      // Open already.
    }

    @Override
    public void close() {
      try {
        resource.close();
      } catch (Exception e) {
        LOG.warn("could not close {}", resource.getClass().getSimpleName(), e);
      }
    }
  }

  @Override
  public CliContext.InstalledTasks openTasks() {
    return new SeedTasks(config(), this::openVault, clock);
  }

  @Override
  public Clock clock() {
    return clock;
  }

  @Override
  public void logLevel(String level) {
    Level parsed =
        switch (level.toLowerCase(Locale.ROOT)) {
          case "debug" -> Level.DEBUG;
          case "info" -> Level.INFO;
          case "warning", "warn" -> Level.WARN;
          case "error", "critical", "fatal" -> Level.ERROR;
          default ->
              throw new IllegalArgumentException(
                  "unknown log level '" + level + "'; use debug, info, warning or error");
        };
    ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME))
        .setLevel(parsed);
  }
}
