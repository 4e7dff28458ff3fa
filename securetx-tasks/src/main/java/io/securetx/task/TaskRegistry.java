package io.securetx.task;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The tasks a worker can run, by name: Celery's task registry. Each handler has one name and any
 * number of aliases (a task moved from module {@code new} keeps answering to {@code
 * new.send_welcome_email}). Immutable; build it with {@link #builder()}.
 */
public final class TaskRegistry {

  private final Map<String, Entry> entries;

  private TaskRegistry(Map<String, Entry> entries) {
    this.entries = Map.copyOf(entries);
  }

  /**
   * Starts an empty registry.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Finds the handler registered under a name or alias.
   *
   * @param name the task name as sent by the client
   * @return the handler, or empty if nothing is registered under the name
   */
  public Optional<TaskHandler<?, ?>> lookup(String name) {
    requireNonNull(name, "name");
    Entry entry = entries.get(name);
    return entry == null ? Optional.empty() : Optional.of(entry.handler());
  }

  /**
   * Returns every name and alias the registry answers to.
   *
   * @return an unmodifiable set of names
   */
  public Set<String> names() {
    return entries.keySet();
  }

  /**
   * Binds a call's positional and keyword arguments to the handler registered under {@code name}.
   * Positional arguments fill the argument record's components in order; keyword arguments use the
   * components' snake_case names.
   *
   * @param name the task name as sent by the client
   * @param args Celery's positional arguments
   * @param kwargs Celery's keyword arguments
   * @return the handler with its bound arguments, ready to run
   * @throws NotRegisteredException if nothing is registered under {@code name}
   * @throws TaskArgumentException if the arguments do not fit the handler: an unknown keyword, a
   *     missing argument, an argument given both positionally and by keyword, too many positional
   *     arguments, or a value of the wrong type
   */
  public Invocation bind(String name, ArrayNode args, ObjectNode kwargs) {
    requireNonNull(name, "name");
    requireNonNull(args, "args");
    requireNonNull(kwargs, "kwargs");
    Entry entry = entries.get(name);
    if (entry == null) {
      throw new NotRegisteredException(name);
    }
    return new Invocation(name, entry.handler(), entry.bind(name, args, kwargs));
  }

  @Override
  public String toString() {
    return "TaskRegistry" + entries.keySet();
  }

  private record Entry(TaskHandler<?, ?> handler, ArgumentBinder binder) {
    Record bind(String name, ArrayNode args, ObjectNode kwargs) {
      return binder.bind(name, handler.argumentType(), args, kwargs);
    }
  }

  /** Collects handlers; fails at once on a name clash. */
  public static final class Builder {

    private final Map<String, Entry> entries = new LinkedHashMap<>();

    private Builder() {}

    /**
     * Registers a handler under a name and optional aliases.
     *
     * @param name the task's Celery name, e.g. {@code send_welcome_email}
     * @param handler the handler
     * @param aliases further names the task answers to
     * @return this builder
     * @throws IllegalArgumentException if a name is blank, is already registered, or the handler's
     *     argument type is not a record class
     * @throws NullPointerException if an argument or alias is null
     */
    public Builder register(String name, TaskHandler<?, ?> handler, String... aliases) {
      requireNonNull(name, "name");
      requireNonNull(handler, "handler");
      requireNonNull(aliases, "aliases");
      Class<? extends Record> type =
          requireNonNull(handler.argumentType(), "handler.argumentType()");
      Entry entry = new Entry(handler, ArgumentBinder.of(type));
      Map<String, Entry> added = new LinkedHashMap<>();
      add(added, name, entry);
      for (String alias : aliases) {
        add(added, requireNonNull(alias, "alias"), entry);
      }
      entries.putAll(added);
      return this;
    }

    private void add(Map<String, Entry> added, String name, Entry entry) {
      if (name.isBlank()) {
        throw new IllegalArgumentException("a task name must not be blank");
      }
      if (entries.containsKey(name) || added.containsKey(name)) {
        throw new IllegalArgumentException("task name '" + name + "' is already registered");
      }
      added.put(name, entry);
    }

    /**
     * Builds the registry; the builder may be reused.
     *
     * @return an immutable registry with every handler registered so far
     */
    public TaskRegistry build() {
      return new TaskRegistry(entries);
    }
  }
}
