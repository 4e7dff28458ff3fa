package io.securetx.task.redis;

import io.securetx.task.backend.ResultBackend;
import io.securetx.task.backend.ResultBackendException;
import io.securetx.task.backend.ResultSubscription;
import io.securetx.task.wire.CeleryCodec;
import io.securetx.task.wire.ResultMeta;
import io.securetx.task.wire.WireFormatException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPool;
import redis.clients.jedis.JedisPoolConfig;
import redis.clients.jedis.exceptions.JedisException;

/**
 * A {@link ResultBackend} that stores results exactly as Celery's Redis backend does: the JSON
 * under {@code celery-task-meta-<id>} with a ttl, published on the channel of the same name, and
 * never over a stored {@code SUCCESS}. Python's {@code AsyncResult.get()} reads what this writes,
 * and the other way round.
 *
 * <p>Each write is one Lua script (read the stored status, then {@code SETEX} and {@code PUBLISH}),
 * so unlike Celery's GET-then-MULTI it cannot overwrite a SUCCESS stored between the two. Every
 * subscription shares one pub/sub connection, held by a daemon thread.
 */
public final class RedisResultBackend implements ResultBackend {

  /** Celery's default {@code result_expires}: one day. */
  public static final Duration DEFAULT_TTL = Duration.ofDays(1);

  private static final Duration CONFIRM_TIMEOUT = Duration.ofSeconds(10);

  /**
   * KEYS[1] result key (and channel); ARGV[1] JSON, ARGV[2] ttl seconds (0: no expiry). Returns 1
   * if stored, 0 if dropped because SUCCESS is stored.
   */
  /** Results stored by one script call; bounds the script's run time and the argument list. */
  private static final int STORE_BATCH = 256;

  /**
   * Stores a batch: for each key, unless the stored status is SUCCESS, SETEX (or SET without a TTL)
   * and PUBLISH the same JSON, as Celery's backend does. ARGV[1] is the TTL, ARGV[i+1] the JSON for
   * KEYS[i]. One call per batch instead of one per result halves Redis's work per task.
   */
  private static final LuaScript STORE =
      new LuaScript(
          """
          local ttl = tonumber(ARGV[1])
          local stored = 0
          for i, key in ipairs(KEYS) do
            local json = ARGV[i + 1]
            local cur = redis.call('GET', key)
            local final = false
            if cur then
              local ok, meta = pcall(cjson.decode, cur)
              final = ok and type(meta) == 'table' and meta['status'] == 'SUCCESS'
            end
            if not final then
              if ttl > 0 then
                redis.call('SETEX', key, ttl, json)
              else
                redis.call('SET', key, json)
              end
              redis.call('PUBLISH', key, json)
              stored = stored + 1
            end
          end
          return stored
          """);

  private final RedisUrl url;
  private final JedisPool pool;
  private final CeleryCodec codec = CeleryCodec.create();
  private final String ttlSeconds;
  private final ResultChannels channels;
  private final Map<String, Set<Subscription>> listeners = new ConcurrentHashMap<>();

  private RedisResultBackend(RedisUrl url, JedisPool pool, Duration ttl) {
    this.url = url;
    this.pool = pool;
    this.ttlSeconds = Long.toString(ttl.toSeconds());
    this.channels = new ResultChannels(url, CONFIRM_TIMEOUT, this::published, this::reread);
  }

  /**
   * Connects with Celery's default result ttl of one day.
   *
   * @param url where the server is
   * @return the backend; close it to release its connections and its pub/sub thread
   */
  public static RedisResultBackend connect(RedisUrl url) {
    return connect(url, DEFAULT_TTL);
  }

  /**
   * Connects to Redis.
   *
   * @param url where the server is
   * @param ttl how long stored results live (Celery's {@code result_expires}); zero for ever
   * @return the backend; close it to release its connections and its pub/sub thread
   * @throws IllegalArgumentException if the ttl is negative or not whole seconds
   */
  public static RedisResultBackend connect(RedisUrl url, Duration ttl) {
    Objects.requireNonNull(url, "url");
    if (ttl.isNegative() || ttl.toNanos() % 1_000_000_000L != 0) {
      throw new IllegalArgumentException("ttl must be zero or whole seconds, was " + ttl);
    }
    JedisPoolConfig config = new JedisPoolConfig();
    config.setMaxTotal(16);
    config.setMaxWait(Duration.ofSeconds(10));
    RedisResultBackend backend =
        new RedisResultBackend(
            url,
            new JedisPool(config, url.hostAndPort(), url.clientConfig("securetx-backend", 5_000)),
            ttl);
    backend.channels.start();
    return backend;
  }

  @Override
  public void store(List<ResultMeta> metas) {
    if (metas.isEmpty()) {
      return;
    }
    List<List<String>> keys = new ArrayList<>();
    List<List<String>> args = new ArrayList<>();
    for (int from = 0; from < metas.size(); from += STORE_BATCH) {
      List<ResultMeta> chunk = metas.subList(from, Math.min(metas.size(), from + STORE_BATCH));
      List<String> chunkKeys = new ArrayList<>(chunk.size());
      List<String> chunkArgs = new ArrayList<>(chunk.size() + 1);
      chunkArgs.add(ttlSeconds);
      for (ResultMeta m : chunk) {
        chunkKeys.add(ResultMeta.keyFor(m.taskId()));
        chunkArgs.add(codec.encodeResult(m));
      }
      keys.add(chunkKeys);
      args.add(chunkArgs);
    }
    run("store", j -> STORE.runPipelined(j, keys, args));
  }

