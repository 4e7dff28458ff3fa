package io.securetx.app;

import io.securetx.adapter.http.BackgroundService;
import io.securetx.adapter.http.QueueTaskGateway;
import io.securetx.adapter.http.TaskGateway;
import io.securetx.config.SecureTxConfig;
import io.securetx.config.Variable;
import io.securetx.task.backend.ResultBackend;
import io.securetx.task.broker.Broker;
import io.securetx.task.broker.BrokerStats;
import io.securetx.task.client.TaskClient;
import io.securetx.task.memory.InProcessQueue;
import io.securetx.task.worker.TaskObserver;
import io.securetx.vault.Vault;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The task queue of {@code securetx serve}. With {@code CELERY_BROKER_URL=memory://}, or in
 * development with it unset, it is a queue inside the process with a worker running the seed's
 * tasks over the server's own vault, so one command gives a working service (tasks do not survive a
 * restart); with a Redis broker (in production, the default when it is unset, as for {@code
 * securetx worker}) the server only sends tasks and reads results, and {@code securetx worker}
 * processes run them.
 */
final class ServedTasks implements BackgroundService {

  /** The value of {@code CELERY_BROKER_URL} that asks for the in-process queue explicitly. */
  static final String MEMORY = "memory://";

  private static final Logger LOG = LoggerFactory.getLogger(ServedTasks.class);

  /** Worker threads of the in-process queue: enough for a report and an e-mail at once. */
  private static final int IN_PROCESS_CONCURRENCY = 2;

  private final SeedTasks tasks;
  private final @Nullable InProcessQueue queue;
  private final @Nullable Broker broker;
  private final @Nullable ResultBackend backend;
  private final TaskGateway gateway;
  private final AtomicBoolean closed = new AtomicBoolean();

  private ServedTasks(
      SeedTasks tasks,
      @Nullable InProcessQueue queue,
      @Nullable Broker broker,
      @Nullable ResultBackend backend,
      TaskGateway gateway) {
    this.tasks = tasks;
    this.queue = queue;
    this.broker = broker;
    this.backend = backend;
    this.gateway = gateway;
  }

  /**
   * Whether the configuration asks for the in-process queue.
   *
   * @param config the configuration
   * @return true when {@code CELERY_BROKER_URL} is {@code memory://}, or unset in development; in
   *     production an unset one means the default Redis broker, so that tasks are never kept only
   *     in a process's memory without asking
   */
  static boolean inProcess(SecureTxConfig config) {
    if (config.brokerUrl().insecureValue().equals(MEMORY)) {
      return true;
    }
    return !config.production()
        && config.source(Variable.CELERY_BROKER_URL) == SecureTxConfig.Source.DEFAULT;
  }

  /**
   * Builds the queue for a server; nothing runs until {@link #start()}.
   *
   * @param config the configuration
   * @param vault the server's vault, which the in-process tasks share (the caller closes it)
   * @param broker opens the Redis broker when not in process
   * @param backend opens the Redis result backend when not in process
   * @param clock the clock
   * @param observer hears each task the in-process worker settles (the metrics)
   * @return the queue
   */
  static ServedTasks create(
      SecureTxConfig config,
      Vault vault,
      Supplier<Broker> broker,
      Supplier<ResultBackend> backend,
      Clock clock,
      TaskObserver observer) {
    SeedTasks tasks = SeedTasks.over(config, vault, clock);
    try {
      if (inProcess(config)) {
        LOG.warn(
            "tasks run in an in-process queue (CELERY_BROKER_URL {}): tasks do not survive a"
                + " restart and no separate worker sees them",
            config.source(Variable.CELERY_BROKER_URL) == SecureTxConfig.Source.DEFAULT
                ? "unset"
                : "is " + MEMORY);
        InProcessQueue queue =
            InProcessQueue.create(tasks.registry(), IN_PROCESS_CONCURRENCY, clock, observer);
        return new ServedTasks(
            tasks,
            queue,
            null,
            null,
            new QueueTaskGateway(
                tasks.registry(),
                queue.broker(),
                queue.backend(),
                clock,
                config.idempotencyRetention()));
      }
      Broker redis = broker.get();
      try {
        ResultBackend results = backend.get();
        return new ServedTasks(
            tasks,
            null,
            redis,
            results,
            new QueueTaskGateway(
                tasks.registry(), redis, results, clock, config.idempotencyRetention()));
      } catch (RuntimeException e) {
        redis.close();
        throw e;
      }
    } catch (RuntimeException e) {
      tasks.close();
      throw e;
    }
  }

  /**
   * The broker's queue depths and workers, for the metrics.
   *
   * @return the snapshot
   */
  BrokerStats stats() {
    Broker source = queue != null ? queue.broker() : Objects.requireNonNull(broker);
    return source.stats(List.of(TaskClient.DEFAULT_QUEUE));
  }

  /** The gateway the task routes and the dashboard use. */
  TaskGateway gateway() {
    return gateway;
  }

  @Override
  public void start() {
    if (queue != null) {
      queue.startWorker();
      LOG.info(
          "in-process task worker {} started ({} threads)",
          queue.workerId(),
          IN_PROCESS_CONCURRENCY);
    }
  }

  /** Closes the queue, the backend and the broker, each even if another fails, then the tasks. */
  @Override
  public void close() {
    if (closed.getAndSet(true)) {
      return;
    }
    try {
      closeQuietly("the in-process queue", queue);
      closeQuietly("the result backend", backend);
      closeQuietly("the broker", broker);
    } finally {
      tasks.close();
    }
  }

  private static void closeQuietly(String what, @Nullable AutoCloseable resource) {
    if (resource == null) {
      return;
    }
    try {
      resource.close();
    } catch (Exception e) {
      LOG.warn("{} did not close cleanly", what, e);
    }
  }
}
