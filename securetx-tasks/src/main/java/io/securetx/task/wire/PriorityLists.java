package io.securetx.task.wire;

import java.util.List;

/**
 * Which Redis list holds a message of a given priority, as kombu's Redis transport decides it.
 * There are four buckets, 0, 3, 6 and 9: a priority is clamped to 0..9 and mapped to the largest
 * bucket not above it. Bucket 0 is the bare queue name, the others append the separator {@code
 * \x06\x16} and the bucket digit. Workers pop the buckets in that order, so a <em>lower</em> number
 * is served first, the opposite of RabbitMQ.
 */
public final class PriorityLists {

  /** The two bytes kombu puts between a queue name and its priority bucket. */
  public static final String SEPARATOR = "\u0006\u0016";

  private static final List<Integer> BUCKETS = List.of(0, 3, 6, 9);

  private PriorityLists() {}

  /**
   * Returns the bucket a priority falls into.
   *
   * @param priority any int; below 0 counts as 0, above 9 as 9
   * @return 0, 3, 6 or 9
   */
  public static int bucketOf(int priority) {
    int clamped = Math.max(0, Math.min(9, priority));
    return clamped - clamped % 3;
  }

  /**
   * Returns the name of the list a message of that priority is pushed to.
   *
   * @param queue the queue name, such as {@code celery}
   * @param priority the message's priority
   * @return {@code queue} for priorities up to 2, else {@code queue + "\x06\x16" + bucket}
   * @throws IllegalArgumentException if the queue name is empty
   */
  public static String listFor(String queue, int priority) {
    requireQueue(queue);
    int bucket = bucketOf(priority);
    return bucket == 0 ? queue : queue + SEPARATOR + bucket;
  }

  /**
   * Returns a queue's lists in the order a worker pops them, first served first.
   *
   * @param queue the queue name
   * @return the four list names, bucket 0 first
   * @throws IllegalArgumentException if the queue name is empty
   */
  public static List<String> listsInServeOrder(String queue) {
    requireQueue(queue);
    return BUCKETS.stream().map(b -> listFor(queue, b)).toList();
  }

  /**
   * Returns the queue a list belongs to: the name cut at the last separator.
   *
   * @param listName a list name as returned by {@code BRPOP}
   * @return the queue name
   */
  public static String queueOf(String listName) {
    int cut = listName.lastIndexOf(SEPARATOR);
    if (cut < 0) {
      return listName;
    }
    String suffix = listName.substring(cut + SEPARATOR.length());
    return suffix.equals("3") || suffix.equals("6") || suffix.equals("9")
        ? listName.substring(0, cut)
        : listName;
  }

  private static void requireQueue(String queue) {
    if (queue.isEmpty()) {
      throw new IllegalArgumentException("queue name must not be empty");
    }
  }
}