  @Override
  public Optional<ResultMeta> get(String taskId) {
    String json = run("get", j -> j.get(ResultMeta.keyFor(taskId)));
    return json == null ? Optional.empty() : Optional.of(decode(json, taskId));
  }

  @Override
  public Map<String, ResultMeta> getAll(List<String> taskIds) {
    Map<String, ResultMeta> out = new LinkedHashMap<>();
    if (taskIds.isEmpty()) {
      return out;
    }
    List<String> values =
        run("getAll", j -> j.mget(taskIds.stream().map(ResultMeta::keyFor).toArray(String[]::new)));
    for (int i = 0; i < taskIds.size(); i++) {
      String json = values.get(i);
      if (json != null) {
        out.put(taskIds.get(i), decode(json, taskIds.get(i)));
      }
    }
    return out;
  }

  @Override
  public ResultSubscription subscribe(String taskId) {
    if (taskId.isBlank()) {
      throw new IllegalArgumentException("taskId must not be blank");
    }
    Subscription s = new Subscription(taskId);
    listeners.computeIfAbsent(taskId, k -> ConcurrentHashMap.newKeySet()).add(s);
    try {
      channels.listen(ResultMeta.channelFor(taskId));
    } catch (RuntimeException e) {
      forget(s);
      throw e;
    }
    return s;
  }

  private void forget(Subscription s) {
    listeners.computeIfPresent(
        s.taskId,
        (k, set) -> {
          set.remove(s);
          return set.isEmpty() ? null : set;
        });
  }

  /** Called on the pub/sub thread for every message. */
  private void published(String channel, String json) {
    if (!channel.startsWith(ResultMeta.KEY_PREFIX)) {
      return;
    }
    offer(channel.substring(ResultMeta.KEY_PREFIX.length()), json);
  }

  /** Called on the pub/sub thread after a reconnect: states published meanwhile were lost. */
  private void reread(String channel) {
    String taskId = channel.substring(ResultMeta.KEY_PREFIX.length());
    try {
      get(taskId).ifPresent(m -> deliver(taskId, m));
    } catch (ResultBackendException e) {
      // Redis went away again; the next reconnect reads again.
    }
  }

  private void offer(String taskId, String json) {
    ResultMeta meta;
    try {
      meta = codec.decodeResult(json);
    } catch (WireFormatException e) {
      return; // not a result: someone else's message on a name that looks like ours
    }
    deliver(taskId, meta);
  }

  private void deliver(String taskId, ResultMeta meta) {
    if (!meta.state().isReady()) {
      return;
    }
    Set<Subscription> subs = listeners.get(taskId);
    if (subs != null) {
      subs.forEach(s -> s.ready.complete(meta));
    }
  }

  private ResultMeta decode(String json, String taskId) {
    try {
      return codec.decodeResult(json);
    } catch (WireFormatException e) {
      throw new ResultBackendException(
          "the value stored for task " + taskId + " is not a Celery result", e);
    }
  }

  private <T> T run(String op, Function<Jedis, T> action) {
    try (Jedis j = pool.getResource()) {
      return action.apply(j);
    } catch (JedisException e) {
      throw new ResultBackendException(
          op + " failed on Redis at " + url + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    channels.close();
    listeners
        .values()
        .forEach(
            set ->
                set.forEach(
                    s ->
                        s.ready.completeExceptionally(
                            new ResultBackendException("the result backend was closed"))));
    listeners.clear();
    pool.close();
  }

  @Override
  public String toString() {
    return "RedisResultBackend[" + url + "]";
  }

  private final class Subscription implements ResultSubscription {
    final String taskId;
    final CompletableFuture<ResultMeta> ready = new CompletableFuture<>();
    private volatile boolean closed;

    Subscription(String taskId) {
      this.taskId = taskId;
    }

    @Override
    public ResultMeta awaitReady(Duration timeout) throws TimeoutException, InterruptedException {
      if (closed) {
        throw new IllegalStateException("the subscription is closed");
      }
      if (!ready.isDone()) {
        // Subscribed first, so a state stored from now on is published to us; one read catches
        // what was stored before.
        get(taskId).ifPresent(m -> deliver(taskId, m));
      }
      try {
        return ready.get(Math.max(0, timeout.toNanos()), TimeUnit.NANOSECONDS);
      } catch (TimeoutException e) {
        TimeoutException t =
            new TimeoutException("task " + taskId + " was not ready within " + timeout);
        t.initCause(e);
        throw t;
      } catch (ExecutionException e) {
        Throwable cause = e.getCause();
        if (cause instanceof RuntimeException r) {
          throw r;
        }
        throw new ResultBackendException("waiting for task " + taskId + " failed", e);
      }
    }

    @Override
    public void close() {
      if (closed) {
        return;
      }
      closed = true;
      forget(this);
      channels.unlisten(ResultMeta.channelFor(taskId));
    }

    @Override
    public String toString() {
      return "Subscription[" + taskId + "]";
    }
  }
}
