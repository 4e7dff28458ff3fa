package io.securetx.task;

import static java.util.Objects.requireNonNull;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * When a failed task is retried and how long it waits first. Only exceptions that are instances of
 * one of the {@code transientExceptions} (subclasses included) are retried, at most {@code
 * maxRetries} times; every other exception is permanent and fails the task at once. Delays follow
 * Celery's {@code retry_backoff} with {@code retry_jitter}: "full jitter", uniform in {@code [0,
 * min(maxDelay, baseDelay * 2^attempt)]}.
 *
 * @param maxRetries how many retries after the first run; 0 means never retry
 * @param baseDelay the upper bound of the first retry's delay
 * @param maxDelay the cap on the upper bound, however many retries
 * @param transientExceptions the exception classes worth retrying
 */
public record RetryPolicy(
    int maxRetries,
    Duration baseDelay,
    Duration maxDelay,
    Set<Class<? extends Throwable>> transientExceptions) {

  /** Delays are computed in nanoseconds; this is the longest a {@code long} of them holds. */
  private static final Duration LONGEST = Duration.ofNanos(Long.MAX_VALUE);

  /**
   * Validates the policy.
   *
   * @throws IllegalArgumentException if {@code maxRetries} or a delay is negative, {@code maxDelay}
   *     is less than {@code baseDelay}, or {@code maxDelay} does not fit in a {@code long} of
   *     nanoseconds (about 292 years)
   * @throws NullPointerException if an argument or an exception class is null
   */
  public RetryPolicy {
    requireNonNull(baseDelay, "baseDelay");
    requireNonNull(maxDelay, "maxDelay");
    transientExceptions = Set.copyOf(requireNonNull(transientExceptions, "transientExceptions"));
    if (maxRetries < 0) {
      throw new IllegalArgumentException("maxRetries must be >= 0, was " + maxRetries);
    }
    if (baseDelay.isNegative()) {
      throw new IllegalArgumentException("baseDelay must not be negative, was " + baseDelay);
    }
    if (maxDelay.compareTo(baseDelay) < 0) {
      throw new IllegalArgumentException(
          "maxDelay (" + maxDelay + ") must not be less than baseDelay (" + baseDelay + ")");
    }
    if (maxDelay.compareTo(LONGEST) > 0) {
      throw new IllegalArgumentException("maxDelay is too large: " + maxDelay);
    }
  }

  /**
   * A policy that never retries.
   *
   * @return a policy with {@code maxRetries} 0 and no transient exceptions
   */
  public static RetryPolicy none() {
    return new RetryPolicy(0, Duration.ZERO, Duration.ZERO, Set.of());
  }

  /**
   * Starts a policy with Celery's defaults where it has them: 3 retries, a 1 second base delay, a
   * 10 minute cap ({@code retry_backoff_max}) and no transient exceptions until some are added.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Tells whether an exception is transient, that is an instance of one of the {@code
   * transientExceptions}.
   *
   * @param failure what the task threw
   * @return true if the failure is worth retrying
   */
  public boolean isTransient(Throwable failure) {
    requireNonNull(failure, "failure");
    for (Class<? extends Throwable> type : transientExceptions) {
      if (type.isInstance(failure)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Decides whether a failed run is retried.
   *
   * @param failure what the task threw
   * @param retriesSoFar how many times the task has already been retried
   * @return true if the failure is transient and retries are left
   * @throws IllegalArgumentException if {@code retriesSoFar} is negative
   */
  public boolean shouldRetry(Throwable failure, int retriesSoFar) {
    if (retriesSoFar < 0) {
      throw new IllegalArgumentException("retriesSoFar must be >= 0, was " + retriesSoFar);
    }
    return retriesSoFar < maxRetries && isTransient(failure);
  }

  /**
   * The largest delay {@link #delay} can return for an attempt: {@code min(maxDelay, baseDelay *
   * 2^attempt)}, computed without overflow.
   *
   * @param attempt the retry number, 0 for the first retry
   * @return the upper bound of the delay
   * @throws IllegalArgumentException if {@code attempt} is negative
   */
  public Duration upperBound(int attempt) {
    return Duration.ofNanos(upperBoundNanos(attempt));
  }

  /**
   * Draws the delay before a retry, uniformly in {@code [0, upperBound(attempt)]}.
   *
   * @param attempt the retry number, 0 for the first retry
   * @param random the source of jitter
   * @return how long to wait before the retry
   * @throws IllegalArgumentException if {@code attempt} is negative
   */
  public Duration delay(int attempt, SecureRandom random) {
    requireNonNull(random, "random");
    long bound = upperBoundNanos(attempt);
    long nanos =
        bound == Long.MAX_VALUE ? random.nextLong() & Long.MAX_VALUE : random.nextLong(bound + 1);
    return Duration.ofNanos(nanos);
  }

  private long upperBoundNanos(int attempt) {
    if (attempt < 0) {
      throw new IllegalArgumentException("attempt must be >= 0, was " + attempt);
    }
    long base = baseDelay.toNanos();
    long cap = maxDelay.toNanos();
    if (base == 0) {
      return 0;
    }
    // base << attempt <= cap exactly when base <= cap >> attempt, and then the shift cannot
    // overflow.
    if (attempt >= Long.SIZE - 1 || base > (cap >> attempt)) {
      return cap;
    }
    return base << attempt;
  }

  /** Builds a {@link RetryPolicy}; starts from the defaults given at {@link #builder()}. */
  public static final class Builder {
    private int maxRetries = 3;
    private Duration baseDelay = Duration.ofSeconds(1);
    private Duration maxDelay = Duration.ofMinutes(10);
    private final Set<Class<? extends Throwable>> transientExceptions = new LinkedHashSet<>();

    private Builder() {}

    /**
     * Sets how many retries follow the first run.
     *
     * @param maxRetries 0 or more
     * @return this builder
     */
    public Builder maxRetries(int maxRetries) {
      this.maxRetries = maxRetries;
      return this;
    }

    /**
     * Sets the upper bound of the first retry's delay.
     *
     * @param baseDelay not negative
     * @return this builder
     */
    public Builder baseDelay(Duration baseDelay) {
      this.baseDelay = requireNonNull(baseDelay, "baseDelay");
      return this;
    }

    /**
     * Sets the cap on every delay.
     *
     * @param maxDelay at least the base delay
     * @return this builder
     */
    public Builder maxDelay(Duration maxDelay) {
      this.maxDelay = requireNonNull(maxDelay, "maxDelay");
      return this;
    }

    /**
     * Adds exception classes to retry; their subclasses are retried too.
     *
     * @param types the transient exception classes
     * @return this builder
     */
    @SafeVarargs
    public final Builder retryOn(Class<? extends Throwable>... types) {
      transientExceptions.addAll(Arrays.asList(requireNonNull(types, "types")));
      return this;
    }

    /**
     * Builds the policy.
     *
     * @return the policy
     * @throws IllegalArgumentException if the settings are invalid, as in the record's constructor
     */
    public RetryPolicy build() {
      return new RetryPolicy(maxRetries, baseDelay, maxDelay, transientExceptions);
    }
  }
}
