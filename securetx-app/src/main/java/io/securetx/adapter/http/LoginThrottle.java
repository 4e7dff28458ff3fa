package io.securetx.adapter.http;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Slows password guessing per client address: after {@link #FREE_FAILURES} failures the address
 * must wait before its next attempt, 1 s, and each further failure doubles the wait (2 s, 4 s ...
 * up to {@link #MAX_WAIT}). A success clears the address; an address quiet for {@link
 * #FORGET_AFTER} is forgotten. IPv6 addresses count by their /64 prefix (one host usually holds a
 * whole /64).
 *
 * <p>The table is bounded ({@link #MAX_ADDRESSES}) without ever refusing a new address: beyond the
 * bound it forgets first the addresses still below {@link #FREE_FAILURES} failures, and only then
 * the least recently failed throttled ones. Both tiers are kept in order of their last failure, so
 * forgetting quiet or surplus addresses looks only at the oldest entries: every call is O(1)
 * amortized.
 */
final class LoginThrottle {

  static final int FREE_FAILURES = 3;
  static final Duration MAX_WAIT = Duration.ofMinutes(5);
  static final Duration FORGET_AFTER = Duration.ofMinutes(30);
  static final int MAX_ADDRESSES = 10_000;

  private final Clock clock;
  private final int maxAddresses;

  /** Addresses below {@link #FREE_FAILURES} failures, oldest last failure first. */
  private final LinkedHashMap<String, Failures> light = new LinkedHashMap<>();

  /** Throttled addresses, oldest last failure first. */
  private final LinkedHashMap<String, Failures> heavy = new LinkedHashMap<>();

  LoginThrottle(Clock clock) {
    this(clock, MAX_ADDRESSES);
  }

  LoginThrottle(Clock clock, int maxAddresses) {
    if (maxAddresses < 1) {
      throw new IllegalArgumentException("maxAddresses must be at least 1");
    }
    this.clock = clock;
    this.maxAddresses = maxAddresses;
  }

  /**
   * How long the address must still wait before it may try again.
   *
   * @param address the client address
   * @return 0 when it may try now, else whole seconds (rounded up)
   */
  synchronized long waitSeconds(String address) {
    Instant now = clock.instant();
    forgetQuiet(now);
    Failures f = heavy.get(key(address));
    if (f == null || f.notBefore == null || !now.isBefore(f.notBefore)) {
      return 0;
    }
    long millis = Duration.between(now, f.notBefore).toMillis();
    return Math.max(1, (millis + 999) / 1000);
  }

  /** Records a failed attempt and starts its wait. */
  synchronized void failed(String address) {
    Instant now = clock.instant();
    forgetQuiet(now);
    String key = key(address);
    Failures f = light.remove(key);
    if (f == null) {
      f = heavy.remove(key);
    }
    if (f == null) {
      f = new Failures();
    }
    f.count++;
    f.last = now;
    if (f.count >= FREE_FAILURES) {
      int doublings = Math.min(f.count - FREE_FAILURES, 20);
      Duration wait = Duration.ofSeconds(1L << doublings);
      f.notBefore = now.plus(wait.compareTo(MAX_WAIT) > 0 ? MAX_WAIT : wait);
      heavy.put(key, f);
    } else {
      light.put(key, f);
    }
    while (light.size() + heavy.size() > maxAddresses) {
      // Never the address just recorded: it would never get to its throttled failures.
      Map<String, Failures> victims =
          light.size() > (light.containsKey(key) ? 1 : 0) ? light : heavy;
      Iterator<Failures> oldest = victims.values().iterator();
      oldest.next();
      oldest.remove();
    }
  }

  /** Clears an address after a successful login. */
  synchronized void succeeded(String address) {
    String key = key(address);
    light.remove(key);
    heavy.remove(key);
  }

  /** How many addresses are remembered. */
  synchronized int size() {
    return light.size() + heavy.size();
  }

  /**
   * Forgets the addresses quiet for {@link #FORGET_AFTER}: only the oldest entries are looked at.
   */
  private void forgetQuiet(Instant now) {
    Instant cutoff = now.minus(FORGET_AFTER);
    for (Map<String, Failures> tier : java.util.List.of(light, heavy)) {
      Iterator<Failures> it = tier.values().iterator();
      while (it.hasNext()) {
        Failures f = it.next();
        if (f.last != null && f.last.isAfter(cutoff)) {
          break;
        }
        it.remove();
      }
    }
  }

  /**
   * The key an address counts under: an IPv6 address by its /64 prefix, an IPv4 address (also
   * IPv4-mapped) as such.
   */
  static String key(String address) {
    String text = address.strip();
    if (text.startsWith("[") && text.endsWith("]")) {
      text = text.substring(1, text.length() - 1);
    }
    int zone = text.indexOf('%');
    if (zone >= 0) {
      text = text.substring(0, zone);
    }
    // Only literals are parsed (a colon, and only hex digits, colons and dots): never a name
    // lookup.
    if (text.indexOf(':') >= 0 && text.length() <= 45 && text.matches("[0-9A-Fa-f:.]+")) {
      try {
        InetAddress parsed = InetAddress.getByName(text);
        if (parsed instanceof Inet4Address) {
          return parsed.getHostAddress();
        }
        if (parsed instanceof Inet6Address) {
          byte[] bytes = parsed.getAddress();
          return HexFormat.of().formatHex(bytes, 0, 8) + "::/64";
        }
      } catch (UnknownHostException e) {
        // Not a literal after all: counted as written.
      }
    }
    return text.length() > 64 ? text.substring(0, 64) : text;
  }

  private static final class Failures {
    int count;
    @Nullable Instant last;
    @Nullable Instant notBefore;
  }
}
