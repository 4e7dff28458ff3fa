package io.securetx.task.redis;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.securetx.task.broker.BrokerException;
import io.securetx.task.broker.DeadLetter;
import io.securetx.task.broker.WorkerInfo;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The JSON of securetx's own Redis values: dead-letter entries and heartbeat values. Field names
 * are snake_case like Celery's, so Python tooling can read them too.
 */
final class StoredJson {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private StoredJson() {}

  static String deadLetter(DeadLetter d) {
    ObjectNode o = MAPPER.createObjectNode();
    o.put("id", d.id());
    o.put("reason", d.reason());
    o.put("detail", d.detail());
    o.put("list", d.list());
    o.put("task_id", d.taskId());
    o.put("dead_at", d.deadAt().toString());
    o.put("payload", d.payload());
    return write(o);
  }

  static DeadLetter deadLetter(String json) {
    JsonNode o = read(json, "dead letter");
    try {
      return new DeadLetter(
          text(o, "id"),
          text(o, "reason"),
          text(o, "detail"),
          optionalText(o, "list"),
          optionalText(o, "task_id"),
          Instant.parse(text(o, "dead_at")),
          text(o, "payload"));
    } catch (DateTimeParseException e) {
      throw new BrokerException("a dead-letter entry in Redis is malformed", e);
    }
  }

  static String worker(WorkerInfo w) {
    ObjectNode o = MAPPER.createObjectNode();
    o.put("id", w.id());
    o.put("hostname", w.hostname());
    o.put("pid", w.pid());
    ArrayNode queues = o.putArray("queues");
    w.queues().forEach(queues::add);
    o.put("concurrency", w.concurrency());
    o.put("started_at", w.startedAt().toString());
    return write(o);
  }

  static WorkerInfo worker(String json) {
    JsonNode o = read(json, "heartbeat");
    List<String> queues = new ArrayList<>();
    o.path("queues").forEach(q -> queues.add(q.asText()));
    try {
      return new WorkerInfo(
          text(o, "id"),
          text(o, "hostname"),
          o.path("pid").asLong(),
          queues,
          o.path("concurrency").asInt(),
          Instant.parse(text(o, "started_at")));
    } catch (DateTimeParseException | IllegalArgumentException e) {
      throw new BrokerException("a heartbeat value in Redis is malformed", e);
    }
  }

  private static String text(JsonNode o, String field) {
    JsonNode n = o.get(field);
    if (n == null || !n.isTextual()) {
      throw new BrokerException("a stored entry lacks the text field '" + field + "'");
    }
    return n.asText();
  }

  private static @Nullable String optionalText(JsonNode o, String field) {
    JsonNode n = o.get(field);
    return n == null || n.isNull() ? null : n.asText();
  }

  private static JsonNode read(String json, String what) {
    try {
      JsonNode n = MAPPER.readTree(json);
      if (n == null || !n.isObject()) {
        throw new BrokerException("a stored " + what + " is not a JSON object");
      }
      return n;
    } catch (JacksonException e) {
      throw new BrokerException("a stored " + what + " is not JSON", e);
    }
  }

  private static String write(ObjectNode o) {
    try {
      return MAPPER.writeValueAsString(o);
    } catch (JacksonException e) {
      // A tree of plain nodes always serialises.
      throw new IllegalStateException("cannot serialise a JSON tree", e);
    }
  }
}
