package io.securetx.task.beat;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A task sent on a schedule, like an entry of Celery's {@code beat_schedule}.
 *
 * @param name the entry's name, unique among the entries; it names the slots claimed in the broker
 * @param schedule when it fires
 * @param task the task name to send
 * @param args positional arguments
 * @param kwargs keyword arguments
 * @param queue the queue to send to
 */
public record PeriodicTask(
    String name,
    CronSchedule schedule,
    String task,
    ArrayNode args,
    ObjectNode kwargs,
    String queue) {

  /**
   * Validates and copies the fields.
   *
   * @throws IllegalArgumentException if a name or the queue is blank
   */
  public PeriodicTask {
    requireNonNull(schedule, "schedule");
    args = requireNonNull(args, "args").deepCopy();
    kwargs = requireNonNull(kwargs, "kwargs").deepCopy();
    for (String text : new String[] {name, task, queue}) {
      if (requireNonNull(text, "name, task and queue").isBlank()) {
        throw new IllegalArgumentException("name, task and queue must not be blank");
      }
    }
  }

  /**
   * An entry without arguments on the default queue {@code celery}.
   *
   * @param name the entry's name
   * @param schedule when it fires
   * @param task the task name
   * @return the entry
   */
  public static PeriodicTask of(String name, CronSchedule schedule, String task) {
    return new PeriodicTask(
        name,
        schedule,
        task,
        JsonNodeFactory.instance.arrayNode(),
        JsonNodeFactory.instance.objectNode(),
        "celery");
  }

  @Override
  public ArrayNode args() {
    return args.deepCopy();
  }

  @Override
  public ObjectNode kwargs() {
    return kwargs.deepCopy();
  }
}
