package io.securetx.task.memory;

import io.securetx.task.TaskRegistry;
import io.securetx.task.client.TaskClient;
import io.securetx.task.worker.TaskObserver;
import io.securetx.task.worker.Worker;
import io.securetx.task.worker.WorkerOptions;
import java.time.Clock;

/**
 * A whole task queue inside this process: an in-memory broker and result backend with one worker
 * consuming the default queue. The embedded mode's queue, for a single process that needs no Redis
 * (the demo, a service on embedded defaults). Tasks still go through the full wire format, so what
 * runs here runs the same on Redis. Nothing survives the process: messages still queued when it is
 * closed are lost.
 */
public final class InProcessQueue implements AutoCloseable {

  private final InMemoryBroker broker;
  private final InMemoryResultBackend backend;
  private final Worker worker;
  private final TaskClient client;

  private InProcessQueue(
      TaskRegistry registry, int concurrency, Clock clock, TaskObserver observer) {
    this.broker = new InMemoryBroker(clock);
    this.backend = new InMemoryResultBackend();
    this.worker =
        new Worker(
            WorkerOptions.defaults().withConcurrency(concurrency),
            broker,
            backend,
            registry,
            clock,
            observer);
    this.client = new TaskClient(broker, backend, clock);
  }

  /**
   * Starts a queue and its worker.
   *
   * @param registry the tasks the worker runs
   * @param concurrency how many tasks run at once
   * @param clock the source of time for ETAs, retries and result dates
   * @return the running queue; close it to stop the worker
   * @throws IllegalArgumentException if concurrency is below 1
   */
  public static InProcessQueue start(TaskRegistry registry, int concurrency, Clock clock) {
    InProcessQueue queue = create(registry, concurrency, clock);
    queue.startWorker();
    return queue;
  }

  /**
   * Creates a queue whose worker has not started yet: tasks sent before {@link #startWorker()} wait
   * in the broker.
   *
   * @param registry the tasks the worker runs
   * @param concurrency how many tasks run at once
   * @param clock the source of time for ETAs, retries and result dates
   * @return the queue; close it to stop the worker
   * @throws IllegalArgumentException if concurrency is below 1
   */
  public static InProcessQueue create(TaskRegistry registry, int concurrency, Clock clock) {
    return create(registry, concurrency, clock, TaskObserver.NONE);
  }

  /**
   * Creates a queue whose worker reports each settled task to an observer (the metrics); the worker
   * starts with {@link #startWorker()}.
   *
   * @param registry the tasks the worker runs
   * @param concurrency how many tasks run at once
   * @param clock the source of time for ETAs, retries and result dates
   * @param observer hears each task's final state
   * @return the queue; close it to stop the worker
   * @throws IllegalArgumentException if concurrency is below 1
   */
  public static InProcessQueue create(
      TaskRegistry registry, int concurrency, Clock clock, TaskObserver observer) {
    return new InProcessQueue(registry, concurrency, clock, observer);
  }

  /**
   * Starts the worker.
   *
   * @throws IllegalStateException if it was started before
   */
  public void startWorker() {
    worker.start();
  }

  /**
   * Sends tasks to this queue and reads their results.
   *
   * @return the client
   */
  public TaskClient client() {
    return client;
  }

  /**
   * The broker, for statistics and dead letters.
   *
   * @return the broker
   */
  public InMemoryBroker broker() {
    return broker;
  }

  /**
   * The result backend the worker stores results in.
   *
   * @return the backend
   */
  public InMemoryResultBackend backend() {
    return backend;
  }

  /**
   * The worker's id, as it appears in results and statistics.
   *
   * @return the id
   */
  public String workerId() {
    return worker.id();
  }

  /** Lets running tasks finish (up to a minute), then stops the worker. */
  @Override
  public void close() {
    worker.close();
  }
}
