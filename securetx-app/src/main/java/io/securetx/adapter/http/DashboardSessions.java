package io.securetx.adapter.http;

import io.securetx.session.SessionKey;
import io.securetx.session.SessionStore;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * The dashboard's sessions and their CSRF tokens, over a {@link SessionStore}. A session id is 256
 * random bits; the store holds only its SHA-256, so neither a lookup's timing, a heap dump nor a
 * read of the database gives the cookie away. Its CSRF token is derived from the id (an HMAC keyed
 * by it), so any server that sees the cookie computes the same token and nothing stores it. The
 * login form's CSRF token, before any session exists, is an HMAC of a random pre-session cookie
 * under the login key, which every server of a deployment shares.
 */
final class DashboardSessions {

  /** The length of the login key, in bytes. */
  static final int LOGIN_KEY_BYTES = 32;

  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  private static final int TOKEN_BYTES = 32;
  private static final int MAX_ID_LENGTH = 100;

  private static final SecureRandom RANDOM = new SecureRandom();

  private final SessionStore store;
  private final byte[] loginKey;

  /**
   * Sessions over a store.
   *
   * @param store where sessions are kept
   * @param loginKey the key of the login form's tokens: the same on every server behind one load
   *     balancer
   */
  DashboardSessions(SessionStore store, byte[] loginKey) {
    if (loginKey.length < LOGIN_KEY_BYTES) {
      throw new IllegalArgumentException(
          "the dashboard login key must have at least " + LOGIN_KEY_BYTES + " bytes");
    }
    this.store = store;
    this.loginKey = loginKey.clone();
  }

  /** A random login key, for a dashboard that runs in one process only. */
  static byte[] randomLoginKey() {
    byte[] key = new byte[LOGIN_KEY_BYTES];
    RANDOM.nextBytes(key);
    return key;
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
   * @throws io.securetx.session.SessionStoreException if the store cannot be written
   */
  Session open() {
    String id = newToken();
    store.open(SessionKey.of(id));
    return new Session(id, csrfToken(id));
  }

  /**
   * The live session of a cookie value, touched (its idle expiry restarts).
   *
   * @param id the cookie value, or null
   * @return the session, or empty when unknown or expired (an expired one is removed)
   * @throws io.securetx.session.SessionStoreException if the store cannot answer
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
   * @throws io.securetx.session.SessionStoreException if the store cannot answer
   */
  Optional<Session> peek(@Nullable String id) {
    return lookup(id, false);
  }

  private Optional<Session> lookup(@Nullable String id, boolean touch) {
    if (id == null || id.isEmpty() || id.length() > MAX_ID_LENGTH) {
      return Optional.empty();
    }
    SessionKey key = SessionKey.of(id);
    return (touch ? store.find(key) : store.peek(key)).map(s -> new Session(id, csrfToken(id)));
  }

  /**
   * Ends a session; unknown ids are ignored.
   *
   * @throws io.securetx.session.SessionStoreException if the store cannot be written
   */
  void close(String id) {
    store.close(SessionKey.of(id));
  }

  /** The login form's token for a pre-session cookie value. */
  String loginToken(String preSession) {
    return hmac(loginKey, "dashboard-login\0" + preSession);
  }

  /** Compares two tokens in constant time (for tokens of the same length). */
  static boolean sameToken(@Nullable String expected, @Nullable String candidate) {
    if (expected == null || candidate == null) {
      return false;
    }
    return MessageDigest.isEqual(
        expected.getBytes(StandardCharsets.UTF_8), candidate.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * A session's CSRF token: an HMAC keyed by its id, so it cannot be computed from the stored hash
   * and does not reveal the id when the page shows it.
   */
  private static String csrfToken(String id) {
    return hmac(id.getBytes(StandardCharsets.UTF_8), "dashboard-csrf");
  }

  private static String hmac(byte[] key, String message) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return B64.encodeToString(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }

  /**
   * One logged-in operator.
   *
   * @param id the session id (the cookie's value)
   * @param csrfToken the token its state-changing requests must carry
   */
  record Session(String id, String csrfToken) {
    /** Masked: the id is a bearer secret. */
    @Override
    public String toString() {
      return "Session[****]";
    }
  }
}
