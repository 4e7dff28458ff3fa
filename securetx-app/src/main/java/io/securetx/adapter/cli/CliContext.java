package io.securetx.adapter.cli;

import io.securetx.config.SecureTxConfig;
import io.securetx.ledger.LedgerIntegrityException;
import io.securetx.ledger.VerificationSummary;
import io.securetx.report.WrittenReport;
import io.securetx.task.TaskRegistry;
import io.securetx.task.backend.ResultBackend;
import io.securetx.task.broker.Broker;
import io.securetx.task.broker.BrokerStats;
import io.securetx.task.worker.TaskObserver;
import io.securetx.vault.Vault;
import java.io.IOException;
import java.time.Clock;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/** What the commands need from the application; implemented by the composition root. */
public interface CliContext {

  /**
   * The effective configuration.
   *
   * @throws io.securetx.config.ConfigException if it is invalid
   */
  SecureTxConfig config();

  /**
   * Opens the vault with its keys, creating both on first use (keys only in development).
   *
   * @return the vault; the caller closes it
   * @throws io.securetx.SecureTxException if the keys or the vault cannot be opened
   */
  Vault openVault();

  /**
   * Opens a vault that must already exist; reading never creates one.
   *
   * @return the vault; the caller closes it
   * @throws io.securetx.SecureTxException if there is no vault yet, or it cannot be opened
   */
  Vault openExistingVault();

  /**
   * Adds a new primary key to the MAC, AEAD and checkpoint keysets and saves them.
   *
   * @return a description of the resulting keysets (ids only)
   * @throws io.securetx.SecureTxException if the keys cannot be loaded or saved
   */
  String rotateKeys();

  /**
   * The public checkpoint keyset as Tink JSON.
   *
   * @throws io.securetx.SecureTxException if the keys cannot be loaded
   */
  String exportPublicKeyset();

  /**
   * Verifies the vault's chain and checkpoints with a public keyset only, no secret key.
   *
   * @param publicKeysetJson the output of {@link #exportPublicKeyset()}
   * @return what was verified
   * @throws LedgerIntegrityException at the first bad entry
   */
  VerificationSummary verifyWithPublicKey(String publicKeysetJson) throws LedgerIntegrityException;

  /**
   * Generates a month's report in this process, as the {@code generate_monthly_report} task does:
   * verifies the whole vault and writes {@code report_YYYY-MM.pdf} under {@code REPORT_DIR}.
   *
   * @param month {@code 2026-08}, {@code August 2026} or {@code August} (the most recent August
   *     that has begun, UTC)
   * @return the written file and what it says
   * @throws io.securetx.transaction.ValidationException if the month is not one, or has not begun
   * @throws LedgerIntegrityException if the vault failed verification; the report stating the
   *     failure was written, and the message names it
   * @throws IOException if the report cannot be written
   * @throws io.securetx.SecureTxException if there is no vault, or it cannot be opened
   */
  WrittenReport generateReport(String month) throws LedgerIntegrityException, IOException;

  /**
   * Connects to the task broker named by {@code CELERY_BROKER_URL}.
   *
   * @return the broker; the caller closes it
   * @throws io.securetx.config.ConfigException if the URL is invalid
   * @throws io.securetx.task.broker.BrokerException if the broker cannot be reached
   */
  Broker openBroker();

  /**
   * Connects to the result backend named by {@code CELERY_RESULT_BACKEND}.
   *
   * @return the backend; the caller closes it
   * @throws io.securetx.config.ConfigException if the URL is invalid
   * @throws io.securetx.task.backend.ResultBackendException if it cannot be reached
   */
  ResultBackend openResultBackend();

  /**
   * Opens the tasks this installation's worker runs, with what they use (the vault, the mailer).
   * Nothing is connected until a task needs it.
   *
   * @return the tasks; close them after the worker has stopped
   * @throws io.securetx.config.ConfigException if the configuration is invalid
   */
  InstalledTasks openTasks();

  /**
   * The clock every command uses.
   *
   * @return the clock
   */
  Clock clock();

