package io.securetx.bench;

import io.securetx.task.client.AsyncResult;
import io.securetx.task.client.TaskClient;
import io.securetx.task.memory.InMemoryResultBackend;
import io.securetx.task.redis.RedisBroker;
import io.securetx.task.redis.RedisResultBackend;
import io.securetx.task.redis.RedisUrl;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisPooled;

/**
 * The Java side of the queue benchmark: how fast {@link TaskClient} enqueues Celery messages, and
 * the round trip of a Java client to an idle securetx worker.
 *
 * <p>Usage: {@code java -jar securetx-bench.jar producer [--tasks 200000] [--batch 1000] [--runs 3]
 * [--round-trips 500] [--warmup 50] [--db 15]}. The round trip needs a securetx worker on the same
 * database ({@code CELERY_BROKER_URL=redis://127.0.0.1:6379/15 ./securetx worker}); without one it
 * is skipped. Enqueue runs with no worker: the database is emptied before and after.
 */
final class ProducerBench {

  private ProducerBench() {}

  static void main(String[] args) throws Exception {
    int tasks = Bench.intOption(args, "--tasks", 200_000);
    int batch = Bench.intOption(args, "--batch", 1_000);
    int runs = Bench.intOption(args, "--runs", 3);
    int db = Bench.intOption(args, "--db", 15);
    int roundTrips = Bench.intOption(args, "--round-trips", 500);
    int warmup = Bench.intOption(args, "--warmup", 50);
    boolean roundTrip = Arrays.asList(args).contains("--round-trip");
    RedisUrl url = RedisUrl.parse("redis://127.0.0.1:6379/" + db);
    try (JedisPooled redis =
            new JedisPooled(
                new HostAndPort("127.0.0.1", 6379),
                DefaultJedisClientConfig.builder().database(db).build());
        RedisBroker broker = RedisBroker.connect(url)) {
      if (!roundTrip && redis.dbSize() > 0) {
        throw new IllegalStateException("database " + db + " is not empty; refusing to flush it");
      }
      TaskClient client = new TaskClient(broker, new InMemoryResultBackend(), Clock.systemUTC());
      if (!roundTrip) {
        double[] rates = new double[runs];
        for (int run = 0; run < runs; run++) {
          long start = System.nanoTime();
          for (int sent = 0; sent < tasks; sent += batch) {
            List<TaskClient.Call> calls = new ArrayList<>(batch);
            for (int i = sent; i < Math.min(tasks, sent + batch); i++) {
              calls.add(client.task("celery.accumulate").args(i).queue("bench"));
            }
            client.sendAll(calls);
          }
          rates[run] = tasks / ((System.nanoTime() - start) / 1e9);
          redis.flushDB();
          System.out.printf(
              Locale.ROOT, "  run %d: Java producer %,.0f tasks/s%n", run + 1, rates[run]);
        }
        Arrays.sort(rates);
        System.out.printf(
            Locale.ROOT,
            "Java producer, %d tasks in batches of %d: median %,.0f tasks/s%n",
            tasks,
            batch,
            rates[runs / 2]);
        return;
      }
      try (RedisResultBackend backend = RedisResultBackend.connect(url)) {
        TaskClient withResults = new TaskClient(broker, backend, Clock.systemUTC());
        long[] nanos = new long[roundTrips];
        for (int i = 0; i < warmup + roundTrips; i++) {
          long start = System.nanoTime();
          try (AsyncResult r = withResults.task("celery.accumulate").args(i).send()) {
            r.get(Duration.ofSeconds(10));
          }
          if (i >= warmup) {
            nanos[i - warmup] = System.nanoTime() - start;
          }
        }
        Arrays.sort(nanos);
        System.out.printf(
            Locale.ROOT,
            "Java client round trip to an idle securetx worker, %d after %d warm-up:"
                + " p50 %.2f ms, p99 %.2f ms%n",
            roundTrips,
            warmup,
            nanos[roundTrips / 2] / 1e6,
            nanos[(int) Math.ceil(roundTrips * 0.99) - 1] / 1e6);
      }
    }
  }
}
