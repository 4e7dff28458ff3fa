package io.securetx.mail;

import static java.util.Objects.requireNonNull;

import io.securetx.crypto.Sha256;
import java.util.regex.Pattern;

/**
 * A deterministic {@code Message-ID}: {@code <kind.task-id@sender-domain>}, such as {@code
 * <welcome.6f1c9b2e-0d4e-4c1f-9a57-3b1e2f0c8d11@example.com>}. The same task always gets the same
 * id, so a message sent twice (a crash between the server's acceptance and the sent-marker) can be
 * recognised as one by receivers, and the sent-marker can be keyed by it.
 *
 * <p>A task id made only of letters, digits, {@code -} and {@code _} (up to 100 characters, as
 * Celery's UUIDs are) is used as it is; any other id is replaced by {@code h.} and the hex SHA-256
 * of its UTF-8 bytes, so the id stays a valid, header-safe dot-atom and two different task ids
 * never share a message id. The value also names the outbox file, so it holds no {@code /}.
 */
public final class MessageId {

  private static final Pattern KIND = Pattern.compile("[a-z][a-z0-9-]{0,30}");
  private static final Pattern PLAIN_TASK_ID = Pattern.compile("[A-Za-z0-9_-]{1,100}");

  private final String value;

  private MessageId(String value) {
    this.value = value;
  }

  /**
   * The message id of the e-mail a task sends.
   *
   * @param kind what kind of e-mail, lower-case letters, digits and hyphens, such as {@code
   *     welcome}
   * @param taskId the task's id
   * @param sender the sender, whose ASCII domain becomes the right-hand side
   * @return the message id
   * @throws IllegalArgumentException if {@code kind} is not a lower-case word or {@code taskId} is
   *     empty
   */
  public static MessageId forTask(String kind, String taskId, EmailAddress sender) {
    requireNonNull(kind, "kind");
    requireNonNull(taskId, "taskId");
    requireNonNull(sender, "sender");
    if (!KIND.matcher(kind).matches()) {
      throw new IllegalArgumentException("a message id kind is a lower-case word, not " + kind);
    }
    if (taskId.isEmpty()) {
      throw new IllegalArgumentException("a message id needs a non-empty task id");
    }
    String left = PLAIN_TASK_ID.matcher(taskId).matches() ? taskId : "h." + Sha256.hex(taskId);
    return new MessageId(kind + "." + left + "@" + sender.asciiDomain());
  }

  /** The id without angle brackets: the sent-marker key and the outbox file name. */
  public String value() {
    return value;
  }

  /** The {@code Message-ID} header value: the id in angle brackets. */
  public String headerValue() {
    return "<" + value + ">";
  }

  /** The header value. */
  @Override
  public String toString() {
    return headerValue();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MessageId other && other.value.equals(value);
  }

  @Override
  public int hashCode() {
    return value.hashCode();
  }
}
