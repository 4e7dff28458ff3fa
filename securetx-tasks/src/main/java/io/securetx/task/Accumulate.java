package io.securetx.task;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Celery's built-in {@code celery.accumulate}: returns its positional arguments, or the one at
 * keyword argument {@code index}. A no-op task every Celery worker knows, so one Python client can
 * drive a Celery worker and a securetx worker with the same messages.
 */
public final class Accumulate implements TaskHandler<RawArguments, JsonNode> {

  /** The name Celery registers it under. */
  public static final String NAME = "celery.accumulate";

  /** Creates the handler. */
  public Accumulate() {}

  @Override
  public Class<RawArguments> argumentType() {
    return RawArguments.class;
  }

  @Override
  public JsonNode run(RawArguments arguments, TaskContext context) {
    JsonNode index = arguments.kwargs().get("index");
    if (index == null || index.isNull()) {
      return arguments.args();
    }
    if (!index.isIntegralNumber()) {
      throw new TaskArgumentException("celery.accumulate() index must be int");
    }
    JsonNode picked = arguments.args().get(index.asInt());
    if (picked == null) {
      throw new IndexOutOfBoundsException("tuple index out of range");
    }
    return picked;
  }
}
