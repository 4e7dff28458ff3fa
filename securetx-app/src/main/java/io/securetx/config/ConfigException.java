package io.securetx.config;

import io.securetx.SecureTxException;
import java.util.List;

/** The configuration is invalid. Lists every problem found, not just the first. */
public final class ConfigException extends SecureTxException {
  private static final long serialVersionUID = 1L;

  private final List<String> problems;

  /**
   * Creates the exception.
   *
   * @param problems one line per problem, each naming its variable and never a secret value
   */
  public ConfigException(List<String> problems) {
    super("invalid configuration:\n  - " + String.join("\n  - ", problems));
    this.problems = List.copyOf(problems);
  }

  /** The problems, one per line. */
  public List<String> problems() {
    return problems;
  }
}
