package io.securetx.task;

/**
 * The Java side of one Celery task. Its arguments arrive as a record: Celery's positional {@code
 * args} bind to the record components in declaration order, its {@code kwargs} bind by name, a
 * component {@code userId} being sent as {@code user_id}. What it returns becomes the task's result
 * (see {@link ResultSerializer}).
 *
 * @param <A> the record the task's arguments bind to
 * @param <R> what the task returns
 */
public interface TaskHandler<A extends Record, R> {

  /**
   * The record type the arguments bind to; its component order is the order of Celery's positional
   * arguments.
   *
   * @return the record class, never null
   */
  Class<A> argumentType();

  /**
   * Runs the task once. Whether a thrown exception leads to a retry is the {@link RetryPolicy}'s
   * decision, not the handler's.
   *
   * @param arguments the bound arguments
   * @param context the id, name and retry count of this run
   * @return the result, serialised to JSON for the result backend
   * @throws Exception whatever the task fails with; it is reported to Celery clients as the task's
   *     exception
   */
  R run(A arguments, TaskContext context) throws Exception;

  /**
   * Which failures are retried, how often and after what delay. Celery's default is no automatic
   * retry, and so is this one.
   *
   * @return the retry policy
   */
  default RetryPolicy retryPolicy() {
    return RetryPolicy.none();
  }

  /**
   * Whether the message is acknowledged before the task runs (Celery's default, {@code
   * acks_late=False}) instead of after its result is stored. Early ack means a crash while the task
   * runs loses it; only a task that must never run twice should ask for it.
   *
   * @return true to acknowledge before running
   */
  default boolean acksEarly() {
    return false;
  }
}
