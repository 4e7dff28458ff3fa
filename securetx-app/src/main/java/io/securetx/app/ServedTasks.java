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
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The task queue of {@code securetx serve}. On the embedded defaults (no {@code CELERY_BROKER_URL},
 * or {@code memory://}) it is a queue inside the process with a worker running the seed's tasks
 * over the server's own vault, so one command gives a working service; with a Redis broker the
 * server only sends tasks and reads results, and {@code securetx worker} processes run them.
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
   * @return true when {@code CELERY_BROKER_URL} is unset or {@code memory://}
   */
  static boolean inProcess(SecureTxConfig config) {
    return config.source(Variable.CELERY_BROKER_URL) == SecureTxConfig.Source.DEFAULT
        || config.brokerUrl().insecureValue().equals(MEMORY);
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
          "in-process task worker {} started ({} threads); tasks do not survive a restart",
          queue.workerId(),
          IN_PROCESS_CONCURRENCY);
    }
  }

  @Override
  public void close() {
    try {
      if (queue != null) {
        queue.close();
      }
      if (backend != null) {
        backend.close();
      }
      if (broker != null) {
        broker.close();
      }
    } finally {
      tasks.close();
    }
  }
}
