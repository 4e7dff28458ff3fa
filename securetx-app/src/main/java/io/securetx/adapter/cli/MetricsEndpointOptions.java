package io.securetx.adapter.cli;

import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/**
 * {@code --metrics-port} and {@code --metrics-bind}, shared by {@code worker} and {@code serve} so
 * that both spell and check them alike; the environment's {@code METRICS_PORT} and {@code
 * METRICS_BIND} apply where they are not given.
 */
final class MetricsEndpointOptions {

  @Option(
      names = "--metrics-port",
      paramLabel = "PORT",
      description =
          "Serve GET /metrics and GET /healthz on this port (default: METRICS_PORT; unset: none;"
              + " 0 for any free port).")
  @Nullable Integer port;

  @Option(
      names = "--metrics-bind",
      paramLabel = "ADDRESS",
      description = "Address the metrics port listens on (default: METRICS_BIND, 127.0.0.1).")
  @Nullable String bind;

  /**
   * The options, checked.
   *
   * @param cli the command, for the usage error
   * @return the overrides
   * @throws picocli.CommandLine.ParameterException if the port is out of range or the address blank
   */
  CliContext.MetricsOptions toOptions(picocli.CommandLine cli) {
    if (port != null && (port < 0 || port > 65535)) {
      throw new picocli.CommandLine.ParameterException(
          cli, "--metrics-port must be in 0..65535, was " + port);
    }
    if (bind != null && bind.isBlank()) {
      throw new picocli.CommandLine.ParameterException(cli, "--metrics-bind must not be blank");
    }
    return new CliContext.MetricsOptions(bind == null ? null : bind.strip(), port);
  }
}
