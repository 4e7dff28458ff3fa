package io.securetx.adapter.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.securetx.task.wire.ExceptionInfo;
import io.securetx.task.wire.ResultMeta;
import io.securetx.task.wire.TaskState;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine;

/** How task states are printed and how JSON arguments are read from the command line. */
final class TaskOutput {

  private static final JsonMapper JSON = new JsonMapper();

  private TaskOutput() {}

  static Map<String, Object> meta(ResultMeta meta) {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("id", meta.taskId());
    map.put("state", meta.state().name());
    Optional<ExceptionInfo> error = meta.exception();
    map.put("result", error.isPresent() ? null : meta.result());
    map.put(
        "exception",
        error
            .map(
                e -> {
                  Map<String, Object> ex = new LinkedHashMap<>();
                  ex.put("type", e.type());
                  ex.put("module", e.module());
                  ex.put("args", e.args());
                  return ex;
                })
            .orElse(null));
    map.put("date_done", meta.dateDone() == null ? null : meta.dateDone().toString());
    return map;
  }

  static void print(PrintWriter out, ResultMeta meta, boolean json) {
    if (json) {
      out.println(Output.json(meta(meta)));
      return;
    }
    Optional<ExceptionInfo> error = meta.exception();
    if (error.isPresent()) {
      out.printf("%s %s %s%n", meta.state().name(), error.get().type(), error.get().args());
    } else if (meta.state().equals(TaskState.PENDING)) {
      out.println("PENDING");
    } else {
      out.printf("%s %s%n", meta.state().name(), meta.result());
    }
  }

  static int exitCode(ResultMeta meta) {
    return meta.state().equals(TaskState.FAILURE) || meta.state().equals(TaskState.REVOKED)
        ? ExitCodes.TASK_FAILED
        : ExitCodes.OK;
  }

  static ObjectNode kwargs(CommandLine cli, String text) {
    JsonNode node = parse(cli, text, "--kwargs");
    if (!node.isObject()) {
      throw new CommandLine.ParameterException(cli, "--kwargs must be a JSON object");
    }
    return (ObjectNode) node;
  }

  static ArrayNode args(CommandLine cli, String text) {
    JsonNode node = parse(cli, text, "--args");
    if (!node.isArray()) {
      throw new CommandLine.ParameterException(cli, "--args must be a JSON array");
    }
    return (ArrayNode) node;
  }

  private static JsonNode parse(CommandLine cli, String text, String option) {
    try {
      return JSON.readTree(text);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new CommandLine.ParameterException(
          cli, option + " is not valid JSON: " + e.getOriginalMessage());
    }
  }
}
