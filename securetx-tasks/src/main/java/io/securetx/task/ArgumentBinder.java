package io.securetx.task;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.type.LogicalType;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Binds Celery's {@code args} and {@code kwargs} to a handler's argument record, failing the way
 * Python fails a call with the wrong arguments.
 */
final class ArgumentBinder {

  /**
   * Strict on purpose: Python would not turn {@code "123"} into an {@code int} or {@code 1.5} into
   * one, so neither do we.
   */
  private static final JsonMapper MAPPER =
      JsonMapper.builder()
          .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
          .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
          .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .withCoercionConfig(
              LogicalType.Textual,
              c ->
                  c.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                      .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                      .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
          .build();

  private static final PropertyNamingStrategies.NamingBase SNAKE_CASE =
      (PropertyNamingStrategies.NamingBase) PropertyNamingStrategies.SNAKE_CASE;

  private final String[] names;
  private final boolean[] optional;
  private final JavaType[] types;
  private final String[] typeNames;

  private ArgumentBinder(RecordComponent[] components) {
    int n = components.length;
    names = new String[n];
    optional = new boolean[n];
    types = new JavaType[n];
    typeNames = new String[n];
    for (int i = 0; i < n; i++) {
      RecordComponent c = components[i];
      names[i] = SNAKE_CASE.translate(c.getName());
      optional[i] =
          !c.getType().isPrimitive() && c.getAnnotatedType().isAnnotationPresent(Nullable.class);
      types[i] = MAPPER.constructType(c.getGenericType());
      typeNames[i] = c.getType().getSimpleName();
    }
  }

  /**
   * Inspects a handler's argument record once, at registration.
   *
   * @throws IllegalArgumentException if the type is not a record
   */
  static ArgumentBinder of(Class<? extends Record> type) {
    RecordComponent[] components = type.getRecordComponents();
    if (components == null) {
      throw new IllegalArgumentException(type.getName() + " is not a record class");
    }
    return new ArgumentBinder(components);
  }

  <A extends Record> A bind(String task, Class<A> type, ArrayNode args, ObjectNode kwargs) {
    if (type == RawArguments.class) {
      return type.cast(new RawArguments(args, kwargs));
    }
    int n = names.length;
    if (args.size() > n) {
      throw new TaskArgumentException(
          String.format(
              "%s() takes %d positional argument%s but %d were given"
                  + " (unexpected argument at position %d)",
              task, n, n == 1 ? "" : "s", args.size(), n));
    }
    ObjectNode given = MAPPER.createObjectNode();
    for (int i = 0; i < args.size(); i++) {
      given.set(names[i], args.get(i));
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = kwargs.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> kwarg = it.next();
      int i = indexOf(kwarg.getKey());
      if (i < 0) {
        throw new TaskArgumentException(
            String.format("%s() got an unexpected keyword argument '%s'", task, kwarg.getKey()));
      }
      if (given.has(names[i])) {
        throw new TaskArgumentException(
            String.format("%s() got multiple values for argument '%s'", task, names[i]));
      }
      given.set(names[i], kwarg.getValue());
    }
    List<String> missing = new ArrayList<>();
    ObjectNode bound = MAPPER.createObjectNode();
    for (int i = 0; i < n; i++) {
      JsonNode value = given.get(names[i]);
      if (value == null) {
        if (optional[i]) {
          bound.putNull(names[i]);
        } else {
          missing.add("'" + names[i] + "'");
        }
        continue;
      }
      checkType(task, i, value);
      bound.set(names[i], value);
    }
    if (!missing.isEmpty()) {
      throw new TaskArgumentException(
          String.format(
              "%s() missing %d required argument%s: %s",
              task, missing.size(), missing.size() == 1 ? "" : "s", String.join(", ", missing)));
    }
    try {
      return MAPPER.treeToValue(bound, type);
    } catch (ValueInstantiationException e) {
      // The record's own validation rejected the values.
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      throw new TaskArgumentException(
          String.format("%s() got invalid arguments: %s", task, cause.getMessage()), e);
    } catch (IOException e) {
      throw new TaskArgumentException(
          String.format("%s() got arguments that do not bind: %s", task, e.getMessage()), e);
    }
  }

  private void checkType(String task, int i, JsonNode value) {
    if (value.isNull()) {
      if (!optional[i]) {
        throw new TaskArgumentException(
            String.format("%s() argument '%s' must be %s, not None", task, names[i], typeNames[i]));
      }
      return;
    }
    try {
      MAPPER.readerFor(types[i]).readValue(value);
    } catch (IOException e) {
      // The value itself stays out of the message: it may be personal data (an e-mail address).
      throw new TaskArgumentException(
          String.format(
              "%s() argument '%s' must be %s, not %s",
              task, names[i], typeNames[i], pythonType(value)),
          e);
    }
  }

  private int indexOf(String name) {
    for (int i = 0; i < names.length; i++) {
      if (names[i].equals(name)) {
        return i;
      }
    }
    return -1;
  }

  private static String pythonType(JsonNode value) {
    switch (value.getNodeType()) {
      case STRING:
        return "str";
      case NUMBER:
        return value.isIntegralNumber() ? "int" : "float";
      case BOOLEAN:
        return "bool";
      case ARRAY:
        return "list";
      case OBJECT:
        return "dict";
      case NULL:
        return "None";
      default:
        return value.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    }
  }
}
