package io.securetx.adapter.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.securetx.task.backend.ResultBackend;
import io.securetx.task.beat.Beat;
import io.securetx.task.beat.CronSchedule;
import io.securetx.task.beat.PeriodicTask;
import io.securetx.task.broker.Broker;
import io.securetx.task.worker.StopSignals;
import io.securetx.task.worker.Worker;
import io.securetx.task.worker.WorkerOptions;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code securetx worker}: runs tasks from the broker until stopped. The first SIGTERM or SIGINT
 * stops fetching, lets running tasks finish and puts back the rest; a second one stops at once and
 * puts back everything, running tasks included. Either way the exit code is 0 and nothing is lost.
 */
@Command(
    name = "worker",
    description =
        "Run tasks from CELERY_BROKER_URL and store results in CELERY_RESULT_BACKEND, as a Celery"
            + " worker does. SIGTERM/Ctrl-C: finish running tasks, put the rest back, exit 0;"
            + " a second signal: stop at once, put everything back. --metrics-port/METRICS_PORT"
            + " serves GET /metrics and GET /healthz while it runs.")
final class WorkerCommand implements Callable<Integer> {

  private final CliContext context;

  @Spec picocli.CommandLine.Model.@Nullable CommandSpec spec;

  @Option(
      names = {"-c", "--concurrency"},
      description = "Tasks run at once (default: ${DEFAULT-VALUE}).")
  int concurrency = Math.max(2, Runtime.getRuntime().availableProcessors());

  @Option(
      names = {"-Q", "--queues"},
      split = ",",
      description = "Queues to consume, comma-separated (default: ${DEFAULT-VALUE}).")
  List<String> queues = new ArrayList<>(List.of("celery"));

  @Option(
      names = {"-l", "--loglevel"},
      description = "debug, info, warning or error (default: ${DEFAULT-VALUE}).")
  String loglevel = "info";

  @Option(
      names = "--prefetch-multiplier",
      description = "Messages held per concurrency slot (default: ${DEFAULT-VALUE}).")
  int prefetchMultiplier = 4;

  @Option(
      names = "--heartbeat-ttl",
      description =
          "Seconds without a heartbeat after which this worker counts as dead and its messages"
              + " go back to the queue (default: ${DEFAULT-VALUE}).")
  int heartbeatTtlSeconds = 10;

  @Option(
      names = "--beat",
      paramLabel = "NAME|CRON|TASK[|KWARGS]",
      description =
          "Also send a periodic task, as Celery beat does; repeatable. CRON has five fields or a"
              + " macro (@hourly, @daily, @monthly), read in UTC; KWARGS is a JSON object. Each"
              + " slot is sent once however many workers run the same entry.")
  List<String> beat = new ArrayList<>();

  @Mixin MetricsEndpointOptions metrics = new MetricsEndpointOptions();

  WorkerCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() throws InterruptedException {
    context.logLevel(loglevel);
    if (heartbeatTtlSeconds < 3) {
      throw new picocli.CommandLine.ParameterException(
          SecureTxCli.spec(spec).commandLine(), "--heartbeat-ttl must be at least 3 seconds");
    }
    Duration ttl = Duration.ofSeconds(heartbeatTtlSeconds);
    WorkerOptions options;
    try {
      options =
          WorkerOptions.defaults()
              .withQueues(queues)
              .withConcurrency(concurrency)
              .withPrefetchMultiplier(prefetchMultiplier)
              .withHeartbeat(ttl.dividedBy(3), ttl);
    } catch (IllegalArgumentException e) {
      throw new picocli.CommandLine.ParameterException(
          SecureTxCli.spec(spec).commandLine(), e.getMessage(), e);
    }
    List<PeriodicTask> periodic = periodicTasks();
    CliContext.MetricsOptions metricsOptions =
        metrics.toOptions(SecureTxCli.spec(spec).commandLine());
    // The metrics port is bound first: a taken one is a configuration error before any connection.
    try (CliContext.WorkerMetrics meters = context.openWorkerMetrics(metricsOptions);
        CliContext.InstalledTasks tasks = context.openTasks();
        Broker broker = context.openBroker();
        ResultBackend backend = context.openResultBackend()) {
      Worker worker =
          new Worker(
              options, broker, backend, tasks.registry(), context.clock(), meters.taskObserver());
      meters.watch(() -> broker.stats(queues), worker::isRunning);
      StopSignals.install(worker);
      // A slot missed while no worker ran is still sent within the hour.
      Beat scheduler = new Beat(broker, periodic, context.clock(), Duration.ofHours(1));
      worker.start();
      if (!beat.isEmpty()) {
        scheduler.start(Duration.ofSeconds(1));
      }
      String url = meters.url();
      if (url != null) {
        SecureTxCli.err(spec).printf("metrics on %s%n", url).flush();
      }
      SecureTxCli.err(spec).printf("worker %s ready: queues %s%n", worker.id(), queues).flush();
      while (!worker.awaitTermination(Duration.ofSeconds(1))) {
        // Waits for a signal; the worker ends itself once stopped.
      }
      scheduler.close();
      // Before the broker closes, so that no scrape reads a closed broker; the port is free now.
      meters.close();
    }
    return ExitCodes.OK;
  }

  private List<PeriodicTask> periodicTasks() {
    picocli.CommandLine cli = SecureTxCli.spec(spec).commandLine();
    List<PeriodicTask> entries = new ArrayList<>();
    for (String entry : beat) {
      String[] parts = entry.split("\\|", 4);
      if (parts.length < 3) {
        throw new picocli.CommandLine.ParameterException(
            cli, "--beat needs NAME|CRON|TASK[|KWARGS], was '" + entry + "'");
      }
      try {
        entries.add(
            new PeriodicTask(
                parts[0].strip(),
                CronSchedule.parse(parts[1], ZoneOffset.UTC),
                parts[2].strip(),
                JsonNodeFactory.instance.arrayNode(),
                parts.length == 4
                    ? TaskOutput.kwargs(cli, parts[3])
                    : JsonNodeFactory.instance.objectNode(),
                queues.get(0)));
      } catch (IllegalArgumentException e) {
        throw new picocli.CommandLine.ParameterException(cli, "--beat: " + e.getMessage(), e);
      }
    }
    return entries;
  }
}
