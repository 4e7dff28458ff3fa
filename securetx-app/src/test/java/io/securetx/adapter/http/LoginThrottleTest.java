package io.securetx.adapter.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The login throttle's table: bounded without locking out new addresses, IPv6 by /64. */
class LoginThrottleTest {

  private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));

  private static String ipv4(int i) {
    return "10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255);
  }

  @Test
  void fullTable_ofSingleFailures_doesNotLockOutAFreshAddress() {
    LoginThrottle throttle = new LoginThrottle(clock);
    for (int i = 0; i < LoginThrottle.MAX_ADDRESSES + 100; i++) {
      throttle.failed(ipv4(i));
    }
    assertThat(throttle.size()).isEqualTo(LoginThrottle.MAX_ADDRESSES);
    assertThat(throttle.waitSeconds("192.0.2.1")).isZero();
    throttle.failed("192.0.2.1");
    assertThat(throttle.waitSeconds("192.0.2.1")).isZero();
    assertThat(throttle.size()).isEqualTo(LoginThrottle.MAX_ADDRESSES);
  }

  @Test
  void aFloodOfSingleFailures_evictsThemBeforeAThrottledAddress() {
    LoginThrottle throttle = new LoginThrottle(clock, 50);
    for (int i = 0; i < LoginThrottle.FREE_FAILURES + 2; i++) {
      throttle.failed("192.0.2.66");
    }
    long wait = throttle.waitSeconds("192.0.2.66");
    assertThat(wait).isPositive();
    for (int i = 0; i < 10_000; i++) {
      throttle.failed(ipv4(i));
    }
    assertThat(throttle.size()).isEqualTo(50);
    assertThat(throttle.waitSeconds("192.0.2.66")).isEqualTo(wait);
  }

  @Test
  void onlyThrottledAddresses_theLeastRecentlyFailedGoesFirst() {
    LoginThrottle throttle = new LoginThrottle(clock, 2);
    for (String a : new String[] {"192.0.2.1", "192.0.2.2", "192.0.2.3"}) {
      for (int i = 0; i < LoginThrottle.FREE_FAILURES; i++) {
        throttle.failed(a);
      }
      clock.advance(Duration.ofMillis(10));
    }
    assertThat(throttle.waitSeconds("192.0.2.1")).isZero();
    assertThat(throttle.waitSeconds("192.0.2.2")).isPositive();
    assertThat(throttle.waitSeconds("192.0.2.3")).isPositive();
  }

  @Test
  void quietAddresses_areForgotten() {
    LoginThrottle throttle = new LoginThrottle(clock);
    throttle.failed("192.0.2.1");
    clock.advance(LoginThrottle.FORGET_AFTER);
    throttle.failed("192.0.2.2");
    assertThat(throttle.size()).isEqualTo(1);
  }

  @Test
  void ipv6_countsBySlash64() {
    LoginThrottle throttle = new LoginThrottle(clock);
    for (int i = 0; i < LoginThrottle.FREE_FAILURES; i++) {
      throttle.failed("2001:db8:1:2::" + Integer.toHexString(i + 1));
    }
    assertThat(throttle.waitSeconds("2001:db8:1:2:ffff:ffff:ffff:ffff")).isPositive();
    assertThat(throttle.waitSeconds("[2001:0db8:0001:0002:0:0:0:9]")).isPositive();
    assertThat(throttle.waitSeconds("2001:db8:1:3::1")).isZero();
    assertThat(LoginThrottle.key("::ffff:192.0.2.1")).isEqualTo("192.0.2.1");
    assertThat(LoginThrottle.key("192.0.2.1")).isEqualTo("192.0.2.1");
    assertThat(LoginThrottle.key("fe80::1%eth0")).isEqualTo("fe80000000000000::/64");
  }
}