  /**
   * Runs the HTTP API until SIGTERM or SIGINT, then stops it gracefully (requests in flight are
   * answered) and closes the vault after the last one. Refuses to start, before opening the vault,
   * when no valid API key is configured or the metrics port cannot be bound. With a metrics port,
   * {@code /metrics} is served there and no longer on the API port.
   *
   * @param options overrides of {@code HTTP_HOST}, {@code HTTP_PORT}, {@code METRICS_BIND} and
   *     {@code METRICS_PORT}
   * @param listening called with the base URL once the server accepts requests
   * @param metricsListening called with the URL of {@code /metrics} once its own port answers
   *     (never without a metrics port)
   * @throws io.securetx.config.ConfigException if the configuration or an API key is invalid, or
   *     the metrics port is taken
   * @throws io.securetx.SecureTxException if the vault cannot be opened or the API port is taken
   */
  void serve(ServeOptions options, Consumer<String> listening, Consumer<String> metricsListening);

  /**
   * Options of {@code securetx serve}.
   *
   * @param host the address to listen on, or null for {@code HTTP_HOST}
   * @param port the port, or null for {@code HTTP_PORT}
   * @param metrics where {@code /metrics} goes instead of the API port
   */
  record ServeOptions(@Nullable String host, @Nullable Integer port, MetricsOptions metrics) {

    /**
     * Without metrics overrides: {@code METRICS_PORT} and {@code METRICS_BIND} decide.
     *
     * @param host the address to listen on, or null for {@code HTTP_HOST}
     * @param port the port, or null for {@code HTTP_PORT}
     */
    public ServeOptions(@Nullable String host, @Nullable Integer port) {
      this(host, port, MetricsOptions.FROM_ENVIRONMENT);
    }
  }

  /**
   * Where a separate {@code /metrics} and {@code /healthz} endpoint listens ({@code
   * --metrics-port}, {@code --metrics-bind}).
   *
   * @param bind the address, or null for {@code METRICS_BIND}
   * @param port the port (0 for any free one), or null for {@code METRICS_PORT}; no endpoint when
   *     both are unset
   */
  record MetricsOptions(@Nullable String bind, @Nullable Integer port) {

    /** No override: the environment decides. */
    public static final MetricsOptions FROM_ENVIRONMENT = new MetricsOptions(null, null);
  }

  /**
   * Opens the meters of a {@code securetx worker} and, when a metrics port is configured, binds it
   * at once: a taken port is refused before the worker fetches anything. {@code /metrics} answers
   * from then on; {@code /healthz} answers 200 once {@link WorkerMetrics#watch} is told the worker
   * runs, and as long as it does.
   *
   * @param options overrides of {@code METRICS_BIND} and {@code METRICS_PORT}
   * @return the meters; close them after the worker has stopped
   * @throws io.securetx.config.ConfigException if the configuration is invalid, or the metrics
   *     address cannot be bound (the port is taken, the host is unknown)
   */
  WorkerMetrics openWorkerMetrics(MetricsOptions options);

  /** The meters of a worker process, and the endpoint that serves them, if one is configured. */
  interface WorkerMetrics extends AutoCloseable {

    /**
     * Counts each settled task by name and state, or nothing when there is no endpoint.
     *
     * @return the observer to give the worker
     */
    TaskObserver taskObserver();

    /**
     * Adds the queue gauges and ties {@code /healthz} to the worker.
     *
     * @param stats reads the broker's stats for the worker's queues; read at most every two seconds
     *     however often {@code /metrics} is scraped
     * @param running whether the worker runs
     */
    void watch(Supplier<BrokerStats> stats, BooleanSupplier running);

    /**
     * The URL of {@code /metrics}, or null when there is no endpoint.
     *
     * @return the URL
     */
    @Nullable String url();

    /** Stops the endpoint, freeing its port, and closes the meters. Idempotent. */
    @Override
    void close();
  }

  /**
   * Sets the log level of every logger, as {@code --loglevel} does.
   *
   * @param level {@code debug}, {@code info}, {@code warning}, {@code error} (case-insensitive)
   * @throws IllegalArgumentException if the level is unknown
   */
  void logLevel(String level);

  /** The tasks a worker runs, and the resources they hold until closed. */
  interface InstalledTasks extends AutoCloseable {

    /**
     * The tasks by name, with their aliases.
     *
     * @return the registry
     */
    TaskRegistry registry();

    /** Releases what the tasks opened (commits pending vault writes first). */
    @Override
    void close();
  }
}
