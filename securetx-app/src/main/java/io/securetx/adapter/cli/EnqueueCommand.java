package io.securetx.adapter.cli;

import io.securetx.task.backend.ResultBackend;
import io.securetx.task.broker.Broker;
import io.securetx.task.client.AsyncResult;
import io.securetx.task.client.TaskClient;
import io.securetx.task.wire.ResultMeta;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code securetx enqueue NAME}: send a task, as Celery's {@code send_task}. */
@Command(
    name = "enqueue",
    description =
        "Send a task to CELERY_BROKER_URL, as Celery's send_task does; prints its id, and with"
            + " --wait its result.")
final class EnqueueCommand implements Callable<Integer> {

  private final CliContext context;

  @Spec picocli.CommandLine.Model.@Nullable CommandSpec spec;

  @Parameters(index = "0", paramLabel = "NAME", description = "The task name.")
  String name = "";

  @Option(names = "--kwargs", description = "Keyword arguments, a JSON object.")
  String kwargs = "{}";

  @Option(names = "--args", description = "Positional arguments, a JSON array.")
  String args = "[]";

  @Option(names = "--countdown", description = "Run no earlier than this many seconds from now.")
  @Nullable Double countdown;

  @Option(names = "--expires", description = "Revoke instead of run after this many seconds.")
  @Nullable Double expires;

  @Option(names = "--priority", description = "0 (first) to 9 (last) (default: ${DEFAULT-VALUE}).")
  int priority;

  @Option(names = "--queue", description = "The queue (default: ${DEFAULT-VALUE}).")
  String queue = TaskClient.DEFAULT_QUEUE;

  @Option(names = "--wait", description = "Wait this many seconds for the result.")
  @Nullable Double wait;

  @Option(names = "--json", description = "Print JSON.")
  boolean json;

  EnqueueCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() throws InterruptedException {
    CommandLine cli = SecureTxCli.spec(spec).commandLine();
    if (name.isBlank()) {
      throw new CommandLine.ParameterException(cli, "NAME must not be blank");
    }
    TaskClient.Call call;
    try (Broker broker = context.openBroker();
        ResultBackend backend = context.openResultBackend()) {
      TaskClient client = new TaskClient(broker, backend, context.clock());
      try {
        call =
            client
                .task(name)
                .args(TaskOutput.args(cli, args))
                .kwargs(TaskOutput.kwargs(cli, kwargs))
                .queue(queue)
                .priority(priority);
        if (countdown != null) {
          call.countdown(seconds(cli, countdown, "--countdown"));
        }
        if (expires != null) {
          call.expiresIn(seconds(cli, expires, "--expires"));
        }
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(cli, e.getMessage(), e);
      }
      PrintWriter out = SecureTxCli.out(spec);
      if (wait == null) {
        String id = publish(cli, call);
        out.println(json ? Output.json(java.util.Map.of("id", id)) : id);
        return ExitCodes.OK;
      }
      try (AsyncResult result = send(cli, call)) {
        if (!json) {
          out.println(result.id());
          out.flush();
        }
        try {
          ResultMeta meta = result.await(seconds(cli, wait, "--wait"));
          TaskOutput.print(out, meta, json);
          return TaskOutput.exitCode(meta);
        } catch (TimeoutException e) {
          SecureTxCli.err(spec)
              .println("error: no result for task " + result.id() + " within " + wait + " s");
          if (json) {
            out.println(Output.json(TaskOutput.meta(result.meta())));
          }
          return ExitCodes.TIMEOUT;
        }
      }
    }
  }

  // The message is validated as it is built: a name or argument Celery could not carry is a
  // usage error.
  private static String publish(CommandLine cli, TaskClient.Call call) {
    try {
      return call.publish();
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(cli, e.getMessage(), e);
    }
  }

  private static AsyncResult send(CommandLine cli, TaskClient.Call call) {
    try {
      return call.send();
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(cli, e.getMessage(), e);
    }
  }

  static Duration seconds(CommandLine cli, double value, String option) {
    if (!(value >= 0) || value > 1e9) {
      throw new CommandLine.ParameterException(
          cli, option + " must be a number of seconds from 0 to 1e9");
    }
    return Duration.ofNanos((long) (value * 1e9));
  }
}
