package io.securetx.task.broker;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A message that was taken out of circulation: it could not be decoded, or its task failed for
 * good. It keeps the original payload, so an operator can put it back with {@link
 * Broker#requeueDead} once the cause is fixed.
 *
 * @param id a random id naming this entry in the dead-letter list
 * @param reason a short machine-readable cause, such as {@code undecodable} or {@code
 *     retries_exhausted}
 * @param detail the human-readable explanation
 * @param list the list the message is put back on when requeued, or null if it cannot be known
 * @param taskId the task id, or null if the message could not be decoded that far
 * @param deadAt when it was dead-lettered
 * @param payload the message exactly as it was stored
 */
public record DeadLetter(
    String id,
    String reason,
    String detail,
    @Nullable String list,
    @Nullable String taskId,
    Instant deadAt,
    String payload) {

  /**
   * Validates the entry.
   *
   * @throws NullPointerException if a required field is null
   */
  public DeadLetter {
    requireNonNull(id, "id");
    requireNonNull(reason, "reason");
    requireNonNull(detail, "detail");
    requireNonNull(deadAt, "deadAt");
    requireNonNull(payload, "payload");
  }

  @Override
  public String toString() {
    return "DeadLetter[id=" + id + ", reason=" + reason + ", taskId=" + taskId + "]";
  }
}
