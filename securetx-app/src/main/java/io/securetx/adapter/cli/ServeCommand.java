package io.securetx.adapter.cli;

import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code securetx serve}: the HTTP API, until SIGTERM or Ctrl-C. */
@Command(
    name = "serve",
    description = {
      "Run the HTTP API (/v1/transactions, /v1/vault/verify, /healthz, /readyz, /openapi.json).",
      "/metrics is on the API port, or with --metrics-port/METRICS_PORT on that port only.",
      "SIGTERM/Ctrl-C: stop accepting, answer the requests in flight, close the vault, exit 0."
    })
final class ServeCommand implements Callable<Integer> {

  private final CliContext context;

  @Spec picocli.CommandLine.Model.@Nullable CommandSpec spec;

  @Option(
      names = "--port",
      paramLabel = "PORT",
      description = "Port to listen on (default: HTTP_PORT, 8080; 0 for any free port).")
  @Nullable Integer port;

  @Option(
      names = "--host",
      paramLabel = "ADDRESS",
      description = "Address to listen on (default: HTTP_HOST, 0.0.0.0).")
  @Nullable String host;

  @Mixin MetricsEndpointOptions metrics = new MetricsEndpointOptions();

  ServeCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() {
    if (port != null && (port < 0 || port > 65535)) {
      throw new picocli.CommandLine.ParameterException(
          SecureTxCli.spec(spec).commandLine(), "--port must be in 0..65535, was " + port);
    }
    CliContext.MetricsOptions metricsOptions =
        metrics.toOptions(SecureTxCli.spec(spec).commandLine());
    context.serve(
        new CliContext.ServeOptions(host, port, metricsOptions),
        url -> SecureTxCli.err(spec).printf("securetx API listening on %s%n", url).flush(),
        url -> SecureTxCli.err(spec).printf("metrics on %s%n", url).flush());
    return ExitCodes.OK;
  }
}
