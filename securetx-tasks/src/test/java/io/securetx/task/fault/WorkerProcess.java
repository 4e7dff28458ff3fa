package io.securetx.task.fault;

import io.securetx.task.Handlers;
import io.securetx.task.TaskRegistry;
import io.securetx.task.redis.RedisBroker;
import io.securetx.task.redis.RedisResultBackend;
import io.securetx.task.redis.RedisUrl;
import io.securetx.task.worker.StopSignals;
import io.securetx.task.worker.Worker;
import io.securetx.task.worker.WorkerOptions;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisPooled;

/**
 * A worker in its own JVM, for the fault tests: {@code WorkerProcess REDIS_URL CONCURRENCY
 * HEARTBEAT_TTL_MS}. Runs {@code record_run(sleep_ms)}, which counts its runs per task id in the
 * hash {@code fault.runs} and sleeps {@code sleep_ms}. Prints {@code ready} when it fetches, stops
 * on SIGTERM (warm) or a second SIGTERM (cold) and exits 0.
 */
public final class WorkerProcess {

  /** The hash that counts runs per task id. */
  public static final String RUNS = "fault.runs";

  record Sleep(long sleepMs) {}

  private WorkerProcess() {}

  /**
   * Runs the worker until it is stopped by a signal.
   *
   * @param args the Redis URL, the concurrency and the heartbeat TTL in milliseconds
   * @throws InterruptedException never in practice
   */
  public static void main(String[] args) throws InterruptedException {
    RedisUrl url = RedisUrl.parse(args[0]);
    int concurrency = Integer.parseInt(args[1]);
    Duration ttl = Duration.ofMillis(Long.parseLong(args[2]));
    int db = Integer.parseInt(args[0].substring(args[0].lastIndexOf('/') + 1));
    try (JedisPooled counter =
            new JedisPooled(
                new HostAndPort("127.0.0.1", 6379),
                DefaultJedisClientConfig.builder().database(db).build());
        RedisBroker broker = RedisBroker.connect(url);
        RedisResultBackend backend = RedisResultBackend.connect(url)) {
      TaskRegistry registry =
          TaskRegistry.builder()
              .register(
                  "record_run",
                  Handlers.of(
                      Sleep.class,
                      (a, ctx) -> {
                        counter.hincrBy(RUNS, ctx.taskId(), 1);
                        if (a.sleepMs() > 0) {
                          Thread.sleep(a.sleepMs());
                        }
                        return a.sleepMs();
                      }))
              .build();
      Worker worker =
          new Worker(
              WorkerOptions.defaults()
                  .withQueues(List.of("celery"))
                  .withConcurrency(concurrency)
                  .withHeartbeat(ttl.dividedBy(4), ttl),
              broker,
              backend,
              registry,
              Clock.systemUTC());
      StopSignals.install(worker);
      worker.start();
      System.out.println("ready " + worker.id());
      System.out.flush();
      while (!worker.awaitTermination(Duration.ofSeconds(1))) {
        // until a signal stops it
      }
    }
    System.exit(0);
  }
}
