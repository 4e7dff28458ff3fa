package io.securetx.session;

import java.time.Instant;
import java.util.Objects;

/**
 * A live session as a store holds it.
 *
 * @param key its key
 * @param createdAt when it was opened: the start of its absolute lifetime
 * @param lastSeenAt the last user request: the start of its idle time
 */
public record StoredSession(SessionKey key, Instant createdAt, Instant lastSeenAt) {

  /** Checks that the session was not seen before it was opened. */
  public StoredSession {
    Objects.requireNonNull(key, "key");
    if (lastSeenAt.isBefore(createdAt)) {
      throw new IllegalArgumentException("a session cannot be seen before it was opened");
    }
  }
}
