package io.securetx.adapter.http;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slows password guessing per client address: after {@link #FREE_FAILURES} failures the address
 * must wait before its next attempt, 1 s, and each further failure doubles the wait (2 s, 4 s ...
 * up to {@link #MAX_WAIT}). A success clears the address; an address quiet for {@link
 * #FORGET_AFTER} is forgotten. The map is bounded, so a flood of addresses cannot exhaust memory
 * (it then forgets the quiet ones first, and beyond that refuses new addresses until some expire).
 */
final class LoginThrottle {

  static final int FREE_FAILURES = 3;
  static final Duration MAX_WAIT = Duration.ofMinutes(5);
  static final Duration FORGET_AFTER = Duration.ofMinutes(30);
  static final int MAX_ADDRESSES = 10_000;

  private final Clock clock;
  private final Map<String, Failures> failures = new ConcurrentHashMap<>();

  LoginThrottle(Clock clock) {
    this.clock = clock;
  }

  /**
   * How long the address must still wait before it may try again.
   *
   * @param address the client address
   * @return 0 when it may try now, else whole seconds (rounded up)
   */
  long waitSeconds(String address) {
    Instant now = clock.instant();
    Failures f = failures.get(address);
    if (f == null) {
      return failures.size() >= MAX_ADDRESSES && !forgetQuiet(now) ? 1 : 0;
    }
    synchronized (f) {
      if (f.notBefore == null || !now.isBefore(f.notBefore)) {
        return 0;
      }
      long millis = Duration.between(now, f.notBefore).toMillis();
      return Math.max(1, (millis + 999) / 1000);
    }
  }

  /** Records a failed attempt and starts its wait. */
  void failed(String address) {
    Instant now = clock.instant();
    Failures f = failures.computeIfAbsent(address, a -> new Failures());
    synchronized (f) {
      f.count++;
      f.last = now;
      if (f.count >= FREE_FAILURES) {
        int doublings = Math.min(f.count - FREE_FAILURES, 20);
        Duration wait = Duration.ofSeconds(1L << doublings);
        f.notBefore = now.plus(wait.compareTo(MAX_WAIT) > 0 ? MAX_WAIT : wait);
      }
    }
  }

  /** Clears an address after a successful login. */
  void succeeded(String address) {
    failures.remove(address);
  }

  /** Forgets quiet addresses; whether there is room now. */
  private boolean forgetQuiet(Instant now) {
    for (Iterator<Failures> it = failures.values().iterator(); it.hasNext(); ) {
      Failures f = it.next();
      synchronized (f) {
        if (f.last != null && !now.isBefore(f.last.plus(FORGET_AFTER))) {
          it.remove();
        }
      }
    }
    return failures.size() < MAX_ADDRESSES;
  }

  private static final class Failures {
    int count;
    @org.jspecify.annotations.Nullable Instant last;
    @org.jspecify.annotations.Nullable Instant notBefore;
  }
}
