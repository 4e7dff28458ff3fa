package io.securetx.app;

import io.securetx.adapter.cli.CliContext;
import io.securetx.adapter.http.HttpMetricsServer;
import io.securetx.config.SecureTxConfig;
import io.securetx.observability.Metrics;
import io.securetx.task.broker.BrokerStats;
import io.securetx.task.worker.TaskObserver;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The meters of a {@code securetx worker} process and the port that serves them; without a metrics
 * port it counts nothing, so a worker that nobody scrapes pays nothing.
 */
final class WorkerMeters implements CliContext.WorkerMetrics {

  /** How long one read of the broker's stats serves the queue gauges. */
  private static final Duration BROKER_CACHE = Duration.ofSeconds(2);

  private final @Nullable Metrics metrics;
  private final @Nullable HttpMetricsServer server;
  private final Clock clock;
  private final AtomicReference<BooleanSupplier> running;
  private final AtomicBoolean closed = new AtomicBoolean();

  private WorkerMeters(
      @Nullable Metrics metrics,
      @Nullable HttpMetricsServer server,
      Clock clock,
      AtomicReference<BooleanSupplier> running) {
    this.metrics = metrics;
    this.server = server;
    this.clock = clock;
    this.running = running;
  }

  /**
   * Opens the meters and binds the port, when one is configured; {@code /healthz} answers 503 until
   * {@link #watch} ties it to the worker.
   *
   * @throws io.securetx.config.ConfigException if the port cannot be bound
   */
  static WorkerMeters open(SecureTxConfig config, CliContext.MetricsOptions options, Clock clock) {
    AtomicReference<BooleanSupplier> running = new AtomicReference<>(() -> false);
    if (!MetricsPort.configured(config, options)) {
      return new WorkerMeters(null, null, clock, running);
    }
    Metrics metrics = Metrics.create();
    try {
      HttpMetricsServer server =
          MetricsPort.start(
              config, options, metrics, () -> Objects.requireNonNull(running.get()).getAsBoolean());
      return new WorkerMeters(metrics, server, clock, running);
    } catch (RuntimeException e) {
      metrics.close();
      throw e;
    }
  }

  @Override
  public TaskObserver taskObserver() {
    return metrics == null ? TaskObserver.NONE : metrics.taskObserver();
  }

  @Override
  public void watch(Supplier<BrokerStats> stats, BooleanSupplier running) {
    this.running.set(Objects.requireNonNull(running, "running"));
    if (metrics != null) {
      metrics.brokerStats(stats, clock, BROKER_CACHE);
    }
  }

  @Override
  public @Nullable String url() {
    return server == null ? null : server.url();
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    if (server != null) {
      server.close();
    }
    if (metrics != null) {
      metrics.close();
    }
  }
}
