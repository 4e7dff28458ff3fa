package io.securetx.task.broker;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;

/**
 * A worker as the broker knows it while its heartbeat is alive.
 *
 * @param id the worker's id, fresh for each process start
 * @param hostname where it runs
 * @param pid its process id
 * @param queues the queues it consumes
 * @param concurrency how many tasks it runs at once
 * @param startedAt when it started
 */
public record WorkerInfo(
    String id, String hostname, long pid, List<String> queues, int concurrency, Instant startedAt) {

  /**
   * Validates and copies the fields.
   *
   * @throws NullPointerException if a field is null
   * @throws IllegalArgumentException if the id is blank
   */
  public WorkerInfo {
    requireNonNull(id, "id");
    requireNonNull(hostname, "hostname");
    requireNonNull(startedAt, "startedAt");
    queues = List.copyOf(queues);
    if (id.isBlank()) {
      throw new IllegalArgumentException("worker id must not be blank");
    }
  }
}
