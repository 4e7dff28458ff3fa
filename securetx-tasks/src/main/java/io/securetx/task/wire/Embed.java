package io.securetx.task.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.jspecify.annotations.Nullable;

/**
 * The third element of a protocol 2 body: what runs after the task. Signatures are kept as the JSON
 * objects Celery writes ({@code {"task", "args", "kwargs", "options", "subtask_type",
 * "immutable"}}) because their shape depends on the canvas type; {@code chain} holds the remaining
 * steps, last step first. Each field is null when unused, which is what Celery sends for a plain
 * call. The JSON nodes are copied in and out, so an {@code Embed} is immutable.
 *
 * @param callbacks signatures to call with the result on success, or null
 * @param errbacks signatures to call on failure, or null
 * @param chain the remaining chain steps, last step first, or null
 * @param chord the chord body signature, or null
 */
public record Embed(
    @Nullable ArrayNode callbacks,
    @Nullable ArrayNode errbacks,
    @Nullable ArrayNode chain,
    @Nullable ObjectNode chord) {

  /** A plain call: nothing runs after the task. */
  public static final Embed NONE = new Embed(null, null, null, null);

  /**
   * Validates and copies the signatures.
   *
   * @throws IllegalArgumentException if a list holds something other than signature objects, or a
   *     value a kombu 5.3 reader would misread
   */
  public Embed {
    callbacks = signatures(callbacks, "callbacks");
    errbacks = signatures(errbacks, "errbacks");
    chain = signatures(chain, "chain");
    if (chord != null) {
      Json.requireWireSafe(chord, "chord");
      chord = chord.deepCopy();
    }
  }

  private static @Nullable ArrayNode signatures(@Nullable ArrayNode list, String what) {
    if (list == null) {
      return null;
    }
    for (JsonNode sig : list) {
      if (!sig.isObject()) {
        throw new IllegalArgumentException(
            what + " must hold signature objects, not " + Json.typeName(sig));
      }
    }
    Json.requireWireSafe(list, what);
    return list.deepCopy();
  }

  @Override
  public @Nullable ArrayNode callbacks() {
    return callbacks == null ? null : callbacks.deepCopy();
  }

  @Override
  public @Nullable ArrayNode errbacks() {
    return errbacks == null ? null : errbacks.deepCopy();
  }

  @Override
  public @Nullable ArrayNode chain() {
    return chain == null ? null : chain.deepCopy();
  }

  @Override
  public @Nullable ObjectNode chord() {
    return chord == null ? null : chord.deepCopy();
  }
}
