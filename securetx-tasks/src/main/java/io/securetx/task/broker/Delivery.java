package io.securetx.task.broker;

import static java.util.Objects.requireNonNull;

/**
 * A message a worker fetched: the exact text as it was stored and the list it came from. The text
 * is what identifies the message in the worker's in-flight store, so it must be passed back
 * unchanged to {@link Broker#ack}, {@link Broker#schedule}, {@link Broker#requeue} and {@link
 * Broker#deadLetter}.
 *
 * @param payload the list item, normally a Celery envelope (but possibly anything a client pushed)
 * @param list the list it was taken from
 */
public record Delivery(String payload, String list) {

  /**
   * Validates the delivery.
   *
   * @throws NullPointerException if a field is null
   */
  public Delivery {
    requireNonNull(payload, "payload");
    requireNonNull(list, "list");
  }

  @Override
  public String toString() {
    // The payload holds task arguments, which may be personal data.
    return "Delivery[list=" + list + ", " + payload.length() + " chars]";
  }
}
