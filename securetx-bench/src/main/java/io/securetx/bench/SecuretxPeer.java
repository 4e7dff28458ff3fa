package io.securetx.bench;

import java.nio.file.Path;

/**
 * The securetx Java worker, measured exactly like Celery: the same Python client enqueues the same
 * {@code celery.accumulate} messages and reads the drain rate from the {@code date_done} stamps the
 * worker stores. Only {@link #startWorker} differs: it starts the securetx worker (in this JVM or
 * as a child JVM) on {@link #redisUrl()}, consuming the given queue with results stored, and
 * returns a handle that stops it.
 *
 * <p>Until that worker exists this peer is reported as not measured (before anything is enqueued);
 * it never prints a figure it did not measure.
 */
final class SecuretxPeer extends CeleryClientPeer {

  private static final String NOT_WIRED =
      "the securetx worker is not wired into the bench yet (SecuretxPeer.startWorker)";

  SecuretxPeer(Path clientDir, String python, String redisUrl) {
    super("securetx", clientDir, python, redisUrl);
  }

  @Override
  public void prepare() {
    throw new UnsupportedOperationException(NOT_WIRED);
  }

  @Override
  RunningWorker startWorker(String queue) {
    throw new UnsupportedOperationException(NOT_WIRED);
  }
}
