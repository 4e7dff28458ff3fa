package io.securetx.adapter.cli;

import io.securetx.task.backend.ResultBackend;
import io.securetx.task.broker.Broker;
import io.securetx.task.client.AsyncResult;
import io.securetx.task.client.TaskClient;
import io.securetx.task.wire.ResultMeta;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code securetx result TASK_ID}: a task's state and result, as Celery's {@code AsyncResult}. */
@Command(
    name = "result",
    description =
        "Print a task's state and result from CELERY_RESULT_BACKEND; PENDING when nothing is"
            + " stored (unknown, not yet run, or expired).")
final class ResultCommand implements Callable<Integer> {

  private final CliContext context;

  @Spec picocli.CommandLine.Model.@Nullable CommandSpec spec;

  @Parameters(index = "0", paramLabel = "TASK_ID", description = "The task id.")
  String taskId = "";

  @Option(names = "--wait", description = "Wait this many seconds for the task to be ready.")
  @Nullable Double wait;

  @Option(names = "--json", description = "Print JSON.")
  boolean json;

  ResultCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() throws InterruptedException {
    try (Broker broker = context.openBroker();
        ResultBackend backend = context.openResultBackend();
        AsyncResult result = new TaskClient(broker, backend, context.clock()).result(taskId)) {
      ResultMeta meta;
      if (wait == null) {
        meta = result.meta();
      } else {
        try {
          meta =
              result.await(
                  EnqueueCommand.seconds(SecureTxCli.spec(spec).commandLine(), wait, "--wait"));
        } catch (TimeoutException e) {
          TaskOutput.print(SecureTxCli.out(spec), result.meta(), json);
          return ExitCodes.TIMEOUT;
        }
      }
      TaskOutput.print(SecureTxCli.out(spec), meta, json);
      return TaskOutput.exitCode(meta);
    }
  }
}
