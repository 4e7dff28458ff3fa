package io.securetx.bench;

import java.nio.file.Path;

/**
 * The securetx Java worker, measured exactly like Celery: the same Python client enqueues the same
 * {@code celery.accumulate} messages and reads the drain rate from the {@code date_done} stamps the
 * worker stores. Only {@link #startWorker} differs: it starts the securetx worker (in this JVM or
 * as a child JVM) on {@link #redisUrl()}, consuming the given queue with results stored.
 *
 * <p>Until that worker exists this peer is reported as not measured; it never prints a figure it
 * did not measure.
 */
final class SecuretxPeer extends CeleryClientPeer {

  SecuretxPeer(Path clientDir, String python, String redisUrl) {
    super("securetx", clientDir, python, redisUrl);
  }

  @Override
  RunningWorker startWorker(String queue) {
    throw new UnsupportedOperationException(
        "the securetx worker is not wired into the bench yet (SecuretxPeer.startWorker)");
  }
}
