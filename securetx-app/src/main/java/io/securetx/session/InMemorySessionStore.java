package io.securetx.session;

import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Sessions in this process's memory: for a dashboard without a database and for tests. A second
 * server does not see them, so behind a load balancer use the database store.
 */
public final class InMemorySessionStore implements SessionStore {

  private final Clock clock;
  private final SessionPolicy policy;
  private final Map<SessionKey, StoredSession> sessions = new HashMap<>();

  /**
   * Creates an empty store.
   *
   * @param clock the time source of expiry
   * @param policy lifetimes and cap
   */
  public InMemorySessionStore(Clock clock, SessionPolicy policy) {
    this.clock = clock;
    this.policy = policy;
  }

  @Override
  public synchronized void open(SessionKey key) {
    Instant now = clock.instant();
    sessions.values().removeIf(s -> policy.expired(s.createdAt(), s.lastSeenAt(), now));
    while (sessions.size() >= policy.maxSessions()) {
      sessions.values().stream()
          .min(Comparator.comparing(StoredSession::createdAt))
          .ifPresent(oldest -> sessions.remove(oldest.key()));
    }
    sessions.put(key, new StoredSession(key, now, now));
  }

  @Override
  public synchronized Optional<StoredSession> find(SessionKey key) {
    return lookup(key, true);
  }

  @Override
  public synchronized Optional<StoredSession> peek(SessionKey key) {
    return lookup(key, false);
  }

  private Optional<StoredSession> lookup(SessionKey key, boolean touch) {
    StoredSession session = sessions.get(key);
    if (session == null) {
      return Optional.empty();
    }
    Instant now = clock.instant();
    if (policy.expired(session.createdAt(), session.lastSeenAt(), now)) {
      sessions.remove(key);
      return Optional.empty();
    }
    if (touch && now.isAfter(session.lastSeenAt())) {
      session = new StoredSession(key, session.createdAt(), now);
      sessions.put(key, session);
    }
    return Optional.of(session);
  }

  @Override
  public synchronized void close(SessionKey key) {
    sessions.remove(key);
  }

  @Override
  public synchronized int size() {
    return sessions.size();
  }
}
