package io.securetx.task.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * An exception as Celery's JSON result encoding writes it: {@code {"exc_type": ..., "exc_message":
 * [...], "exc_module": ...}}. A Python client looks {@code exc_module} up among its imported
 * modules and resolves {@code exc_type} through it; a module it does not know gives a synthesized
 * {@code celery.exceptions.<exc_type>}. So use {@code builtins} with a Python builtin name ({@code
 * ValueError}, {@code RuntimeError}...) when Python callers should catch a real builtin type, and
 * never name something that is not an exception class of a real Python module (the client then
 * raises {@code SecurityError}).
 *
 * @param type {@code exc_type}, the class's qualified name within its module
 * @param module {@code exc_module}, or null when absent (old producers)
 * @param args {@code exc_message}: the exception's {@code args}, a JSON array
 */
public record ExceptionInfo(String type, @Nullable String module, ArrayNode args) {

  /**
   * Validates and copies the fields.
   *
   * @throws IllegalArgumentException if the type is blank or the module empty
   */
  public ExceptionInfo {
    if (type == null || type.isBlank()) {
      throw new IllegalArgumentException("exception type must not be blank");
    }
    if (module != null && module.isBlank()) {
      throw new IllegalArgumentException("exception module must not be blank");
    }
    Json.requireWellFormed(type, "exception type");
    Json.requireWellFormed(module, "exception module");
    Objects.requireNonNull(args, "args");
    Json.requireWireSafe(args, "exception args");
    args = args.deepCopy();
  }

  /**
   * Makes an exception whose arguments are strings.
   *
   * @param type the class name, such as {@code ValueError}
   * @param module the module, such as {@code builtins}
   * @param messages the exception's arguments
   * @return the exception
   */
  public static ExceptionInfo of(String type, String module, String... messages) {
    ArrayNode args = Json.NODES.arrayNode();
    for (String m : messages) {
      args.add(m);
    }
    return new ExceptionInfo(type, module, args);
  }

  /**
   * The FAILURE Celery stores for a message naming a task no worker knows.
   *
   * @param taskName the unknown task name
   * @return {@code celery.exceptions.NotRegistered(taskName)}
   */
  public static ExceptionInfo notRegistered(String taskName) {
    return of("NotRegistered", "celery.exceptions", taskName);
  }

  /**
   * The REVOKED reason Celery stores, such as {@code "expired"} for a message received after its
   * {@code expires}.
   *
   * @param reason the reason
   * @return {@code celery.exceptions.TaskRevokedError(reason)}
   */
  public static ExceptionInfo revoked(String reason) {
    return of("TaskRevokedError", "celery.exceptions", reason);
  }

  @Override
  public ArrayNode args() {
    return args.deepCopy();
  }

  ObjectNode toJson() {
    ObjectNode o = Json.NODES.objectNode();
    o.put("exc_type", type);
    o.set("exc_message", args.deepCopy());
    if (module != null) {
      o.put("exc_module", module);
    }
    return o;
  }

  /** Reads Celery's encoding; a string {@code exc_message} (old producers) becomes one argument. */
  static Optional<ExceptionInfo> fromJson(JsonNode node) {
    if (!node.isObject()) {
      return Optional.empty();
    }
    JsonNode type = node.get("exc_type");
    JsonNode module = node.get("exc_module");
    JsonNode message = node.get("exc_message");
    if (type == null || !type.isTextual() || type.textValue().isBlank()) {
      return Optional.empty();
    }
    if (module != null && !module.isNull() && !module.isTextual()) {
      return Optional.empty();
    }
    ArrayNode args = Json.NODES.arrayNode();
    if (message != null && message.isArray()) {
      args.addAll((ArrayNode) message);
    } else if (message != null && !message.isNull()) {
      args.add(message);
    }
    String moduleName = module == null || module.isNull() ? null : module.textValue();
    if (moduleName != null && moduleName.isBlank()) {
      return Optional.empty();
    }
    try {
      return Optional.of(new ExceptionInfo(type.textValue(), moduleName, args));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
