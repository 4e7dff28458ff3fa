package io.securetx.task.worker;

import static java.util.Objects.requireNonNull;

import io.securetx.task.Invocation;
import io.securetx.task.ResultSerializer;
import io.securetx.task.TaskArgumentException;
import io.securetx.task.TaskContext;
import io.securetx.task.TaskHandler;
import io.securetx.task.TaskRegistry;
import io.securetx.task.backend.ResultBackend;
import io.securetx.task.broker.Broker;
import io.securetx.task.broker.DeadLetter;
import io.securetx.task.broker.Delivery;
import io.securetx.task.broker.WorkerInfo;
import io.securetx.task.wire.CeleryCodec;
import io.securetx.task.wire.Envelope;
import io.securetx.task.wire.ExceptionInfo;
import io.securetx.task.wire.PriorityLists;
import io.securetx.task.wire.ResultMeta;
import io.securetx.task.wire.TaskMessage;
import io.securetx.task.wire.TaskState;
import io.securetx.task.wire.WireFormatException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Runs Celery tasks from a broker. One thread fetches (at most {@link
 * WorkerOptions#prefetchLimit()} messages held at a time), a pool of {@link
 * WorkerOptions#concurrency()} threads runs handlers, and one thread stores results in batches and
 * acknowledges each message only after its result is stored. A thread of its own beats the
 * heartbeat, so nothing else the worker does can delay it past its time to live; a timer thread
 * moves due messages out of the schedule, puts back the messages of dead workers and enforces time
 * limits.
 *
 * <p>{@link #shutdown()} stops fetching, lets running tasks finish, puts back what was fetched but
 * not started, and ends; {@link #shutdownNow()} interrupts running tasks and puts back everything
 * it holds, so even then nothing is lost (a task interrupted mid-run will run again).
 *
 * <p>While a task is settled and run, the SLF4J MDC holds {@value #MDC_TASK_ID} and {@value
 * #MDC_TASK_NAME}, so every log line of the task, the handler's included, names it.
 */
public final class Worker implements AutoCloseable {

  /** The MDC key of the id of the task being run. */
  public static final String MDC_TASK_ID = "task_id";

  /** The MDC key of the name of the task being run. */
  public static final String MDC_TASK_NAME = "task_name";

  private static final Logger log = LoggerFactory.getLogger(Worker.class);
  private static final int MAX_FETCH = 256;
  private static final int MAX_RELEASE = 1_000;
  private static final Duration FETCH_WAIT = Duration.ofMillis(500);

  private final WorkerOptions options;
  private final Broker broker;
  private final ResultBackend backend;
  private final TaskRegistry registry;
  private final Clock clock;
  private final TaskObserver observer;
  private final CeleryCodec codec = CeleryCodec.create();
  private final SecureRandom random = new SecureRandom();
  private final Redelivery redelivery;
  private final WorkerInfo info;
  private final List<String> lists;

  private final Semaphore slots;
  private final ThreadPoolExecutor pool;
  private final ScheduledExecutorService timer;
  private final ScheduledExecutorService heart;
  private final BlockingQueue<Outcome> outcomes = new LinkedBlockingQueue<>();
  private final Thread fetcher;

  /**
   * Two threads store results and acknowledge, so one batch's round trips overlap the next one's;
   * each message is still stored before it is acknowledged, by the thread that took it.
   */
  private final List<Thread> completers;

  private final AtomicReference<Phase> phase = new AtomicReference<>(Phase.NEW);
  private final AtomicBoolean fetching = new AtomicBoolean(true);
  private final AtomicBoolean completing = new AtomicBoolean(true);
  private final AtomicBoolean tasksDone = new AtomicBoolean();
  private final CountDownLatch terminated = new CountDownLatch(1);
  private final AtomicInteger running = new AtomicInteger();

  private enum Phase {
    NEW,
    RUNNING,
    STOPPING,
    STOPPED
  }

  /**
   * Creates a worker; {@link #start()} starts it.
   *
   * @param options queues, concurrency and timings
   * @param broker where messages come from
   * @param backend where results go
   * @param registry the tasks it can run
   * @param clock the source of time for ETAs, expiry and result dates
   */
  public Worker(
      WorkerOptions options,
      Broker broker,
      ResultBackend backend,
      TaskRegistry registry,
      Clock clock) {
    this(options, broker, backend, registry, clock, TaskObserver.NONE);
  }

  /**
   * Creates a worker that reports each settled task to an observer; {@link #start()} starts it.
   *
   * @param options queues, concurrency and timings
   * @param broker where messages come from
   * @param backend where results go
   * @param registry the tasks it can run
   * @param clock the source of time for ETAs, expiry and result dates
   * @param observer hears how each task ended
   */
  public Worker(
      WorkerOptions options,
      Broker broker,
      ResultBackend backend,
      TaskRegistry registry,
      Clock clock,
      TaskObserver observer) {
    this.observer = requireNonNull(observer, "observer");
    this.options = requireNonNull(options, "options");
    this.broker = requireNonNull(broker, "broker");
    this.backend = requireNonNull(backend, "backend");
    this.registry = requireNonNull(registry, "registry");
    this.clock = requireNonNull(clock, "clock");
    this.redelivery = new Redelivery(codec, clock);
    String id =
        "securetx@"
            + options.hostname()
            + "-"
            + ProcessHandle.current().pid()
            + "-"
            + UUID.randomUUID().toString().substring(0, 8);
    this.info =
        new WorkerInfo(
            id,
            options.hostname(),
            ProcessHandle.current().pid(),
            options.queues(),
            options.concurrency(),
            clock.instant());
    this.lists = serveOrder(options.queues());
    this.slots = new Semaphore(options.prefetchLimit());
    AtomicInteger threads = new AtomicInteger();
    this.pool =
        new ThreadPoolExecutor(
            options.concurrency(),
            options.concurrency(),
            0,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            r -> daemon(r, "securetx-task-" + threads.incrementAndGet()));
    this.timer =
        Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "securetx-worker-timer"));
    this.heart =
        Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "securetx-worker-heartbeat"));
    this.fetcher = daemon(this::fetchLoop, "securetx-worker-fetch");
    this.completers =
        List.of(
            daemon(this::completeLoop, "securetx-worker-complete-1"),
            daemon(this::completeLoop, "securetx-worker-complete-2"));
  }

  /**
   * The lists a worker takes from, most urgent first: every queue's priority-0 list, then every
   * queue's priority-3 list, and so on, as Celery's worker orders its {@code BRPOP}.
   */
  static List<String> serveOrder(List<String> queues) {
    List<String> ordered = new ArrayList<>();
    for (int step = 0; step < 4; step++) {
      for (String queue : queues) {
        ordered.add(PriorityLists.listsInServeOrder(queue).get(step));
      }
    }
    return List.copyOf(ordered);
  }

  /**
   * Returns this worker's id, unique per start.
   *
   * @return the id
   */
  public String id() {
    return info.id();
  }

  /**
   * Whether the worker runs: it was started and has not stopped yet. A worker that finishes its
   * running tasks after {@link #shutdown()} still runs; health checks read this.
   *
   * @return true between {@link #start()} and termination
   */
  public boolean isRunning() {
    Phase now = phase.get();
    return now == Phase.RUNNING || now == Phase.STOPPING;
  }

  /**
   * Announces the worker and starts its threads.
   *
   * @throws IllegalStateException if it was started before
   * @throws io.securetx.task.broker.BrokerException if the broker cannot be reached
   */
  public void start() {
    if (!phase.compareAndSet(Phase.NEW, Phase.RUNNING)) {
      throw new IllegalStateException("a worker can be started once");
    }
    broker.heartbeat(info, options.heartbeatTtl());
    long beat = options.heartbeatInterval().toMillis();
    long release = options.scheduleInterval().toMillis();
    heart.scheduleWithFixedDelay(this::beat, beat, beat, TimeUnit.MILLISECONDS);
    timer.scheduleWithFixedDelay(this::releaseDue, 0, release, TimeUnit.MILLISECONDS);
    timer.scheduleWithFixedDelay(this::reap, 0, beat, TimeUnit.MILLISECONDS);
    completers.forEach(Thread::start);
    fetcher.start();
    log.info(
        "worker {} ready: queues {}, concurrency {}",
        info.id(),
        options.queues(),
        options.concurrency());
  }

  /**
   * Stops fetching; running tasks finish, fetched tasks that did not start go back to the front of
   * their queues. Returns at once; see {@link #awaitTermination}.
   */
  public void shutdown() {
    if (phase.compareAndSet(Phase.RUNNING, Phase.STOPPING)) {
      log.info("worker {} stopping: finishing {} running task(s)", info.id(), running.get());
      fetching.set(false);
    } else {
      phase.compareAndSet(Phase.NEW, Phase.STOPPED);
      if (phase.get() == Phase.STOPPED) {
        terminated.countDown();
      }
    }
  }

  /**
   * Stops at once: interrupts running tasks and puts every message the worker holds back on its
   * queue, running ones included (they run again elsewhere). Returns at once; see {@link
   * #awaitTermination}.
   */
  public void shutdownNow() {
    shutdown();
    log.warn("worker {} stopping now: interrupting {} task(s)", info.id(), running.get());
    completing.set(false);
    pool.shutdownNow();
    fetcher.interrupt();
  }

  /**
   * Waits until the worker has stopped.
   *
   * @param timeout how long to wait
   * @return true if it stopped in time
   * @throws InterruptedException if interrupted while waiting
   */
  public boolean awaitTermination(Duration timeout) throws InterruptedException {
    return terminated.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Stops gracefully and waits up to a minute, then stops at once. */
  @Override
  public void close() {
    shutdown();
    try {
      if (!awaitTermination(Duration.ofMinutes(1))) {
        shutdownNow();
        awaitTermination(Duration.ofSeconds(10));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      shutdownNow();
    }
  }

  // ---------------------------------------------------------------- fetching

  private void fetchLoop() {
    try {
      while (fetching.get()) {
        if (!slots.tryAcquire(FETCH_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
          continue;
        }
        int wanted = 1 + Math.min(slots.drainPermits(), MAX_FETCH - 1);
        List<Delivery> got;
        try {
          got = broker.fetch(info.id(), lists, wanted, FETCH_WAIT);
        } catch (RuntimeException e) {
          slots.release(wanted);
          log.error("worker {} cannot fetch: {}", info.id(), e.toString());
          TimeUnit.SECONDS.sleep(1);
          continue;
        }
        slots.release(wanted - got.size());
        for (Delivery delivery : got) {
          submit(new Job(delivery));
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      stop();
    }
  }

  /**
   * Decides what to do with a fetched message, on a pool thread so decoding runs in parallel;
   * returns what to run, or null when the message was settled without running.
   */
  private @Nullable Call triage(Delivery delivery) {
    Envelope envelope;
    try {
      envelope = codec.decode(delivery.payload());
    } catch (WireFormatException e) {
      log.error(
          "message on {} cannot be decoded ({}); moved to the dead letters",
          delivery.list(),
          e.reason());
      broker.deadLetter(info.id(), delivery, redelivery.undecodable(delivery, e, null));
      slots.release();
      return null;
    }
    TaskMessage message = envelope.message();
    MDC.put(MDC_TASK_ID, message.id());
    MDC.put(MDC_TASK_NAME, message.task());
    Instant now = clock.instant();
    if (message.expires() != null && !message.expires().isAfter(now)) {
      log.info("task {}[{}] expired; revoked", message.task(), message.id());
      observe(message, TaskState.REVOKED, Duration.ZERO);
      outcomes.add(
          Outcome.done(
              delivery,
              lineage(
                  ResultMeta.revoked(message.id(), ExceptionInfo.revoked("expired"), now),
                  message)));
      return null;
    }
    if (message.eta() != null && message.eta().isAfter(now)) {
      broker.schedule(info.id(), delivery, envelope.listName(), delivery.payload(), message.eta());
      slots.release();
      return null;
    }
    TaskHandler<?, ?> handler = registry.lookup(message.task()).orElse(null);
    if (handler == null) {
      log.error("received unregistered task of type '{}' [{}]", message.task(), message.id());
      observe(message, TaskState.FAILURE, Duration.ZERO);
      outcomes.add(
          Outcome.done(
              delivery,
              lineage(
                  ResultMeta.failure(
                      message.id(), ExceptionInfo.notRegistered(message.task()), null, now),
                  message)));
      return null;
    }
    Invocation invocation;
    try {
      invocation = registry.bind(message.task(), message.args(), message.kwargs());
    } catch (TaskArgumentException e) {
      log.error("task {}[{}] has bad arguments: {}", message.task(), message.id(), e.getMessage());
      observe(message, TaskState.FAILURE, Duration.ZERO);
      outcomes.add(Outcome.done(delivery, failure(message, e)));
      return null;
    }
    if (envelope.redelivered()) {
      // A redelivered message may belong to a task that already finished just before its worker
      // died; a stored SUCCESS is final, so such a task is acknowledged without running again.
      ResultMeta stored = backend.get(message.id()).orElse(null);
      if (stored != null && stored.state().equals(TaskState.SUCCESS)) {
        log.info("task {}[{}] already succeeded; not run again", message.task(), message.id());
        outcomes.add(Outcome.done(delivery, null));
        return null;
      }
    }
    if (handler.acksEarly()) {
      broker.ack(info.id(), List.of(delivery));
    }
    return new Call(envelope, handler, invocation);
  }

  /** A decoded message ready to run. */
  private record Call(Envelope envelope, TaskHandler<?, ?> handler, Invocation invocation) {
    TaskMessage message() {
      return envelope.message();
    }
  }

  private void submit(Job job) {
    try {
      pool.execute(job);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // Stopping at once: the message is still held and goes back with the rest.
      slots.release();
    }
  }

  // ---------------------------------------------------------------- running

  private final class Job implements Runnable {
    final Delivery delivery;
    final AtomicBoolean finished = new AtomicBoolean();
    volatile boolean softLimitHit;
    volatile @Nullable Thread thread;

    Job(Delivery delivery) {
      this.delivery = delivery;
    }

    @Override
    public void run() {
      if (!fetching.get()) {
        // The worker is stopping: a task that has not started goes back instead.
        putBack(this);
        return;
      }
      try {
        Call call;
        try {
          call = triage(delivery);
        } catch (RuntimeException e) {
          // The broker or backend failed while settling the message; it stays held and returns to
          // the queue when this worker stops or is reaped.
          log.error("worker {} cannot settle a message: {}", info.id(), e.toString());
          slots.release();
          return;
        }
        if (call != null) {
          execute(call);
        }
      } finally {
        MDC.remove(MDC_TASK_ID);
        MDC.remove(MDC_TASK_NAME);
      }
    }

    private void execute(Call call) {
      TaskMessage message = call.message();
      thread = Thread.currentThread();
      running.incrementAndGet();
      List<ScheduledFuture<?>> limits = armTimeLimits(this, message);
      long started = System.nanoTime();
      Outcome outcome;
      TaskState state;
      try {
        Object result =
            call.invocation().run(new TaskContext(message.id(), message.task(), message.retries()));
        outcome = Outcome.done(delivery, success(message, result));
        state = TaskState.SUCCESS;
        log.info(
            "task {}[{}] succeeded in {} ms",
            message.task(),
            message.id(),
            (System.nanoTime() - started) / 1_000_000);
      } catch (Exception | LinkageError | AssertionError e) {
        Throwable cause = softLimitHit ? new SoftTimeLimitExceeded(e) : e;
        outcome = failed(this, call, cause);
        state = outcome.kind == Outcome.Kind.RETRY ? TaskState.RETRY : TaskState.FAILURE;
      } finally {
        limits.forEach(f -> f.cancel(false));
        running.decrementAndGet();
        thread = null;
        Thread.interrupted();
      }
      // After shutdownNow the outcome of an interrupted task is dropped: its message is still
      // held and goes back to the queue, to run again in full.
      if (completing.get() && finished.compareAndSet(false, true)) {
        outcomes.add(outcome);
        observe(message, state, Duration.ofNanos(System.nanoTime() - started));
      }
    }
  }

  private List<ScheduledFuture<?>> armTimeLimits(Job job, TaskMessage message) {
    List<ScheduledFuture<?>> armed = new ArrayList<>(2);
    Double soft = message.softTimeLimit();
    Double hard = message.hardTimeLimit();
    if (soft != null) {
      armed.add(
          timer.schedule(
              () -> {
                job.softLimitHit = true;
                Thread t = job.thread;
                if (t != null) {
                  t.interrupt();
                }
              },
              (long) (soft * 1_000_000),
              TimeUnit.MICROSECONDS));
    }
    if (hard != null) {
      armed.add(
          timer.schedule(
              () -> {
                if (job.finished.compareAndSet(false, true)) {
                  observe(message, TaskState.FAILURE, Duration.ofMillis((long) (hard * 1_000)));
                  // The timer thread has no MDC of its own: name the task for this line.
                  MDC.put(MDC_TASK_ID, message.id());
                  MDC.put(MDC_TASK_NAME, message.task());
                  log.error(
                      "task {}[{}] exceeded its hard time limit of {} s",
                      message.task(),
                      message.id(),
                      hard);
                  MDC.remove(MDC_TASK_ID);
                  MDC.remove(MDC_TASK_NAME);
                  outcomes.add(
                      Outcome.done(
                          job.delivery,
                          failureMeta(
                              message,
                              ExceptionInfo.of(
                                  "TimeLimitExceeded", "celery.exceptions", hard.toString()),
                              null)));
                  Thread t = job.thread;
                  if (t != null) {
                    t.interrupt();
                  }
                }
              },
              (long) (hard * 1_000_000),
              TimeUnit.MICROSECONDS));
    }
    return armed;
  }

  private void observe(TaskMessage message, TaskState state, Duration runtime) {
    try {
      observer.settled(message.task(), message.id(), state, runtime);
    } catch (RuntimeException e) {
      log.warn("the task observer failed: {}", e.toString());
    }
  }

  private Outcome failed(Job job, Call call, Throwable failure) {
    TaskMessage message = call.message();
    var policy = call.handler().retryPolicy();
    if (policy.shouldRetry(failure, message.retries())) {
      Duration delay = policy.delay(message.retries(), random);
      Instant due = clock.instant().plus(delay);
      TaskMessage again =
          message.toBuilder()
              .retries(message.retries() + 1)
              .eta(due)
              .parentId(message.id())
              .build();
      Envelope copy = Envelope.of(again, call.envelope().routingKey(), call.envelope().priority());
      log.info(
          "task {}[{}] retry {} of {} in {} ms: {}",
          message.task(),
          message.id(),
          message.retries() + 1,
          policy.maxRetries(),
          delay.toMillis(),
          failure.toString());
      ResultMeta retry =
          ResultMeta.retry(message.id(), Failures.describe(failure), Failures.traceback(failure));
      return Outcome.retry(
          job.delivery,
          message.ignoreResult() ? null : retry,
          copy.listName(),
          codec.encode(copy),
          due);
    }
    log.error("task {}[{}] failed: {}", message.task(), message.id(), failure.toString());
    ResultMeta meta = failure(message, failure);
    if (policy.isTransient(failure) && policy.maxRetries() > 0) {
      DeadLetter letter =
          new DeadLetter(
              UUID.randomUUID().toString(),
              "retries_exhausted",
              "failed after " + message.retries() + " retries: " + failure,
              call.envelope().listName(),
              message.id(),
              clock.instant(),
              job.delivery.payload());
      return Outcome.dead(job.delivery, meta, letter);
    }
    return Outcome.done(job.delivery, meta);
  }

  private @Nullable ResultMeta success(TaskMessage message, @Nullable Object result) {
    if (message.ignoreResult()) {
      return null;
    }
    return lineage(
        ResultMeta.success(message.id(), ResultSerializer.toJson(result), clock.instant()),
        message);
  }

  private @Nullable ResultMeta failure(TaskMessage message, Throwable failure) {
    return failureMeta(message, Failures.describe(failure), Failures.traceback(failure));
  }

  private @Nullable ResultMeta failureMeta(
      TaskMessage message, ExceptionInfo error, @Nullable String traceback) {
    if (message.ignoreResult()) {
      return null;
    }
    return lineage(ResultMeta.failure(message.id(), error, traceback, clock.instant()), message);
  }

  private static ResultMeta lineage(ResultMeta meta, TaskMessage message) {
    return meta.withLineage(message.parentId(), message.group());
  }

  // ---------------------------------------------------------------- completing

  private void completeLoop() {
    List<Outcome> batch = new ArrayList<>();
    try {
      while (completing.get()) {
        Outcome first = outcomes.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
          if (tasksDone.get() && outcomes.isEmpty()) {
            return;
          }
          continue;
        }
        batch.add(first);
        outcomes.drainTo(batch, 1_023);
        complete(batch);
        batch.clear();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Stores the batch's results, then acknowledges; retried until the broker answers. */
  private void complete(List<Outcome> batch) throws InterruptedException {
    while (true) {
      try {
        List<ResultMeta> metas = new ArrayList<>(batch.size());
        List<Delivery> acks = new ArrayList<>(batch.size());
        for (Outcome outcome : batch) {
          if (outcome.meta != null) {
            metas.add(outcome.meta);
          }
          if (outcome.kind == Outcome.Kind.DONE) {
            acks.add(outcome.delivery);
          }
        }
        if (!metas.isEmpty()) {
          backend.store(metas);
        }
        if (!acks.isEmpty()) {
          broker.ack(info.id(), acks);
        }
        for (Outcome outcome : batch) {
          if (outcome.kind == Outcome.Kind.RETRY) {
            broker.schedule(
                info.id(),
                outcome.delivery,
                requireNonNull(outcome.list),
                requireNonNull(outcome.payload),
                requireNonNull(outcome.due));
          } else if (outcome.kind == Outcome.Kind.DEAD) {
            broker.deadLetter(info.id(), outcome.delivery, requireNonNull(outcome.letter));
          }
        }
        slots.release(batch.size());
        return;
      } catch (RuntimeException e) {
        if (!completing.get()) {
          return;
        }
        log.error("worker {} cannot store results, retrying: {}", info.id(), e.toString());
        TimeUnit.SECONDS.sleep(1);
      }
    }
  }

  /** What became of a message; applied by a completer thread in batches. */
  private static final class Outcome {
    enum Kind {
      DONE,
      RETRY,
      DEAD
    }

    final Kind kind;
    final Delivery delivery;
    final @Nullable ResultMeta meta;
    final @Nullable String list;
    final @Nullable String payload;
    final @Nullable Instant due;
    final @Nullable DeadLetter letter;

    private Outcome(
        Kind kind,
        Delivery delivery,
        @Nullable ResultMeta meta,
        @Nullable String list,
        @Nullable String payload,
        @Nullable Instant due,
        @Nullable DeadLetter letter) {
      this.kind = kind;
      this.delivery = delivery;
      this.meta = meta;
      this.list = list;
      this.payload = payload;
      this.due = due;
      this.letter = letter;
    }

    static Outcome done(Delivery delivery, @Nullable ResultMeta meta) {
      return new Outcome(Kind.DONE, delivery, meta, null, null, null, null);
    }

    static Outcome retry(
        Delivery delivery, @Nullable ResultMeta meta, String list, String payload, Instant due) {
      return new Outcome(Kind.RETRY, delivery, meta, list, payload, due, null);
    }

    static Outcome dead(Delivery delivery, @Nullable ResultMeta meta, DeadLetter letter) {
      return new Outcome(Kind.DEAD, delivery, meta, null, null, null, letter);
    }
  }

  // ---------------------------------------------------------------- stopping

  /** Runs on the fetch thread once fetching has stopped. */
  private void stop() {
    // Fetched messages that did not start go back to the front of their queues now.
    List<Runnable> waiting = new ArrayList<>();
    pool.getQueue().drainTo(waiting);
    waiting.forEach(r -> putBack((Job) r));
    pool.shutdown();
    try {
      while (!pool.awaitTermination(100, TimeUnit.MILLISECONDS)) {
        // Running tasks finish unless shutdownNow interrupts them.
      }
      tasksDone.set(true);
      for (Thread completer : completers) {
        completer.join();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      pool.shutdownNow();
      completing.set(false);
    }
    timer.shutdownNow();
    heart.shutdownNow();
    try {
      // A heartbeat still on its way to Redis would otherwise land after the unregister and show
      // the stopped worker as alive for one more ttl.
      heart.awaitTermination(5, TimeUnit.SECONDS);
      timer.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      int restored = broker.unregister(info.id(), redelivery);
      if (restored > 0) {
        log.info("worker {} put back {} held message(s)", info.id(), restored);
      }
    } catch (RuntimeException e) {
      log.error(
          "worker {} cannot unregister; its messages return when its heartbeat expires: {}",
          info.id(),
          e.toString());
    }
    phase.set(Phase.STOPPED);
    log.info("worker {} stopped", info.id());
    terminated.countDown();
  }

  private void putBack(Job job) {
    Broker.Restored target = redelivery.restore(job.delivery);
    try {
      if (target.list() != null
          && broker.requeue(info.id(), job.delivery, target.list(), target.payload(), true)) {
        log.debug("a fetched message was put back: the worker is stopping");
      }
    } catch (RuntimeException e) {
      log.error(
          "worker {} cannot put a message back; it returns when the worker unregisters: {}",
          info.id(),
          e.toString());
    } finally {
      slots.release();
    }
  }

  // ---------------------------------------------------------------- housekeeping

  private void beat() {
    try {
      if (!broker.heartbeat(info, options.heartbeatTtl())) {
        log.warn(
            "worker {} missed its heartbeat; messages it held may have gone to other workers",
            info.id());
      }
    } catch (RuntimeException e) {
      log.error("worker {} cannot send its heartbeat: {}", info.id(), e.toString());
    }
  }

  private void releaseDue() {
    try {
      while (broker.releaseDue(clock.instant(), MAX_RELEASE) == MAX_RELEASE) {
        // More are due; keep moving them.
      }
    } catch (RuntimeException e) {
      log.error("worker {} cannot move due messages: {}", info.id(), e.toString());
    }
  }

  private void reap() {
    try {
      int restored = broker.reapExpired(redelivery);
      if (restored > 0) {
        log.warn("put back {} message(s) held by workers whose heartbeat expired", restored);
      }
    } catch (RuntimeException e) {
      log.error("worker {} cannot check for dead workers: {}", info.id(), e.toString());
    }
  }

  private static Thread daemon(Runnable body, String name) {
    Thread thread = new Thread(body, name);
    thread.setDaemon(true);
    return thread;
  }

  /** Celery's {@code SoftTimeLimitExceeded}: the task was interrupted at its soft time limit. */
  static final class SoftTimeLimitExceeded extends io.securetx.task.TaskException {
    private static final long serialVersionUID = 1L;

    SoftTimeLimitExceeded(Throwable cause) {
      super("soft time limit exceeded", cause);
    }
  }
}
