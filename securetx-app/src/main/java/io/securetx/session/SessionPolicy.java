package io.securetx.session;

import java.time.Duration;
import java.time.Instant;

/**
 * How long sessions live and how many are held: a session ends after {@code idle} without a user's
 * request and after {@code absolute} in any case; beyond {@code maxSessions} the oldest goes first,
 * so a flood of logins cannot exhaust the store.
 *
 * @param idle the idle lifetime, positive
 * @param absolute the absolute lifetime, at least {@code idle}
 * @param maxSessions the most sessions held at once, at least 1
 */
public record SessionPolicy(Duration idle, Duration absolute, int maxSessions) {

  /** The dashboard's: 30 minutes idle, 8 hours in all, 1000 sessions. */
  public static final SessionPolicy DEFAULT =
      new SessionPolicy(Duration.ofMinutes(30), Duration.ofHours(8), 1000);

  /** Validates the lifetimes and the cap. */
  public SessionPolicy {
    if (idle.isNegative() || idle.isZero() || absolute.compareTo(idle) < 0) {
      throw new IllegalArgumentException("idle must be positive and at most the absolute expiry");
    }
    if (maxSessions < 1) {
      throw new IllegalArgumentException("maxSessions must be at least 1, got " + maxSessions);
    }
  }

  /**
   * Tells whether a session has ended.
   *
   * @param createdAt when it was opened
   * @param lastSeenAt its last user request
   * @param now the time to judge at
   * @return true once {@code now} reaches either expiry
   */
  public boolean expired(Instant createdAt, Instant lastSeenAt, Instant now) {
    return !now.isBefore(lastSeenAt.plus(idle)) || !now.isBefore(createdAt.plus(absolute));
  }
}
