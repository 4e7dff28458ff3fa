package io.securetx.task.redis;

import io.securetx.task.backend.ResultBackendException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.exceptions.JedisException;

/**
 * One pub/sub connection shared by every subscription of a backend, run by one daemon thread. It
 * subscribes a channel when the first listener for it arrives and unsubscribes it when the last one
 * leaves. After the connection breaks it reconnects, subscribes every channel again and then calls
 * {@code onResubscribed}, because whatever was published meanwhile is lost (Celery's client does
 * the same: reconnect, re-read the keys, subscribe again).
 */
final class ResultChannels implements AutoCloseable {

  private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

  private final RedisUrl url;
  private final Duration confirmTimeout;
  private final BiConsumer<String, String> onMessage;
  private final Consumer<String> onResubscribed;

  /** A channel nobody publishes on, so the connection can be subscribed with no listener yet. */
  private final String control = "securetx.results.control." + UUID.randomUUID();

  private final Object lock = new Object();
  private final Map<String, Channel> channels = new HashMap<>(); // guarded by lock
  private @Nullable JedisPubSub connected; // guarded by lock; set once control is confirmed
  private boolean closed; // guarded by lock
  private final CountDownLatch closing = new CountDownLatch(1);
  private final Thread thread;

  private static final class Channel {
    final CompletableFuture<Void> confirmed = new CompletableFuture<>();
    int listeners;
    boolean everConfirmed;
  }

  ResultChannels(
      RedisUrl url,
      Duration confirmTimeout,
      BiConsumer<String, String> onMessage,
      Consumer<String> onResubscribed) {
    this.url = url;
    this.confirmTimeout = confirmTimeout;
    this.onMessage = onMessage;
    this.onResubscribed = onResubscribed;
    this.thread = new Thread(this::loop, "securetx-results-pubsub");
    thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  /**
   * Adds a listener for a channel and returns once Redis confirmed the subscription.
   *
   * @throws ResultBackendException if Redis did not confirm in time, or the wait was interrupted
   */
  void listen(String channel) {
    CompletableFuture<Void> confirmed;
    synchronized (lock) {
      if (closed) {
        throw new IllegalStateException("the result backend is closed");
      }
      Channel c = channels.get(channel);
      if (c == null) {
        c = new Channel();
        channels.put(channel, c);
        JedisPubSub pubsub = connected;
        if (pubsub != null) {
          sendSubscribe(pubsub, channel);
        }
      }
      c.listeners++;
      confirmed = c.confirmed;
    }
    try {
      confirmed.get(confirmTimeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      unlisten(channel);
      Thread.currentThread().interrupt();
      throw new ResultBackendException("interrupted while subscribing to " + channel, e);
    } catch (TimeoutException e) {
      unlisten(channel);
      throw new ResultBackendException(
          "Redis at " + url + " did not confirm the subscription within " + confirmTimeout, e);
    } catch (ExecutionException e) {
      unlisten(channel);
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new ResultBackendException("cannot subscribe to " + channel, e);
    }
  }

  /** Removes a listener; the last one to leave unsubscribes the channel. */
  void unlisten(String channel) {
    synchronized (lock) {
      Channel c = channels.get(channel);
      if (c == null || --c.listeners > 0) {
        return;
      }
      channels.remove(channel);
      JedisPubSub pubsub = connected;
      if (pubsub != null) {
        try {
          pubsub.unsubscribe(channel);
        } catch (JedisException e) {
          // The connection is broken; the reconnect will not subscribe a removed channel.
        }
      }
    }
  }

  private void sendSubscribe(JedisPubSub pubsub, String channel) {
    try {
      pubsub.subscribe(channel);
    } catch (JedisException e) {
      // The reader thread sees the broken connection too, and subscribes again on reconnect.
    }
  }

  private void loop() {
    long backoffMillis = 50;
    while (true) {
      String[] initial;
      synchronized (lock) {
        if (closed) {
          return;
        }
        List<String> names = new ArrayList<>();
        names.add(control);
        names.addAll(channels.keySet());
        initial = names.toArray(String[]::new);
      }
      Handler handler = new Handler(Set.of(initial));
      try (Jedis j = new Jedis(url.hostAndPort(), url.clientConfig("securetx-results", 5_000))) {
        j.subscribe(handler, initial);
      } catch (JedisException e) {
        // Reconnect below, unless closing.
      } finally {
        synchronized (lock) {
          connected = null;
        }
      }
      if (handler.wasConfirmed) {
        backoffMillis = 50;
      }
      try {
        if (closing.await(backoffMillis, TimeUnit.MILLISECONDS)) {
          return;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      backoffMillis = Math.min(backoffMillis * 2, MAX_BACKOFF.toMillis());
    }
  }

  private final class Handler extends JedisPubSub {
    private final Set<String> initial;
    volatile boolean wasConfirmed;

    Handler(Set<String> initial) {
      this.initial = initial;
    }

    @Override
    public void onSubscribe(String channel, int subscribedChannels) {
      List<String> recheck = new ArrayList<>(1);
      synchronized (lock) {
        if (channel.equals(control)) {
          wasConfirmed = true;
          if (closed) {
            unsubscribe();
            return;
          }
          connected = this;
          // Channels added between taking the snapshot and now were not in the SUBSCRIBE.
          for (String name : new LinkedHashSet<>(channels.keySet())) {
            if (!initial.contains(name)) {
              sendSubscribe(this, name);
            }
          }
          return;
        }
        Channel c = channels.get(channel);
        if (c != null) {
          if (c.everConfirmed) {
            recheck.add(channel);
          }
          c.everConfirmed = true;
          c.confirmed.complete(null);
        }
      }
      recheck.forEach(onResubscribed);
    }

    @Override
    public void onMessage(String channel, String message) {
      onMessage.accept(channel, message);
    }
  }

  @Override
  public void close() {
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      JedisPubSub pubsub = connected;
      if (pubsub != null) {
        try {
          pubsub.unsubscribe();
        } catch (JedisException e) {
          // Already broken: the thread ends on its own.
        }
      }
      channels
          .values()
          .forEach(
              c ->
                  c.confirmed.completeExceptionally(
                      new IllegalStateException("the result backend is closed")));
      channels.clear();
    }
    closing.countDown();
    try {
      thread.join(MAX_BACKOFF.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
