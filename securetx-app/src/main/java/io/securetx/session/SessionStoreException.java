package io.securetx.session;

import io.securetx.SecureTxException;

/**
 * A session store cannot answer (its database is down or refuses). The caller must treat the
 * session as unknown: a request is never let through on a store failure. Messages name the store,
 * never a session id.
 */
public final class SessionStoreException extends SecureTxException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what failed, without secrets
   * @param cause the underlying failure
   */
  public SessionStoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
