package io.securetx.session;

import java.util.Optional;

/**
 * Remembers the open sessions of the dashboard for every server of a deployment, so a session
 * opened on one server is known to all of them. A store holds only {@link SessionKey}s (hashes of
 * session ids) and the two times its {@link SessionPolicy} needs: when a session was opened and
 * when its user last acted. A session ends when it has been idle too long, at its absolute expiry,
 * or when it is closed; an expired session is never returned, and the store removes expired
 * sessions on its own so it cannot grow without bound. Time comes from the store's clock.
 */
public interface SessionStore {

  /**
   * Opens a session: first removes expired ones and, at the policy's cap, the oldest.
   *
   * @param key the new session's key
   * @throws SessionStoreException if the store cannot be written
   */
  void open(SessionKey key);

  /**
   * Finds a live session for a user's request and restarts its idle time.
   *
   * @param key the session's key
   * @return the session as it is now, or empty when unknown or expired (an expired one is removed)
   * @throws SessionStoreException if the store cannot be read or written
   */
  Optional<StoredSession> find(SessionKey key);

  /**
   * Finds a live session without restarting its idle time: for a page's automatic refresh, which
   * must not keep an unattended session alive.
   *
   * @param key the session's key
   * @return the session, or empty when unknown or expired (an expired one is removed)
   * @throws SessionStoreException if the store cannot be read or written
   */
  Optional<StoredSession> peek(SessionKey key);

  /**
   * Ends a session (logout); an unknown key is ignored.
   *
   * @param key the session's key
   * @throws SessionStoreException if the store cannot be written
   */
  void close(SessionKey key);

  /**
   * Counts the sessions held, expired ones not yet removed included.
   *
   * @return how many rows or entries the store holds
   * @throws SessionStoreException if the store cannot be read
   */
  int size();
}
