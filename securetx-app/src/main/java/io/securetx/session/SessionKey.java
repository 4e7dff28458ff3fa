package io.securetx.session;

import io.securetx.crypto.Sha256;

/**
 * What a store keeps instead of a session id: its SHA-256, in lower-case hex. The id itself is a
 * bearer secret (the cookie); its hash lets a store find the session without holding anything a
 * reader of the store, a backup or a heap dump could present as a cookie.
 *
 * @param hash 64 lower-case hex digits
 */
public record SessionKey(String hash) {

  /** Validates the hash. */
  public SessionKey {
    if (!hash.matches("[0-9a-f]{64}")) {
      throw new IllegalArgumentException("a session key is 64 lower-case hex digits");
    }
  }

  /**
   * The key of a session id.
   *
   * @param sessionId the id as the cookie carries it
   * @return its key
   */
  public static SessionKey of(String sessionId) {
    return new SessionKey(Sha256.hex(sessionId));
  }

  /** The first 8 digits only: enough to tell keys apart in a test failure. */
  @Override
  public String toString() {
    return "SessionKey[" + hash.substring(0, 8) + "…]";
  }
}
