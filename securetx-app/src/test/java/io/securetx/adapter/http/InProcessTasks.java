package io.securetx.adapter.http;

import io.securetx.task.Accumulate;
import io.securetx.task.TaskContext;
import io.securetx.task.TaskHandler;
import io.securetx.task.TaskRegistry;
import io.securetx.task.memory.InProcessQueue;
import java.time.Clock;
import java.util.function.Consumer;

/**
 * A real in-process task queue for API tests: {@code add(x, y)}, {@code fail(message)} (raises
 * ValueError), {@code month_task(month)} (returns the month it got, standing in for the report task
 * whose name {@code POST /v1/reports} is given) and Celery's {@code celery.accumulate}.
 */
final class InProcessTasks {

  static final String REPORT_TASK = "month_task";

  record Pair(int x, int y) {}

  record Message(String message) {}

  record Month(String month) {}

  private InProcessTasks() {}

  static TaskRegistry registry() {
    return TaskRegistry.builder()
        .register(Accumulate.NAME, new Accumulate())
        .register("add", handler(Pair.class, (Pair p) -> p.x() + p.y()), "math.add")
        .register(
            "fail",
            handler(
                Message.class,
                (Message m) -> {
                  throw new IllegalArgumentException(m.message());
                }))
        .register(REPORT_TASK, handler(Month.class, (Month m) -> "report of " + m.month()))
        .build();
  }

  private final InProcessQueue queue = InProcessQueue.create(registry(), 2, Clock.systemUTC());
  private final QueueTaskGateway gateway =
      new QueueTaskGateway(registry(), queue.broker(), queue.backend(), Clock.systemUTC());

  /** The gateway the routes use. */
  QueueTaskGateway gateway() {
    return gateway;
  }

  /** How many tasks were sent through the routes so far. */
  int sent() {
    return gateway.overview(QueueTaskGateway.REMEMBERED).recent().size();
  }

  /** A fresh queue, whose worker starts and stops with the server. */
  static InProcessTasks create() {
    return new InProcessTasks();
  }

  /** Adds the task routes over this queue. */
  Consumer<HttpApiServer.Builder> install() {
    return builder ->
        builder
            .tasks(gateway, REPORT_TASK)
            .service(
                new BackgroundService() {
                  @Override
                  public void start() {
                    queue.startWorker();
                  }

                  @Override
                  public void close() {
                    queue.close();
                  }
                });
  }

  interface Body<A, R> {
    R apply(A arguments);
  }

  static <A extends Record, R> TaskHandler<A, R> handler(Class<A> type, Body<A, R> body) {
    return new TaskHandler<>() {
      @Override
      public Class<A> argumentType() {
        return type;
      }

      @Override
      public R run(A arguments, TaskContext context) {
        return body.apply(arguments);
      }
    };
  }
}
