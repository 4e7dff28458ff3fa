package io.securetx.observability;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.securetx.task.broker.BrokerStats;
import io.securetx.task.wire.TaskState;
import io.securetx.task.worker.TaskObserver;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The process's meters, rendered in the Prometheus text format by {@link #scrape()}. It holds the
 * JVM and process basics and the application's own meters: transactions by outcome, HTTP request
 * latency by route template and status, tasks by state, vault integrity failures, API key
 * authentication failures, and the broker's queue gauges. Other parts add their own meters through
 * {@link #registry()}. No meter carries an id, a path with ids or a secret as a tag.
 */
public final class Metrics implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Metrics.class);

  /** The content type of {@link #scrape()}. */
  public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  /** Task names beyond this many are counted as {@code other}: names come from messages. */
  private static final int MAX_TASK_NAMES = 64;

  private final PrometheusMeterRegistry registry;
  private final JvmGcMetrics gc;
  private final Set<String> taskNames = ConcurrentHashMap.newKeySet();
  private final Map<String, Counter> counters = new ConcurrentHashMap<>();

  /** Request timers by method, route template and status: a bounded set, built once each. */
  private final Map<String, Timer> timers = new ConcurrentHashMap<>();

  private @Nullable BrokerGauges broker;

  private Metrics() {
    this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new JvmMemoryMetrics().bindTo(registry);
    this.gc = new JvmGcMetrics();
    gc.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    new FileDescriptorMetrics().bindTo(registry);
  }

  /**
   * A new set of meters with the JVM and process basics bound.
   *
   * @return the meters
   */
  public static Metrics create() {
    return new Metrics();
  }

  /**
   * The registry, for parts that add their own meters (name them {@code securetx.*}).
   *
   * @return the registry
   */
  public MeterRegistry registry() {
    return registry;
  }

  /**
   * Every meter in the Prometheus text format (version 0.0.4), refreshing the broker gauges first
   * (from a cache, see {@link #brokerStats}).
   *
   * @return the exposition
   */
  public String scrape() {
    BrokerGauges gauges;
    synchronized (this) {
      gauges = broker;
    }
    if (gauges != null) {
      gauges.refreshQueues();
    }
    return registry.scrape();
  }

  /**
   * Counts a request to store a transaction: {@code securetx_transactions_total{outcome}}.
   *
   * @param outcome {@code created}, {@code replayed}, {@code rejected} (invalid request), {@code
   *     conflict} (idempotency key in use or reused), {@code integrity_failure} or {@code error}
   */
  public void transaction(String outcome) {
    count(
        "securetx.transactions", "Requests to store a transaction, by outcome", "outcome", outcome);
  }

  /**
   * Counts a failed integrity check: {@code securetx_vault_integrity_failures_total{operation}}.
   *
   * @param operation what found it: {@code verify}, {@code show}, {@code process}
   */
  public void integrityFailure(String operation) {
    count(
        "securetx.vault.integrity.failures",
        "Vault integrity failures seen, by operation",
        "operation",
        operation);
  }

  /**
   * Counts a refused API key: {@code securetx_auth_failures_total{reason}}.
   *
   * @param reason {@code missing}, {@code malformed}, {@code invalid}, {@code repeated}
   */
  public void authFailure(String reason) {
    count("securetx.auth.failures", "Requests refused for their credentials", "reason", reason);
  }

  private void count(String name, String description, String tag, String value) {
    counters
        .computeIfAbsent(
            name + '\0' + value,
            k -> Counter.builder(name).description(description).tag(tag, value).register(registry))
        .increment();
  }

  /**
   * Records one HTTP request: {@code http_server_requests_seconds{method,route,status}}, a
   * histogram.
   *
   * @param method the method
   * @param route the route template, such as {@code /v1/transactions/{tx_id}}, or {@code
   *     unmatched}; never the raw path
   * @param status the response status
   * @param duration how long it took
   */
  public void request(String method, String route, int status, Duration duration) {
    timers
        .computeIfAbsent(method + ' ' + route + ' ' + status, k -> timer(method, route, status))
        .record(duration);
  }

  private Timer timer(String method, String route, int status) {
    return Timer.builder("http.server.requests")
        .description("HTTP requests, by route template and status")
        .tags("method", method, "route", route, "status", Integer.toString(status))
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(1))
        .maximumExpectedValue(Duration.ofSeconds(30))
        .serviceLevelObjectives(
            Duration.ofMillis(50), Duration.ofMillis(250), Duration.ofSeconds(1))
        .register(registry);
  }

  /**
   * An observer for a {@link io.securetx.task.worker.Worker} in this process: {@code
   * securetx_tasks_total{task,state}} and {@code securetx_task_runtime_seconds{task,state}}.
   *
   * @return the observer
   */
  public TaskObserver taskObserver() {
    return (task, id, state, runtime) -> {
      String name = taskNames.size() < MAX_TASK_NAMES || taskNames.contains(task) ? task : "other";
      taskNames.add(name);
      Tags tags = Tags.of("task", name, "state", state.name());
      registry.counter("securetx.tasks", tags).increment();
      if (!state.equals(TaskState.REVOKED)) {
        registry.timer("securetx.task.runtime", tags).record(runtime);
      }
    };
  }

  /**
   * Reads the broker's queue gauges from a source, at most once per {@code cacheFor} however often
   * {@code /metrics} is scraped: {@code securetx_queue_depth{queue}}, {@code
   * securetx_tasks_scheduled}, {@code securetx_tasks_in_flight}, {@code securetx_tasks_dead},
   * {@code securetx_workers_alive}, and {@code securetx_broker_up} (0 when the last read failed,
   * which leaves the others at their last value).
   *
   * @param source reads the broker, e.g. {@code broker::stats}
   * @param clock the clock of the cache
   * @param cacheFor how long one read serves
   * @throws IllegalStateException if a source was already set
   */
  public synchronized void brokerStats(
      Supplier<BrokerStats> source, Clock clock, Duration cacheFor) {
    if (broker != null) {
      throw new IllegalStateException("the broker's stats source is already set");
    }
    BrokerGauges gauges = new BrokerGauges(source, clock, cacheFor);
    gauges.register();
    broker = gauges;
  }

  /** Stops the JVM listeners and closes the registry. */
  @Override
  public void close() {
    gc.close();
    registry.close();
  }

  private final class BrokerGauges {
    private final Supplier<BrokerStats> source;
    private final Clock clock;
    private final Duration cacheFor;
    private final MultiGauge queues;
    private @Nullable BrokerStats last;
    private @Nullable Instant readAt;
    private boolean up;

    BrokerGauges(Supplier<BrokerStats> source, Clock clock, Duration cacheFor) {
      this.source = Objects.requireNonNull(source, "source");
      this.clock = Objects.requireNonNull(clock, "clock");
      this.cacheFor = Objects.requireNonNull(cacheFor, "cacheFor");
      this.queues =
          MultiGauge.builder("securetx.queue.depth")
              .description("Messages waiting per queue")
              .register(registry);
    }

    void register() {
      gauge(
          "securetx.tasks.scheduled",
          "Messages waiting for their ETA or retry",
          s -> s.scheduled());
      gauge("securetx.tasks.in.flight", "Messages held by workers", s -> s.inFlight());
      gauge("securetx.tasks.dead", "Messages in the dead-letter list", s -> s.dead());
      gauge("securetx.workers.alive", "Workers whose heartbeat is alive", s -> s.workers().size());
      Gauge.builder("securetx.broker.up", this, g -> g.read() == null || !g.up ? 0 : 1)
          .description("1 when the broker answered the last read")
          .register(registry);
    }

    private void gauge(String name, String description, ToDoubleFunction<BrokerStats> value) {
      Gauge.builder(
              name,
              this,
              g -> {
                BrokerStats stats = g.read();
                return stats == null ? Double.NaN : value.applyAsDouble(stats);
              })
          .description(description)
          .register(registry);
    }

    void refreshQueues() {
      BrokerStats stats = read();
      if (stats == null) {
        return;
      }
      List<MultiGauge.Row<?>> rows = new ArrayList<>();
      stats
          .queueDepths()
          .forEach((queue, depth) -> rows.add(MultiGauge.Row.of(Tags.of("queue", queue), depth)));
      queues.register(rows, true);
    }

    synchronized @Nullable BrokerStats read() {
      Instant now = clock.instant();
      if (readAt != null && now.isBefore(readAt.plus(cacheFor))) {
        return last;
      }
      readAt = now;
      try {
        last = source.get();
        up = true;
      } catch (RuntimeException e) {
        // Counted as down until the next read; the message of a broker error names no password.
        if (up || last == null) {
          LOG.warn("metrics: cannot read the broker's stats: {}", e.getClass().getSimpleName());
        }
        up = false;
      }
      return last;
    }
  }
}
