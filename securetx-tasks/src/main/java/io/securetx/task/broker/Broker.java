package io.securetx.task.broker;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Where task messages wait and who holds them. Queues are Celery's lists (one per queue and
 * priority bucket, see {@link io.securetx.task.wire.PriorityLists}); everything else is what Celery
 * lacks: each worker's own in-flight store, a schedule for messages that must wait, a dead-letter
 * list, and worker heartbeats.
 *
 * <p>The rule every implementation keeps: a message is in exactly one place at a time, and every
 * method that moves it does so atomically. A fetched message is in the worker's in-flight store
 * before the worker sees it, so a crash never loses it; it leaves that store only by {@link #ack},
 * {@link #schedule}, {@link #requeue}, {@link #deadLetter} or, once the worker's heartbeat has
 * expired, {@link #reapExpired}.
 *
 * <p>Payloads are compared as exact text: pass a {@link Delivery} back as it was fetched.
 * Implementations are safe for use by many threads.
 */
public interface Broker extends AutoCloseable {

  /**
   * Appends messages to the back of their lists, as Celery's {@code LPUSH} does; all of them or, if
   * this throws, possibly only some.
   *
   * @param messages the messages and their lists
   * @throws BrokerException if the broker cannot be reached
   */
  void publish(List<Outgoing> messages);

  /**
   * Moves up to {@code max} messages from the lists, tried in the given order, into the worker's
   * in-flight store, waiting up to {@code wait} for the first one. Lists earlier in the order are
   * drained first, which is how Celery's lower priority numbers are served first.
   *
   * @param workerId the worker that will hold the messages
   * @param lists the lists to take from, most urgent first
   * @param max the most messages to take, at least 1
   * @param wait how long to wait when every list is empty
   * @return the messages taken, oldest first per list; empty if none came within {@code wait}
   * @throws InterruptedException if the thread is interrupted while waiting
   * @throws BrokerException if the broker cannot be reached
   */
  List<Delivery> fetch(String workerId, List<String> lists, int max, Duration wait)
      throws InterruptedException;

  /**
   * Removes finished messages from the worker's in-flight store. Unknown deliveries (already
   * reaped, or acknowledged before) are ignored.
   *
   * @param workerId the worker holding them
   * @param deliveries the messages
   * @return how many were still held and are now removed
   * @throws BrokerException if the broker cannot be reached
   */
  int ack(String workerId, List<Delivery> deliveries);

  /**
   * Moves a held message to the schedule: {@code payload} (the message itself, or its retry) goes
   * back to {@code list} at {@code due}. Nothing happens if the worker no longer holds the
   * delivery.
   *
   * @param workerId the worker holding the delivery
   * @param delivery the held message
   * @param list the list to put the payload on when it is due
   * @param payload what to put there
   * @param due when
   * @return true if the worker held the delivery and it was moved
   * @throws BrokerException if the broker cannot be reached
   */
  boolean schedule(String workerId, Delivery delivery, String list, String payload, Instant due);

  /**
   * Moves held messages that are due from the schedule back to their lists.
   *
   * @param now the current time
   * @param max the most to move in one call
   * @return how many were moved
   * @throws BrokerException if the broker cannot be reached
   */
  int releaseDue(Instant now, int max);

  /**
   * Puts a held message back on a list, at the front (served next, as kombu restores) or the back.
   *
   * @param workerId the worker holding the delivery
   * @param delivery the held message
   * @param list where it goes
   * @param payload what goes there (the message, usually flagged as redelivered)
   * @param front true to serve it next
   * @return true if the worker held the delivery and it was moved
   * @throws BrokerException if the broker cannot be reached
   */
  boolean requeue(String workerId, Delivery delivery, String list, String payload, boolean front);

  /**
   * Moves a held message to the dead-letter list.
   *
   * @param workerId the worker holding the delivery
   * @param delivery the held message
   * @param letter the entry to store; its payload should be the delivery's
   * @return true if the worker held the delivery and it was moved
   * @throws BrokerException if the broker cannot be reached
   */
  boolean deadLetter(String workerId, Delivery delivery, DeadLetter letter);

  /**
   * Announces a worker, or renews its heartbeat. A worker whose heartbeat is older than its {@code
   * ttl} counts as dead and its in-flight messages may be reaped.
   *
   * @param worker the worker
   * @param ttl how long the heartbeat lasts
   * @return false if the heartbeat had already expired (the broker remembers reaped workers for a
   *     while to say so), so the worker's messages may have been handed to others; true otherwise.
   *     A worker beats once before its first fetch, or {@link #reapExpired} cannot know it.
   * @throws BrokerException if the broker cannot be reached
   */
  boolean heartbeat(WorkerInfo worker, Duration ttl);

  /**
   * Removes a worker that stopped cleanly. Messages it still holds are put back first.
   *
   * @param workerId the worker
   * @param restorer where each held message goes
   * @return how many held messages were put back or dead-lettered
   * @throws BrokerException if the broker cannot be reached
   */
  int unregister(String workerId, Restorer restorer);

  /**
   * Puts back the in-flight messages of every worker whose heartbeat has expired, in one atomic
   * step per worker that re-checks the heartbeat, so a live worker never loses its messages.
   *
   * @param restorer where each held message goes
   * @return how many messages were put back or dead-lettered
   * @throws BrokerException if the broker cannot be reached
   */
  int reapExpired(Restorer restorer);

  /**
   * Publishes a message only if {@code claim} was not claimed before, atomically: the way a slot of
   * a periodic schedule fires once however many schedulers race for it.
   *
   * @param claim the name of the slot, such as {@code monthly-report@2026-09-01T00:00Z}
   * @param claimTtl how long the claim is remembered
   * @param message what to publish
   * @return true if this call claimed the slot and published
   * @throws BrokerException if the broker cannot be reached
   */
  boolean publishOnce(String claim, Duration claimTtl, Outgoing message);

  /**
   * Publishes a message only if {@code claim} was not claimed before, keeping {@code value} under
   * the claim, atomically; otherwise publishes nothing and returns the value the claim holds. The
   * way an idempotency key sends a task at most once and tells a retry what the first call sent.
   *
   * @param claim the name of the claim, such as {@code http-task.<hash of the key>}
   * @param value what the claim holds, e.g. the task id and a fingerprint of the call
   * @param claimTtl how long the claim lasts
   * @param message the message, published only by the call that claims
   * @return empty when this call claimed and published; otherwise the claim's value
   * @throws BrokerException if the broker cannot be reached
   */
  Optional<String> publishOnce(String claim, String value, Duration claimTtl, Outgoing message);

  /**
   * Lists dead letters, newest first.
   *
   * @param max the most to return
   * @return the entries
   * @throws BrokerException if the broker cannot be reached
   */
  List<DeadLetter> deadLetters(int max);

  /**
   * Finds one dead letter.
   *
   * @param id its id
   * @return the entry, or empty
   * @throws BrokerException if the broker cannot be reached
   */
  Optional<DeadLetter> deadLetter(String id);

  /**
   * Moves a dead letter back to the front of its list.
   *
   * @param id the entry's id
   * @param list the list to put it on; usually {@link DeadLetter#list()}
   * @return true if the entry existed and was moved
   * @throws BrokerException if the broker cannot be reached
   */
  boolean requeueDead(String id, String list);

  /**
   * Deletes every dead letter.
   *
   * @return how many were deleted
   * @throws BrokerException if the broker cannot be reached
   */
  long purgeDead();

  /**
   * Describes the broker's current state.
   *
   * @param queues the queues to count, besides those the live workers consume
   * @return the snapshot
   * @throws BrokerException if the broker cannot be reached
   */
  BrokerStats stats(Collection<String> queues);

  /** Releases connections; pending work of other processes is not affected. */
  @Override
  void close();

  /**
   * A message to append to a list.
   *
   * @param list the list, such as {@code celery} or {@code celery\u0006\u00163}
   * @param payload the envelope text
   */
  record Outgoing(String list, String payload) {
    /** Validates the message. */
    public Outgoing {
      Objects.requireNonNull(list, "list");
      Objects.requireNonNull(payload, "payload");
      if (list.isEmpty()) {
        throw new IllegalArgumentException("list must not be empty");
      }
    }

    @Override
    public String toString() {
      return "Outgoing[list=" + list + ", " + payload.length() + " chars]";
    }
  }

  /**
   * Decides where a message held by a worker that is gone goes back to. The in-flight store keeps
   * only the payload, so the {@link Delivery#list()} it is given names that store, not the list the
   * message came from: the destination must be read from the message itself (its routing key and
   * priority), as kombu does when it restores.
   */
  @FunctionalInterface
  interface Restorer {
    /**
     * Returns where a held payload goes.
     *
     * @param payload the held message
     * @return the list and the (re-flagged) payload, or a dead letter if it cannot go back
     */
    Restored restore(Delivery payload);
  }

  /**
   * Where a restored message goes: back to a list, or to the dead letters. Make one with {@link
   * #toList} or {@link #toDead}.
   *
   * @param list the list, or null when the message is dead-lettered
   * @param payload the payload to put back, or the original one when dead-lettered
   * @param dead the dead letter, or null when the message goes back to a list
   */
  record Restored(@Nullable String list, String payload, @Nullable DeadLetter dead) {

    /**
     * Validates that exactly one destination is given.
     *
     * @throws IllegalArgumentException unless exactly one of {@code list} and {@code dead} is set
     */
    public Restored {
      Objects.requireNonNull(payload, "payload");
      if ((list == null) == (dead == null)) {
        throw new IllegalArgumentException("exactly one of list and dead must be given");
      }
    }

    /**
     * Sends a message back to a list.
     *
     * @param list the list
     * @param payload what to push
     * @return the destination
     */
    public static Restored toList(String list, String payload) {
      return new Restored(list, payload, null);
    }

    /**
     * Sends a message to the dead letters.
     *
     * @param dead the entry
     * @return the destination
     */
    public static Restored toDead(DeadLetter dead) {
      return new Restored(null, dead.payload(), dead);
    }
  }
}
