package io.securetx.adapter.http;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * The dashboard's server-side sessions and their CSRF tokens. A session id is 256 random bits; the
 * map is keyed by its SHA-256, so neither a lookup's timing nor a heap dump gives the cookie away.
 * A session ends after {@link #idle} without a user's request (the page's automatic refresh does
 * not count), after {@link #absolute} in any case, or at logout. The login form's CSRF token,
 * before any session exists, is an HMAC of a random pre-session cookie under a key that lives only
 * in this process.
 */
final class DashboardSessions {

  /** The most sessions held at once; the oldest go first beyond it. */
  static final int MAX_SESSIONS = 1000;

  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  private static final int TOKEN_BYTES = 32;

  private static final SecureRandom RANDOM = new SecureRandom();

  private final Clock clock;
  private final Duration idle;
  private final Duration absolute;
  private final byte[] loginKey;
  private final Map<String, Session> sessions = new ConcurrentHashMap<>();

  DashboardSessions(Clock clock, Duration idle, Duration absolute) {
    if (idle.isNegative() || idle.isZero() || absolute.compareTo(idle) < 0) {
      throw new IllegalArgumentException("idle must be positive and at most the absolute expiry");
    }
    this.clock = clock;
    this.idle = idle;
    this.absolute = absolute;
    this.loginKey = new byte[TOKEN_BYTES];
    RANDOM.nextBytes(loginKey);
  }

  Duration idle() {
    return idle;
  }

  Duration absolute() {
    return absolute;
  }

  /** A fresh random token: 256 bits, base64url. */
  String newToken() {
    byte[] bytes = new byte[TOKEN_BYTES];
    RANDOM.nextBytes(bytes);
    return B64.encodeToString(bytes);
  }

  /**
   * Opens a session.
   *
   * @return its id, for the cookie, and its CSRF token
   */
  Session open() {
    evictExpired();
    if (sessions.size() >= MAX_SESSIONS) {
      sessions.entrySet().stream()
          .min((a, b) -> a.getValue().createdAt.compareTo(b.getValue().createdAt))
          .ifPresent(oldest -> sessions.remove(oldest.getKey()));
    }
    Instant now = clock.instant();
    Session session = new Session(newToken(), newToken(), now);
    sessions.put(key(session.id), session);
    return session;
  }

  /**
   * The live session of a cookie value, touched (its idle expiry restarts).
   *
   * @param id the cookie value, or null
   * @return the session, or empty when unknown or expired (an expired one is removed)
   */
  Optional<Session> find(@Nullable String id) {
    return lookup(id, true);
  }

  /**
   * The live session of a cookie value, not touched: for the page's automatic refresh, which must
   * not keep an unattended session alive.
   *
   * @param id the cookie value, or null
   * @return the session, or empty when unknown or expired (an expired one is removed)
   */
  Optional<Session> peek(@Nullable String id) {
    return lookup(id, false);
  }

  private Optional<Session> lookup(@Nullable String id, boolean touch) {
    if (id == null || id.isEmpty() || id.length() > 100) {
      return Optional.empty();
    }
    String key = key(id);
    Session session = sessions.get(key);
    if (session == null) {
      return Optional.empty();
    }
    Instant now = clock.instant();
    if (session.expired(now, idle, absolute)) {
      sessions.remove(key);
      return Optional.empty();
    }
    if (touch) {
      session.lastSeen = now;
    }
    return Optional.of(session);
  }

  /** Ends a session; unknown ids are ignored. */
  void close(String id) {
    sessions.remove(key(id));
  }

  int size() {
    return sessions.size();
  }

  /** The login form's token for a pre-session cookie value. */
  String loginToken(String preSession) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(loginKey, "HmacSHA256"));
      return B64.encodeToString(
          mac.doFinal(("dashboard-login\0" + preSession).getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }

  /** Compares two tokens in constant time (for tokens of the same length). */
  static boolean sameToken(@Nullable String expected, @Nullable String candidate) {
    if (expected == null || candidate == null) {
      return false;
    }
    return MessageDigest.isEqual(
        expected.getBytes(StandardCharsets.UTF_8), candidate.getBytes(StandardCharsets.UTF_8));
  }

  private void evictExpired() {
    Instant now = clock.instant();
    for (Iterator<Session> it = sessions.values().iterator(); it.hasNext(); ) {
      if (it.next().expired(now, idle, absolute)) {
        it.remove();
      }
    }
  }

  private static String key(String id) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }

  /** One logged-in operator. */
  static final class Session {
    final String id;
    final String csrfToken;
    final Instant createdAt;
    volatile Instant lastSeen;

    Session(String id, String csrfToken, Instant createdAt) {
      this.id = id;
      this.csrfToken = csrfToken;
      this.createdAt = createdAt;
      this.lastSeen = createdAt;
    }

    boolean expired(Instant now, Duration idle, Duration absolute) {
      return !now.isBefore(lastSeen.plus(idle)) || !now.isBefore(createdAt.plus(absolute));
    }
  }
}
