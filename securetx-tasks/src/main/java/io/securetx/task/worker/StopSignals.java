package io.securetx.task.worker;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import sun.misc.Signal;

/**
 * Stops a worker on SIGTERM and SIGINT the way Celery's worker does: the first signal is a warm
 * shutdown ({@link Worker#shutdown()}), the second a cold one ({@link Worker#shutdownNow()}). The
 * JVM's own handlers are replaced, so the process does not exit before the worker has put its
 * messages back; the caller waits with {@link Worker#awaitTermination} and then exits 0.
 */
public final class StopSignals {

  private StopSignals() {}

  /**
   * Installs the handlers for a worker.
   *
   * @param worker the worker to stop
   */
  public static void install(Worker worker) {
    requireNonNull(worker, "worker");
    AtomicInteger received = new AtomicInteger();
    for (String name : List.of("TERM", "INT")) {
      Signal.handle(
          new Signal(name),
          signal -> {
            if (received.incrementAndGet() == 1) {
              worker.shutdown();
            } else {
              worker.shutdownNow();
            }
          });
    }
  }
}
