package io.securetx.task;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import org.jspecify.annotations.Nullable;

/**
 * Turns what a handler returns into the JSON a Celery client reads from {@code AsyncResult.get()}:
 * records become objects with snake_case keys ({@code messageId} → {@code message_id}), strings,
 * numbers, booleans and lists stay as they are, and {@code null} becomes Python's {@code None}. Map
 * keys are data, not names, and are written unchanged.
 */
public final class ResultSerializer {

  private static final JsonMapper MAPPER =
      JsonMapper.builder()
          .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
          .enable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
          .build();

  private ResultSerializer() {}

  /**
   * Serialises a task result.
   *
   * @param result what the handler returned, possibly null
   * @return the result as a JSON tree
   * @throws TaskException if the result has no JSON form (for example an object without properties)
   */
  public static JsonNode toJson(@Nullable Object result) {
    if (result == null) {
      return NullNode.getInstance();
    }
    if (result instanceof JsonNode tree) {
      // Already JSON: a copy, without the round trip through a token buffer.
      return tree.deepCopy();
    }
    try {
      return MAPPER.valueToTree(result);
    } catch (IllegalArgumentException e) {
      throw new TaskException(
          "a task result of type " + result.getClass().getName() + " cannot be serialised to JSON",
          e);
    }
  }
}
