package io.securetx.adapter.http;

import io.securetx.SecureTxException;

/** The HTTP server cannot start, e.g. its port is taken. */
public final class HttpServerException extends SecureTxException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what failed, without secrets
   * @param cause the underlying failure
   */
  public HttpServerException(String message, Throwable cause) {
    super(message, cause);
  }
}
