package io.securetx.task.redis;

import io.securetx.task.broker.Broker;
import io.securetx.task.broker.BrokerException;
import io.securetx.task.broker.BrokerStats;
import io.securetx.task.broker.DeadLetter;
import io.securetx.task.broker.Delivery;
import io.securetx.task.broker.WorkerInfo;
import io.securetx.task.wire.PriorityLists;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPool;
import redis.clients.jedis.JedisPoolConfig;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.args.ListDirection;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * A {@link Broker} on one Redis server, sharing Celery's queue lists with Python producers and
 * workers. Besides those lists it keeps, under the prefix {@code securetx.}:
 *
 * <ul>
 *   <li>{@code securetx.inflight.<workerId>}: a list of the payloads a worker holds, exactly as
 *       popped, newest at the head;
 *   <li>{@code securetx.schedule}: a sorted set scored by due time (epoch millis) whose members are
 *       {@code <16-char nonce>:<byte length of list>:<list><payload>};
 *   <li>{@code securetx.dead}: a list of dead-letter entries as JSON, newest at the head;
 *   <li>{@code securetx.worker.<id>}: a worker's heartbeat, its {@link WorkerInfo} as JSON,
 *       expiring after the heartbeat's ttl; {@code securetx.workers}: a sorted set of known worker
 *       ids scored by their last heartbeat;
 *   <li>{@code securetx.claim.<name>}: claims of {@link #publishOnce}.
 * </ul>
 *
 * <p>Every move of a message is one Lua script, so it is atomic even against other processes. A
 * blocked {@link #fetch} moves with {@code BLMOVE}, so a message is never only in this process's
 * memory. Each concurrent fetch holds one pooled connection while it waits.
 *
 * <p>Two things the port leaves open: {@link #reapExpired} only knows workers that have sent a
 * heartbeat (a worker must announce itself before it fetches), and since an in-flight list keeps
 * only payloads, the {@link Delivery} handed to a {@link Restorer} names the in-flight list, not
 * the list the message came from; the restorer reads that from the envelope ({@code delivery_info}
 * and {@code priority}), as kombu's restore does.
 */
public final class RedisBroker implements Broker {

  static final String INFLIGHT_PREFIX = "securetx.inflight.";
  static final String SCHEDULE = "securetx.schedule";
  static final String DEAD = "securetx.dead";
  static final String WORKER_PREFIX = "securetx.worker.";
  static final String WORKERS = "securetx.workers";
  static final String CLAIM_PREFIX = "securetx.claim.";

  /** The default number of pooled connections. */
  public static final int DEFAULT_MAX_CONNECTIONS = 32;

  /**
   * With several lists, a blocking wait watches only the first, so it is cut into slices this long
   * and the others are polled between them.
   */
  private static final long SLICE_NANOS_SEVERAL_LISTS = Duration.ofMillis(50).toNanos();

  /** With one list the slice only bounds how late an interrupt is noticed. */
  private static final long SLICE_NANOS_ONE_LIST = Duration.ofMillis(500).toNanos();

  /** A reaped worker with nothing held is remembered this long, so its return can be told. */
  private static final Duration FORGET_AFTER = Duration.ofDays(1);

  /** Bounds the arguments of one restore script, and so how long it blocks the server. */
  private static final int RESTORE_CHUNK = 256;

  /** Bounds the values of one LPUSH in a publish pipeline. */
  private static final int PUBLISH_CHUNK = 1000;

  private final RedisUrl url;
  private final JedisPool pool;

  private RedisBroker(RedisUrl url, JedisPool pool) {
    this.url = url;
    this.pool = pool;
  }

  /**
   * Connects to Redis with {@link #DEFAULT_MAX_CONNECTIONS} pooled connections.
   *
   * @param url where the server is
   * @return the broker; close it to release the connections
   */
  public static RedisBroker connect(RedisUrl url) {
    return connect(url, DEFAULT_MAX_CONNECTIONS);
  }

  /**
   * Connects to Redis. Connections are opened on demand, so this does not fail when Redis is down.
   *
   * @param url where the server is
   * @param maxConnections the most connections open at once; at least the number of threads that
   *     fetch at the same time, plus one
   * @return the broker; close it to release the connections
   * @throws IllegalArgumentException if {@code maxConnections} is less than 1
   */
  public static RedisBroker connect(RedisUrl url, int maxConnections) {
    Objects.requireNonNull(url, "url");
    if (maxConnections < 1) {
      throw new IllegalArgumentException(
          "maxConnections must be at least 1, was " + maxConnections);
    }
    JedisPoolConfig config = new JedisPoolConfig();
    config.setMaxTotal(maxConnections);
    config.setMaxIdle(maxConnections);
    // An exhausted pool fails rather than hanging a worker forever.
    config.setMaxWait(Duration.ofSeconds(10));
    return new RedisBroker(
        url, new JedisPool(config, url.hostAndPort(), url.clientConfig("securetx-broker", 5_000)));
  }

  @Override
  public void publish(List<Outgoing> messages) {
    if (messages.isEmpty()) {
      return;
    }
    run(
        "publish",
        j -> {
          Pipeline p = j.pipelined();
          // Consecutive messages for one list go in one LPUSH, which keeps their order.
          int i = 0;
          while (i < messages.size()) {
            String list = messages.get(i).list();
            int end = i + 1;
            while (end < messages.size()
                && end - i < PUBLISH_CHUNK
                && messages.get(end).list().equals(list)) {
              end++;
            }
            String[] values = new String[end - i];
            for (int k = i; k < end; k++) {
              values[k - i] = messages.get(k).payload();
            }
            p.lpush(list, values);
            i = end;
          }
          p.sync();
          return null;
        });
  }

  @Override
  public List<Delivery> fetch(String workerId, List<String> lists, int max, Duration wait)
      throws InterruptedException {
    String inflight = inflightKey(workerId);
    if (lists.isEmpty()) {
      throw new IllegalArgumentException("fetch needs at least one list");
    }
    if (max < 1) {
      throw new IllegalArgumentException("max must be at least 1, was " + max);
    }
    if (wait.isNegative()) {
      throw new IllegalArgumentException("wait must not be negative, was " + wait);
    }
    long deadline = System.nanoTime() + wait.toNanos();
    long slice = lists.size() > 1 ? SLICE_NANOS_SEVERAL_LISTS : SLICE_NANOS_ONE_LIST;
    try (Jedis j = pool.getResource()) {
      while (true) {
        List<Delivery> got = takeNow(j, inflight, lists, max);
        if (!got.isEmpty()) {
          return got;
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return List.of();
        }
        if (Thread.interrupted()) {
          throw new InterruptedException("interrupted while waiting for messages");
        }
        // BLMOVE takes fractional seconds; 0 would mean forever.
        double seconds = Math.max(0.01, Math.min(left, slice) / 1e9);
        String first = lists.get(0);
        String payload =
            j.blmove(first, inflight, ListDirection.RIGHT, ListDirection.LEFT, seconds);
        if (payload != null) {
          List<Delivery> out = new ArrayList<>();
          out.add(new Delivery(payload, first));
          if (max > 1) {
            out.addAll(takeNow(j, inflight, lists, max - 1));
          }
          return out;
        }
      }
    } catch (JedisException e) {
      throw failure("fetch", e);
    }
  }

  private static List<Delivery> takeNow(Jedis j, String inflight, List<String> lists, int max) {
    List<String> keys = new ArrayList<>(lists.size() + 1);
    keys.add(inflight);
    keys.addAll(lists);
    List<?> flat = asList(BrokerScripts.FETCH.run(j, keys, List.of(Integer.toString(max))));
    List<Delivery> out = new ArrayList<>(flat.size() / 2);
    for (int i = 0; i + 1 < flat.size(); i += 2) {
      out.add(new Delivery(text(flat.get(i + 1)), text(flat.get(i))));
    }
    return out;
  }

  @Override
  public int ack(String workerId, List<Delivery> deliveries) {
    String inflight = inflightKey(workerId);
    if (deliveries.isEmpty()) {
      return 0;
    }
    return run(
        "ack",
        j -> {
          Pipeline p = j.pipelined();
          List<Response<Long>> removed = new ArrayList<>(deliveries.size());
          for (Delivery d : deliveries) {
            // The oldest are at the tail, and those are usually the ones finishing.
            removed.add(p.lrem(inflight, -1, d.payload()));
          }
          p.sync();
          int n = 0;
          for (Response<Long> r : removed) {
            n += r.get().intValue();
          }
          return n;
        });
  }

  @Override
  public boolean schedule(
      String workerId, Delivery delivery, String list, String payload, Instant due) {
    String inflight = inflightKey(workerId);
    requireList(list);
    String member =
        UUID.randomUUID().toString().replace("-", "").substring(0, 16)
            + ':'
            + list.getBytes(StandardCharsets.UTF_8).length
            + ':'
            + list
            + payload;
    return flag(
        "schedule",
        BrokerScripts.SCHEDULE,
        List.of(inflight, SCHEDULE),
        List.of(delivery.payload(), member, Long.toString(due.toEpochMilli())));
  }

  @Override
  public int releaseDue(Instant now, int max) {
    if (max < 1) {
      throw new IllegalArgumentException("max must be at least 1, was " + max);
    }
    return (int)
        number(
            "releaseDue",
            BrokerScripts.RELEASE_DUE,
            List.of(SCHEDULE),
            List.of(Long.toString(now.toEpochMilli()), Integer.toString(max)));
  }

  @Override
  public boolean requeue(
      String workerId, Delivery delivery, String list, String payload, boolean front) {
    requireList(list);
    return flag(
        "requeue",
        BrokerScripts.REQUEUE,
        List.of(inflightKey(workerId), list),
        List.of(delivery.payload(), payload, front ? "1" : "0"));
  }

  @Override
  public boolean deadLetter(String workerId, Delivery delivery, DeadLetter letter) {
    return flag(
        "deadLetter",
        BrokerScripts.DEAD_LETTER,
        List.of(inflightKey(workerId), DEAD),
        List.of(delivery.payload(), StoredJson.deadLetter(letter)));
  }

  @Override
  public boolean heartbeat(WorkerInfo worker, Duration ttl) {
    long millis = ttl.toMillis();
    if (millis < 1) {
      throw new IllegalArgumentException("ttl must be at least 1 ms, was " + ttl);
    }
    return flag(
        "heartbeat",
        BrokerScripts.HEARTBEAT,
        List.of(WORKER_PREFIX + worker.id(), WORKERS),
        List.of(StoredJson.worker(worker), Long.toString(millis), worker.id()));
  }

  @Override
  public int unregister(String workerId, Restorer restorer) {
    inflightKey(workerId);
    return run("unregister", j -> restore(j, workerId, restorer, "unregister"));
  }

  @Override
  public int reapExpired(Restorer restorer) {
    return run(
        "reapExpired",
        j -> {
          List<String> ids = j.zrange(WORKERS, 0, -1);
          Pipeline p = j.pipelined();
          List<Response<Boolean>> alive = new ArrayList<>(ids.size());
          for (String id : ids) {
            alive.add(p.exists(WORKER_PREFIX + id));
          }
          p.sync();
          int n = 0;
          for (int i = 0; i < ids.size(); i++) {
            if (!alive.get(i).get()) {
              n += restore(j, ids.get(i), restorer, "reap");
            }
          }
          return n;
        });
  }

  /** Restores a worker's held messages in chunks; each chunk is one script. */
  private int restore(Jedis j, String workerId, Restorer restorer, String mode) {
    String inflight = INFLIGHT_PREFIX + workerId;
    List<String> keys = List.of(WORKER_PREFIX + workerId, inflight, DEAD, WORKERS);
    String forgetBefore = Long.toString(Instant.now().minus(FORGET_AFTER).toEpochMilli());
    List<String> held = j.lrange(inflight, 0, -1);
    int n = 0;
    int i = 0;
    do {
      List<String> args = new ArrayList<>();
      args.add(workerId);
      args.add(mode);
      args.add(forgetBefore);
      int end = Math.min(held.size(), i + RESTORE_CHUNK);
      for (String payload : held.subList(i, end)) {
        // Held lists are newest first; restoring each to the front in that order leaves the
        // oldest served first.
        // The held list keeps only payloads, so the delivery names the in-flight list; the
        // restorer finds the message's own list in its envelope (delivery_info, priority).
        Restored to = restorer.restore(new Delivery(payload, inflight));
        DeadLetter dead = to.dead();
        args.add(payload);
        if (dead != null) {
          args.add("D");
          args.add("");
          args.add(StoredJson.deadLetter(dead));
        } else {
          args.add("L");
          args.add(Objects.requireNonNull(to.list()));
          args.add(to.payload());
        }
      }
      long moved = toLong(BrokerScripts.RESTORE.run(j, keys, args));
      if (moved < 0) {
        return n; // the worker came back to life: its messages are its own again
      }
      n += (int) moved;
      i = end;
    } while (i < held.size());
    return n;
  }

  @Override
  public boolean publishOnce(String claim, Duration claimTtl, Outgoing message) {
    return publishOnce(claim, "1", claimTtl, message).isEmpty();
  }

  @Override
  public Optional<String> publishOnce(
      String claim, String value, Duration claimTtl, Outgoing message) {
    if (claim.isEmpty()) {
      throw new IllegalArgumentException("claim must not be empty");
    }
    long millis = claimTtl.toMillis();
    if (millis < 1) {
      throw new IllegalArgumentException("claimTtl must be at least 1 ms, was " + claimTtl);
    }
    Object held =
        run(
            "publishOnce",
            j ->
                BrokerScripts.PUBLISH_ONCE.run(
                    j,
                    List.of(CLAIM_PREFIX + claim, message.list()),
                    List.of(Long.toString(millis), value, message.payload())));
    return held == null ? Optional.empty() : Optional.of(String.valueOf(held));
  }

  @Override
  public List<DeadLetter> deadLetters(int max) {
    if (max < 1) {
      throw new IllegalArgumentException("max must be at least 1, was " + max);
    }
    return run(
        "deadLetters",
        j -> {
          List<DeadLetter> out = new ArrayList<>();
          for (String entry : j.lrange(DEAD, 0, max - 1L)) {
            out.add(StoredJson.deadLetter(entry));
          }
          return out;
        });
  }

  @Override
  public Optional<DeadLetter> deadLetter(String id) {
    return run("deadLetter", j -> Optional.ofNullable(findDead(j, id)).map(e -> e.letter));
  }

  @Override
  public boolean requeueDead(String id, String list) {
    requireList(list);
    return run(
        "requeueDead",
        j -> {
          DeadEntry e = findDead(j, id);
          if (e == null) {
            return false;
          }
          // Removing the exact entry text makes two concurrent requeues move it once.
          return toLong(
                  BrokerScripts.REQUEUE_DEAD.run(
                      j, List.of(DEAD, list), List.of(e.json, e.letter.payload())))
              == 1;
        });
  }

  private record DeadEntry(String json, DeadLetter letter) {}

  private static @Nullable DeadEntry findDead(Jedis j, String id) {
    // A linear scan: dead letters are few and read by operators, not on the hot path.
    for (String entry : j.lrange(DEAD, 0, -1)) {
      DeadLetter d = StoredJson.deadLetter(entry);
      if (d.id().equals(id)) {
        return new DeadEntry(entry, d);
      }
    }
    return null;
  }

  @Override
  public long purgeDead() {
    return number("purgeDead", BrokerScripts.PURGE_DEAD, List.of(DEAD), List.of());
  }

  @Override
  public BrokerStats stats(Collection<String> queues) {
    return run(
        "stats",
        j -> {
          List<String> ids = j.zrange(WORKERS, 0, -1);
          List<WorkerInfo> live = new ArrayList<>();
          if (!ids.isEmpty()) {
            List<String> values =
                j.mget(ids.stream().map(id -> WORKER_PREFIX + id).toArray(String[]::new));
            for (String v : values) {
              if (v != null) {
                live.add(StoredJson.worker(v));
              }
            }
          }
          Set<String> all = new LinkedHashSet<>(queues);
          live.forEach(w -> all.addAll(w.queues()));
          // Scanned rather than taken from the workers set: a worker may fetch before its first
          // heartbeat, and its messages are in flight all the same.
          List<String> inflightKeys = inflightKeys(j);
          Pipeline p = j.pipelined();
          Map<String, List<Response<Long>>> depths = new LinkedHashMap<>();
          for (String q : all) {
            List<Response<Long>> r = new ArrayList<>();
            for (String list : PriorityLists.listsInServeOrder(q)) {
              r.add(p.llen(list));
            }
            depths.put(q, r);
          }
          Response<Long> scheduled = p.zcard(SCHEDULE);
          Response<Long> dead = p.llen(DEAD);
          List<Response<Long>> held = new ArrayList<>();
          for (String key : inflightKeys) {
            held.add(p.llen(key));
          }
          p.sync();
          Map<String, Long> queueDepths = new LinkedHashMap<>();
          depths.forEach((q, r) -> queueDepths.put(q, r.stream().mapToLong(Response::get).sum()));
          return new BrokerStats(
              queueDepths,
              scheduled.get(),
              held.stream().mapToLong(Response::get).sum(),
              dead.get(),
              live);
        });
  }

  private static List<String> inflightKeys(Jedis j) {
    List<String> keys = new ArrayList<>();
    ScanParams params = new ScanParams().match(INFLIGHT_PREFIX + "*").count(1000);
    String cursor = ScanParams.SCAN_POINTER_START;
    do {
      ScanResult<String> page = j.scan(cursor, params);
      keys.addAll(page.getResult());
      cursor = page.getCursor();
    } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
    return keys;
  }

  @Override
  public void close() {
    pool.close();
  }

  @Override
  public String toString() {
    return "RedisBroker[" + url + "]";
  }

  // ---- helpers ----------------------------------------------------------------------------------

  private static String inflightKey(String workerId) {
    if (workerId.isBlank()) {
      throw new IllegalArgumentException("worker id must not be blank");
    }
    return INFLIGHT_PREFIX + workerId;
  }

  private static void requireList(String list) {
    if (list.isEmpty()) {
      throw new IllegalArgumentException("list must not be empty");
    }
  }

  private boolean flag(String op, LuaScript script, List<String> keys, List<String> args) {
    return number(op, script, keys, args) == 1;
  }

  private long number(String op, LuaScript script, List<String> keys, List<String> args) {
    return run(op, j -> toLong(script.run(j, keys, args)));
  }

  private <T> T run(String op, Function<Jedis, T> action) {
    try (Jedis j = pool.getResource()) {
      return action.apply(j);
    } catch (JedisException e) {
      throw failure(op, e);
    }
  }

  private BrokerException failure(String op, JedisException e) {
    return new BrokerException(op + " failed on Redis at " + url + ": " + e.getMessage(), e);
  }

  static long toLong(@Nullable Object reply) {
    if (reply instanceof Long l) {
      return l;
    }
    throw new BrokerException("unexpected reply from a Redis script: " + reply);
  }

  static List<?> asList(@Nullable Object reply) {
    if (reply instanceof List<?> l) {
      return l;
    }
    throw new BrokerException("unexpected reply from a Redis script: " + reply);
  }

  static String text(@Nullable Object reply) {
    if (reply instanceof String s) {
      return s;
    }
    if (reply instanceof byte[] b) {
      return new String(b, StandardCharsets.UTF_8);
    }
    throw new BrokerException("unexpected reply from a Redis script: " + reply);
  }
}
