package io.securetx.task;

import static java.util.Objects.requireNonNull;

import org.jspecify.annotations.Nullable;

/**
 * A task name bound to its handler and to arguments that fit it, ready to run. Made by {@link
 * TaskRegistry#bind}; binding is separate from running so that argument errors are known before any
 * side effect.
 */
public final class Invocation {

  private final String taskName;
  private final TaskHandler<?, ?> handler;
  private final Record arguments;

  Invocation(String taskName, TaskHandler<?, ?> handler, Record arguments) {
    this.taskName = requireNonNull(taskName, "taskName");
    this.handler = requireNonNull(handler, "handler");
    this.arguments = requireNonNull(arguments, "arguments");
  }

  /**
   * Returns the name the task was called by, which may be an alias.
   *
   * @return the task name
   */
  public String taskName() {
    return taskName;
  }

  /**
   * Returns the bound arguments, an instance of the handler's {@link TaskHandler#argumentType()}.
   *
   * @return the argument record
   */
  public Record arguments() {
    return arguments;
  }

  /**
   * Runs the handler once with the bound arguments.
   *
   * @param context the id, name and retry count of this run
   * @return what the handler returned; turn it into JSON with {@link ResultSerializer#toJson}
   * @throws Exception whatever the handler throws, unchanged
   */
  public @Nullable Object run(TaskContext context) throws Exception {
    requireNonNull(context, "context");
    return call(handler, arguments, context);
  }

  private static <A extends Record, R> @Nullable Object call(
      TaskHandler<A, R> handler, Record arguments, TaskContext context) throws Exception {
    return handler.run(handler.argumentType().cast(arguments), context);
  }

  @Override
  public String toString() {
    // Arguments may hold personal data; they stay out of logs.
    return "Invocation[" + taskName + "]";
  }
}
