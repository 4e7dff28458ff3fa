package io.securetx.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Celery 5.2 itself: its prefork worker, started from {@code peers/celery} as {@code python3 -m
 * celery -A celery_bench worker --pool=prefork -c N -Q queue --without-gossip --without-mingle
 * --without-heartbeat --loglevel=warning}, and stopped by its PID.
 */
final class CeleryPeer extends CeleryClientPeer {

  private final int concurrency;

  CeleryPeer(Path clientDir, String python, String redisUrl, int concurrency) {
    super("celery", clientDir, python, redisUrl);
    this.concurrency = concurrency;
  }

  @Override
  RunningWorker startWorker(String queue) throws IOException {
    return ChildProcess.start(
        "celery worker",
        List.of(
            python(),
            "-m",
            "celery",
            "-A",
            "celery_bench",
            "worker",
            "--pool=prefork",
            "-c",
            Integer.toString(concurrency),
            "-Q",
            queue,
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "--loglevel=warning"),
        clientDir(),
        environment());
  }
}
