package io.securetx.adapter.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.securetx.report.ReportMonth;
import io.securetx.task.NotRegisteredException;
import io.securetx.task.TaskArgumentException;
import io.securetx.task.wire.ExceptionInfo;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code /v1/tasks} and {@code /v1/reports}: send one of the registered tasks (the seed's {@code
 * send_welcome_email}, {@code process_transaction}, {@code generate_monthly_report} and their
 * aliases) and read its state, as a Celery client's {@code delay()} and {@code AsyncResult} would.
 */
final class TaskRoutes implements RouteModule {

  /** Celery's task ids are UUIDs; other clients choose their own, within this alphabet. */
  private static final Pattern TASK_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,254}");

  private static final Set<String> TASK_FIELDS = Set.of("args", "kwargs");
  private static final Set<String> REPORT_FIELDS = Set.of("month");

  private final TaskGateway tasks;
  private final String reportTask;
  private final Clock clock;

  TaskRoutes(TaskGateway tasks, String reportTask, Clock clock) {
    this.tasks = tasks;
    this.reportTask = reportTask;
    this.clock = clock;
  }

  @Override
  public void register(ApiRoutes routes) {
    routes.post("/v1/tasks/{task}", this::send);
    routes.get("/v1/tasks/{task}", this::show);
    routes.post("/v1/reports", this::report);
  }

  private void send(Context ctx) {
    String name = ctx.pathParam("task");
    String key = IdempotencyKeyHeader.optional(ctx);
    ObjectNode body = RequestBodies.object(ctx);
    List<Map<String, String>> errors =
        RequestBodies.unknownFields(body, TASK_FIELDS, "is not a field of a task call");
    JsonNode args = body.get("args");
    JsonNode kwargs = body.get("kwargs");
    if (args != null && !args.isArray()) {
      errors.add(Problems.fieldError("args", "args.type", "must be a JSON array"));
    }
    if (kwargs != null && !kwargs.isObject()) {
      errors.add(Problems.fieldError("kwargs", "kwargs.type", "must be a JSON object"));
    }
    if (!errors.isEmpty()) {
      throw Problems.invalid(errors);
    }
    ArrayNode positional = args == null ? JsonNodeFactory.instance.arrayNode() : (ArrayNode) args;
    ObjectNode named = kwargs == null ? JsonNodeFactory.instance.objectNode() : (ObjectNode) kwargs;
    if (key == null) {
      accepted(ctx, submit(() -> tasks.submit(name, positional, named)), Map.of());
      return;
    }
    TaskGateway.Submission submission;
    try {
      submission = submit(() -> tasks.submitOnce(name, positional, named, key));
    } catch (TaskGateway.KeyReusedException e) {
      throw ProblemException.of(
          422,
          "idempotency-key-reused",
          "Idempotency key reused with a different request",
          String.valueOf(e.getMessage()) + "; use a new key for a new task");
    }
    if (submission.replayed()) {
      IdempotencyKeyHeader.markReplayed(ctx);
    }
    accepted(ctx, submission.status(), Map.of());
  }

  private void report(Context ctx) {
    ObjectNode body = RequestBodies.object(ctx);
    List<Map<String, String>> errors =
        RequestBodies.unknownFields(body, REPORT_FIELDS, "is not a field of a report request");
    JsonNode month = body.get("month");
    if (month == null) {
      errors.add(Problems.fieldError("month", "month.required", "is required"));
    } else if (!month.isTextual()) {
      errors.add(Problems.fieldError("month", "month.type", "must be a JSON string"));
    }
    if (!errors.isEmpty() || month == null) {
      throw Problems.invalid(errors);
    }
    // Parsed here so a bad month is a 422 now, not a failed task later. The task gets the ISO
    // form, so a bare "August" means the month it meant when the request came.
    ReportMonth parsed = ReportMonth.parse(month.textValue(), clock);
    ObjectNode kwargs = JsonNodeFactory.instance.objectNode().put("month", parsed.toString());
    accepted(
        ctx,
        submit(() -> tasks.submit(reportTask, JsonNodeFactory.instance.arrayNode(), kwargs)),
        Map.of("month", parsed.toString()));
  }

  /** Sends through the gateway, mapping an unknown task to 404 and misfit arguments to 422. */
  private static <T> T submit(java.util.function.Supplier<T> send) {
    try {
      return send.get();
    } catch (NotRegisteredException e) {
      throw ProblemException.of(
          404, "unknown-task", "No such task", "no task is registered under this name");
    } catch (TaskArgumentException e) {
      throw Problems.invalid(
          List.of(Problems.fieldError("args", "task.arguments", String.valueOf(e.getMessage()))));
    }
  }

  private static void accepted(
      Context ctx, TaskGateway.TaskStatus status, Map<String, Object> extra) {
    Map<String, Object> body = new LinkedHashMap<>(extra);
    body.putAll(task(status));
    ctx.header("Location", "/v1/tasks/" + status.id());
    ApiRoutes.json(ctx, 202, body);
  }

  private void show(Context ctx) {
    String id = ctx.pathParam("task");
    if (!TASK_ID.matcher(id).matches()) {
      throw RequestBodies.malformed(
              "the task id must be 1 to 255 characters from A-Z a-z 0-9 . _ : -")
          .with(
              "errors",
              List.of(Problems.fieldError("task_id", "task_id.format", "is not a task id")));
    }
    TaskGateway.TaskStatus status =
        tasks
            .status(id)
            .orElseThrow(
                () ->
                    ProblemException.of(
                        404,
                        "task-not-found",
                        "No such task",
                        "no result is stored for this task id: it was never sent, was sent by"
                            + " another client and has not run yet, or its result expired"));
    ApiRoutes.json(ctx, 200, task(status));
  }

  /** A task as JSON; the field names follow Celery's result meta where one exists. */
  static Map<String, Object> task(TaskGateway.TaskStatus status) {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("task_id", status.id());
    map.put("name", status.name());
    map.put("state", status.state().name());
    map.put("ready", status.state().isReady());
    map.put("result", status.result());
    ExceptionInfo error = status.exception();
    if (error == null) {
      map.put("exception", null);
    } else {
      Map<String, Object> exception = new LinkedHashMap<>();
      exception.put("type", error.type());
      exception.put("module", error.module());
      exception.put("args", error.args());
      map.put("exception", exception);
    }
    map.put("submitted_at", status.submittedAt() == null ? null : status.submittedAt().toString());
    map.put("date_done", status.doneAt() == null ? null : status.doneAt().toString());
    return map;
  }
}
