package io.securetx.app;

import io.securetx.adapter.cli.CliContext;
import io.securetx.adapter.http.HttpMetricsServer;
import io.securetx.adapter.http.HttpServerException;
import io.securetx.config.ConfigException;
import io.securetx.config.SecureTxConfig;
import io.securetx.observability.Metrics;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;

/**
 * Resolves where the metrics port listens (command-line options over {@code METRICS_PORT} and
 * {@code METRICS_BIND}) and binds it, the same way for {@code worker} and {@code serve}. An address
 * that cannot be bound is the operator's setting, so it is a configuration error (exit 3) that
 * names the variable, raised before the process does any work.
 */
final class MetricsPort {

  private MetricsPort() {}

  /**
   * Whether a metrics port is configured, by the options or the environment.
   *
   * @param config the configuration
   * @param options the command line's overrides
   * @return true when {@link #start} starts an endpoint
   */
  static boolean configured(SecureTxConfig config, CliContext.MetricsOptions options) {
    return options.port() != null || config.metrics().port() != null;
  }

  /**
   * Starts the endpoint, or nothing when no port is configured.
   *
   * @param config the configuration
   * @param options the command line's overrides
   * @param metrics the process's meters
   * @param healthy what {@code /healthz} answers
   * @return the running endpoint, or null when none is configured
   * @throws ConfigException if the address cannot be bound
   */
  static @Nullable HttpMetricsServer start(
      SecureTxConfig config,
      CliContext.MetricsOptions options,
      Metrics metrics,
      BooleanSupplier healthy) {
    Integer port = options.port() != null ? options.port() : config.metrics().port();
    if (port == null) {
      return null;
    }
    String bind = options.bind() != null ? options.bind() : config.metrics().bind();
    try {
      return HttpMetricsServer.start(bind, port, metrics, healthy);
    } catch (HttpServerException e) {
      throw new ConfigException(
          List.of("METRICS_PORT (--metrics-port) and METRICS_BIND: " + e.getMessage()));
    }
  }
}
