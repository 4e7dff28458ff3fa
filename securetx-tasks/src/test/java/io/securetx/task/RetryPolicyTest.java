package io.securetx.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.io.IOException;
import java.math.BigInteger;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

  private static final SecureRandom RANDOM = new SecureRandom();

  private static RetryPolicy transientIo(int maxRetries) {
    return RetryPolicy.builder().maxRetries(maxRetries).retryOn(IOException.class).build();
  }

  @Test
  void new_negativeMaxRetries_throws() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> RetryPolicy.builder().maxRetries(-1).build())
        .withMessageContaining("maxRetries");
  }

  @Test
  void new_negativeBaseDelay_throws() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> RetryPolicy.builder().baseDelay(Duration.ofSeconds(-1)).build())
        .withMessageContaining("baseDelay");
  }

  @Test
  void new_capBelowBase_throws() {
    assertThatIllegalArgumentException()
        .isThrownBy(
            () ->
                RetryPolicy.builder()
                    .baseDelay(Duration.ofSeconds(10))
                    .maxDelay(Duration.ofSeconds(5))
                    .build())
        .withMessageContaining("maxDelay");
  }

  @Test
  void new_capBeyondNanosecondRange_throws() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> RetryPolicy.builder().maxDelay(Duration.ofDays(365L * 300)).build())
        .withMessageContaining("too large");
  }

  @Test
  void new_transientSet_isCopied() {
    Set<Class<? extends Throwable>> types = new HashSet<>();
    types.add(IOException.class);
    RetryPolicy policy = new RetryPolicy(1, Duration.ZERO, Duration.ZERO, types);

    types.clear();

    assertThat(policy.transientExceptions()).containsExactly(IOException.class);
  }

  @Test
  void none_anyFailure_neverRetries() {
    RetryPolicy none = RetryPolicy.none();

    assertThat(none.maxRetries()).isZero();
    assertThat(none.shouldRetry(new IOException(), 0)).isFalse();
  }

  @Test
  void shouldRetry_transientWithinLimit_retriesUntilMaxRetries() {
    RetryPolicy policy = transientIo(3);

    assertThat(policy.shouldRetry(new IOException(), 0)).isTrue();
    assertThat(policy.shouldRetry(new IOException(), 2)).isTrue();
    assertThat(policy.shouldRetry(new IOException(), 3)).isFalse();
    assertThat(policy.shouldRetry(new IOException(), 4)).isFalse();
  }

  @Test
  void shouldRetry_subclassOfTransient_retries() {
    RetryPolicy policy = transientIo(3);

    assertThat(policy.shouldRetry(new SocketTimeoutException(), 0)).isTrue();
    assertThat(policy.shouldRetry(new ConnectException(), 0)).isTrue();
  }

  @Test
  void shouldRetry_permanentFailure_neverRetries() {
    RetryPolicy policy = transientIo(3);

    assertThat(policy.shouldRetry(new IllegalStateException(), 0)).isFalse();
    assertThat(policy.shouldRetry(new TaskArgumentException("bad"), 0)).isFalse();
    // A transient cause does not make the wrapper transient: the handler decides what it throws.
    assertThat(policy.shouldRetry(new RuntimeException(new IOException()), 0)).isFalse();
  }

  @Test
  void shouldRetry_negativeRetries_throws() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> transientIo(3).shouldRetry(new IOException(), -1));
  }

  @Test
  void delay_negativeAttempt_throws() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> transientIo(3).delay(-1, RANDOM))
        .withMessageContaining("attempt");
  }

  @Test
  void upperBound_growingAttempts_doublesThenSaturatesAtCap() {
    RetryPolicy policy =
        RetryPolicy.builder()
            .baseDelay(Duration.ofSeconds(1))
            .maxDelay(Duration.ofSeconds(10))
            .build();

    assertThat(policy.upperBound(0)).isEqualTo(Duration.ofSeconds(1));
    assertThat(policy.upperBound(1)).isEqualTo(Duration.ofSeconds(2));
    assertThat(policy.upperBound(3)).isEqualTo(Duration.ofSeconds(8));
    assertThat(policy.upperBound(4)).isEqualTo(Duration.ofSeconds(10));
    assertThat(policy.upperBound(63)).isEqualTo(Duration.ofSeconds(10));
    assertThat(policy.upperBound(Integer.MAX_VALUE)).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void delay_zeroBase_isAlwaysZero() {
    assertThat(RetryPolicy.none().delay(5, RANDOM)).isEqualTo(Duration.ZERO);
    RetryPolicy zeroBase = RetryPolicy.builder().baseDelay(Duration.ZERO).build();
    assertThat(zeroBase.upperBound(100)).isEqualTo(Duration.ZERO);
  }

  @Test
  void upperBound_longestCap_saturatesWithoutOverflow() {
    RetryPolicy policy =
        RetryPolicy.builder()
            .baseDelay(Duration.ofNanos(3))
            .maxDelay(Duration.ofNanos(Long.MAX_VALUE))
            .build();

    assertThat(policy.upperBound(62)).isEqualTo(Duration.ofNanos(Long.MAX_VALUE));
    assertThat(policy.upperBound(61)).isEqualTo(Duration.ofNanos(3L << 61));
    assertThat(policy.delay(200, RANDOM)).isBetween(Duration.ZERO, policy.maxDelay());
  }

  @Test
  void delay_manyDraws_spreadsOverTheRange() {
    RetryPolicy policy =
        RetryPolicy.builder()
            .baseDelay(Duration.ofSeconds(1))
            .maxDelay(Duration.ofSeconds(1))
            .build();
    Set<Boolean> upperHalf = new HashSet<>();
    for (int i = 0; i < 200; i++) {
      upperHalf.add(policy.delay(0, RANDOM).compareTo(Duration.ofMillis(500)) >= 0);
    }
    // Full jitter: both halves of [0, 1s] are hit; a fixed delay would hit only one.
    assertThat(upperHalf).containsExactlyInAnyOrder(true, false);
  }

  @Property
  void delay_anyAttempt_isWithinZeroAndCappedExponential(
      @ForAll @IntRange(min = 0, max = 200) int attempt,
      @ForAll @LongRange(min = 0, max = 1_000_000_000_000L) long baseNanos,
      @ForAll @LongRange(min = 0, max = Long.MAX_VALUE / 2) long extraCapNanos) {
    long capNanos = baseNanos + extraCapNanos;
    RetryPolicy policy =
        new RetryPolicy(
            1, Duration.ofNanos(baseNanos), Duration.ofNanos(capNanos), Set.of(IOException.class));

    BigInteger exact =
        BigInteger.valueOf(baseNanos).shiftLeft(attempt).min(BigInteger.valueOf(capNanos));
    Duration bound = Duration.ofNanos(exact.longValueExact());
    Duration delay = policy.delay(attempt, RANDOM);

    assertThat(policy.upperBound(attempt)).isEqualTo(bound);
    assertThat(delay).isBetween(Duration.ZERO, bound);
  }

  @Property
  void upperBound_consecutiveAttempts_neverShrinksAndNeverExceedsCap(
      @ForAll @IntRange(min = 0, max = 199) int attempt,
      @ForAll @LongRange(min = 1, max = 1_000_000_000L) long baseNanos,
      @ForAll @LongRange(min = 0, max = Long.MAX_VALUE / 2) long extraCapNanos) {
    RetryPolicy policy =
        new RetryPolicy(
            0, Duration.ofNanos(baseNanos), Duration.ofNanos(baseNanos + extraCapNanos), Set.of());

    assertThat(policy.upperBound(attempt + 1)).isGreaterThanOrEqualTo(policy.upperBound(attempt));
    assertThat(policy.upperBound(attempt + 1)).isLessThanOrEqualTo(policy.maxDelay());
  }
}
