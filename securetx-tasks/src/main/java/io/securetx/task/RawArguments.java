package io.securetx.task;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The argument type of a handler that takes whatever it is given, as a Python task declared {@code
 * def task(*args, **kwargs)}: positional and keyword arguments arrive unbound.
 *
 * @param args the positional arguments
 * @param kwargs the keyword arguments
 */
public record RawArguments(ArrayNode args, ObjectNode kwargs) {

  /** Copies the JSON trees, so a handler cannot change what another sees. */
  public RawArguments {
    args = requireNonNull(args, "args").deepCopy();
    kwargs = requireNonNull(kwargs, "kwargs").deepCopy();
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
