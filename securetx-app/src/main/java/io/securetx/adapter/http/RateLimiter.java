package io.securetx.adapter.http;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A token bucket per API key: {@code rate} tokens a second, at most {@code burst} saved up; each
 * request takes one. Time comes from an injected {@link Clock}, so tests advance it instead of
 * sleeping. Keys are the configured API keys' ids, so the map is bounded by the configuration.
 */
final class RateLimiter {

  private final double rate;
  private final int burst;
  private final Clock clock;
  private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

  /**
   * Creates a limiter.
   *
   * @param rate tokens per second; 0 turns limiting off
   * @param burst the bucket's size
   * @param clock the time source
   */
  RateLimiter(double rate, int burst, Clock clock) {
    if (!(rate >= 0) || Double.isInfinite(rate) || burst < 1) {
      throw new IllegalArgumentException("rate must be finite and >= 0, burst >= 1");
    }
    this.rate = rate;
    this.burst = burst;
    this.clock = clock;
  }

  /**
   * Takes a token for a key.
   *
   * @param key the API key's id
   * @return 0 when the request may go ahead, otherwise the whole seconds (at least 1) until a token
   *     is available
   */
  long acquire(String key) {
    if (rate == 0) {
      return 0;
    }
    return buckets.computeIfAbsent(key, k -> new Bucket(burst, nanos())).take(nanos());
  }

  private long nanos() {
    Instant now = clock.instant();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }

  private final class Bucket {
    private double tokens;
    private long last;

    Bucket(double tokens, long last) {
      this.tokens = tokens;
      this.last = last;
    }

    synchronized long take(long now) {
      if (now > last) {
        tokens = Math.min(burst, tokens + (now - last) / 1e9 * rate);
        last = now;
      }
      if (tokens >= 1) {
        tokens -= 1;
        return 0;
      }
      return Math.max(1, (long) Math.ceil((1 - tokens) / rate));
    }
  }
}
