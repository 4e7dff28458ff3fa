package io.securetx.adapter.http;

/**
 * Work that runs beside the API server in the same process, such as an in-process task worker on
 * the embedded defaults. The server starts every service before it accepts requests and closes
 * them, in reverse order, after the last request has been answered.
 */
public interface BackgroundService extends AutoCloseable {

  /**
   * Starts the service.
   *
   * @throws io.securetx.SecureTxException if it cannot start; the server then does not start
   */
  void start();

  /** Stops the service and waits for it; must not throw. */
  @Override
  void close();
}
