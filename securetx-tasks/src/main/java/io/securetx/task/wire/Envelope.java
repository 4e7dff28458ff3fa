package io.securetx.task.wire;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * One item of a kombu Redis list: a {@link TaskMessage} with the delivery properties kombu adds. On
 * the wire it is {@code {"body", "content-encoding", "content-type", "headers", "properties"}};
 * {@link CeleryCodec} writes and reads that JSON. The content type is always {@code
 * application/json}, the encoding {@code utf-8} and the body base64, so they are not fields.
 *
 * @param message the task call (headers and body)
 * @param exchange {@code delivery_info.exchange}, {@code ""} for Celery's default routing
 * @param routingKey {@code delivery_info.routing_key}: the queue name under default routing
 * @param priority {@code properties.priority}, 0 to 255 as given (only the list name orders)
 * @param deliveryTag a fresh UUID per push; the key of the message in kombu's {@code unacked} hash
 * @param correlationId the task id for Celery producers, or null
 * @param replyTo the producer app's id, only used by the {@code rpc://} backend, or null
 * @param deliveryMode 2 (persistent) from Celery; Redis ignores it
 * @param expiration {@code properties.expiration} in milliseconds as text, or null; Redis ignores
 *     it, the {@code expires} header is what counts
 * @param redelivered true when the message was put back after a worker held it
 * @param extraProperties other properties (newer Celery adds {@code replaced_task_nesting} and
 *     {@code origin} on retries), kept so a re-sent message keeps them
 */
public record Envelope(
    TaskMessage message,
    String exchange,
    String routingKey,
    int priority,
    String deliveryTag,
    @Nullable String correlationId,
    @Nullable String replyTo,
    int deliveryMode,
    @Nullable String expiration,
    boolean redelivered,
    ObjectNode extraProperties) {

  /** Properties that have their own component; {@code extraProperties} may not repeat them. */
  static final Set<String> KNOWN_PROPERTIES =
      Set.of(
          "correlation_id",
          "reply_to",
          "delivery_mode",
          "expiration",
          "delivery_info",
          "priority",
          "body_encoding",
          "delivery_tag");

  /**
   * Validates every field.
   *
   * @throws IllegalArgumentException if the routing key or delivery tag is empty, the priority is
   *     outside 0..255, or an extra property repeats a known one
   */
  public Envelope {
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(exchange, "exchange");
    Objects.requireNonNull(extraProperties, "extraProperties");
    if (routingKey == null || routingKey.isEmpty()) {
      throw new IllegalArgumentException("routingKey must not be empty");
    }
    if (deliveryTag == null || deliveryTag.isBlank()) {
      throw new IllegalArgumentException("deliveryTag must not be blank");
    }
    if (priority < 0 || priority > 255) {
      throw new IllegalArgumentException("priority must be within 0..255, was " + priority);
    }
    for (String text :
        Arrays.asList(exchange, routingKey, deliveryTag, correlationId, replyTo, expiration)) {
      Json.requireWellFormed(text, "an Envelope string");
    }
    Json.requireWireSafe(extraProperties, "extraProperties");
    extraProperties = extraProperties.deepCopy();
    for (String name : KNOWN_PROPERTIES) {
      if (extraProperties.has(name)) {
        throw new IllegalArgumentException(
            "extraProperties must not contain the known property \"" + name + "\"");
      }
    }
  }

  /**
   * Wraps a message for a queue as Celery's {@code send_task(..., queue=queue, priority=priority)}
   * does under default routing, with a fresh random delivery tag.
   *
   * @param message the task call
   * @param queue the queue name, such as {@code celery}
   * @param priority 0 to 255; lower is served first
   * @return the envelope
   * @throws IllegalArgumentException if the queue is empty or the priority out of range
   */
  public static Envelope of(TaskMessage message, String queue, int priority) {
    return new Envelope(
        message,
        "",
        queue,
        priority,
        UUID.randomUUID().toString(),
        message.id(),
        "",
        2,
        null,
        false,
        Json.NODES.objectNode());
  }

  /**
   * Returns the Redis list this envelope is pushed to: the routing key's priority list.
   *
   * @return the list name
   */
  public String listName() {
    return PriorityLists.listFor(routingKey, priority);
  }

  /**
   * Returns a copy flagged as redelivered, as kombu writes a message it puts back.
   *
   * @return the flagged copy
   */
  public Envelope markedRedelivered() {
    return new Envelope(
        message,
        exchange,
        routingKey,
        priority,
        deliveryTag,
        correlationId,
        replyTo,
        deliveryMode,
        expiration,
        true,
        extraProperties);
  }

  /**
   * Returns a copy with kombu's {@code expiration} property, the time to live in milliseconds as
   * text, which {@code apply_async(expires=...)} writes beside the {@code expires} header.
   *
   * @param expiration the milliseconds, or null for none
   * @return the copy
   */
  public Envelope withExpiration(@Nullable String expiration) {
    return new Envelope(
        message,
        exchange,
        routingKey,
        priority,
        deliveryTag,
        correlationId,
        replyTo,
        deliveryMode,
        expiration,
        redelivered,
        extraProperties);
  }

  @Override
  public ObjectNode extraProperties() {
    return extraProperties.deepCopy();
  }
}
