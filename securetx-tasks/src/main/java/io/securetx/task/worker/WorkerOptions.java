package io.securetx.task.worker;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;

/**
 * How a {@link Worker} runs. Start from {@link #defaults()} and change what differs, such as {@code
 * WorkerOptions.defaults().withQueues(List.of("emails")).withConcurrency(8)}.
 *
 * @param queues the queues to consume, in the order they are tried (within each priority step)
 * @param concurrency how many tasks run at once
 * @param prefetchMultiplier how many messages per concurrency slot the worker may hold, running or
 *     waiting (Celery's {@code worker_prefetch_multiplier})
 * @param heartbeatInterval how often the worker renews its heartbeat and looks for dead workers
 * @param heartbeatTtl how long a heartbeat lasts: a worker silent for this long counts as dead and
 *     its messages are put back
 * @param scheduleInterval how often due messages are moved from the schedule to their queues
 * @param hostname the host name the worker reports
 */
public record WorkerOptions(
    List<String> queues,
    int concurrency,
    int prefetchMultiplier,
    Duration heartbeatInterval,
    Duration heartbeatTtl,
    Duration scheduleInterval,
    String hostname) {

  /**
   * Validates the options.
   *
   * @throws IllegalArgumentException if no queue is given, a queue name is empty, a count is below
   *     1, or the heartbeat lasts no longer than two intervals
   */
  public WorkerOptions {
    queues = List.copyOf(queues);
    requireNonNull(heartbeatInterval, "heartbeatInterval");
    requireNonNull(heartbeatTtl, "heartbeatTtl");
    requireNonNull(scheduleInterval, "scheduleInterval");
    requireNonNull(hostname, "hostname");
    if (queues.isEmpty() || queues.stream().anyMatch(String::isEmpty)) {
      throw new IllegalArgumentException("at least one queue, and no empty queue name, is needed");
    }
    if (concurrency < 1 || prefetchMultiplier < 1) {
      throw new IllegalArgumentException(
          "concurrency and prefetchMultiplier must be at least 1, were "
              + concurrency
              + " and "
              + prefetchMultiplier);
    }
    if (heartbeatInterval.isNegative()
        || heartbeatInterval.isZero()
        || heartbeatTtl.compareTo(heartbeatInterval.multipliedBy(2)) <= 0) {
      throw new IllegalArgumentException(
          "heartbeatTtl must be more than twice heartbeatInterval, so one late beat is not death");
    }
    if (scheduleInterval.isNegative() || scheduleInterval.isZero()) {
      throw new IllegalArgumentException("scheduleInterval must be positive");
    }
  }

  /**
   * Queue {@code celery}, concurrency 4, prefetch multiplier 4 (Celery's defaults), a heartbeat
   * every second lasting 10 seconds, the schedule checked every 100 ms.
   *
   * @return the defaults
   */
  public static WorkerOptions defaults() {
    return new WorkerOptions(
        List.of("celery"),
        4,
        4,
        Duration.ofSeconds(1),
        Duration.ofSeconds(10),
        Duration.ofMillis(100),
        localHostname());
  }

  /**
   * Returns a copy consuming other queues.
   *
   * @param queues the queues
   * @return the copy
   */
  public WorkerOptions withQueues(List<String> queues) {
    return new WorkerOptions(
        queues,
        concurrency,
        prefetchMultiplier,
        heartbeatInterval,
        heartbeatTtl,
        scheduleInterval,
        hostname);
  }

  /**
   * Returns a copy with another concurrency.
   *
   * @param concurrency tasks run at once
   * @return the copy
   */
  public WorkerOptions withConcurrency(int concurrency) {
    return new WorkerOptions(
        queues,
        concurrency,
        prefetchMultiplier,
        heartbeatInterval,
        heartbeatTtl,
        scheduleInterval,
        hostname);
  }

  /**
   * Returns a copy with another prefetch multiplier.
   *
   * @param prefetchMultiplier messages held per concurrency slot
   * @return the copy
   */
  public WorkerOptions withPrefetchMultiplier(int prefetchMultiplier) {
    return new WorkerOptions(
        queues,
        concurrency,
        prefetchMultiplier,
        heartbeatInterval,
        heartbeatTtl,
        scheduleInterval,
        hostname);
  }

  /**
   * Returns a copy with other heartbeat timings.
   *
   * @param interval how often to beat
   * @param ttl how long a beat lasts
   * @return the copy
   */
  public WorkerOptions withHeartbeat(Duration interval, Duration ttl) {
    return new WorkerOptions(
        queues, concurrency, prefetchMultiplier, interval, ttl, scheduleInterval, hostname);
  }

  /**
   * How many messages the worker may hold at once.
   *
   * @return {@code concurrency * prefetchMultiplier}
   */
  public int prefetchLimit() {
    return Math.multiplyExact(concurrency, prefetchMultiplier);
  }

  private static String localHostname() {
    String name = System.getenv("HOSTNAME");
    if (name != null && !name.isBlank()) {
      return name;
    }
    try {
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.net.UnknownHostException e) {
      return "localhost";
    }
  }
}
