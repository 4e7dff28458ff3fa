package io.securetx.adapter.http;

import org.jspecify.annotations.Nullable;

/** One condition {@code /readyz} requires, beside the server's own (vault reachable, API keys). */
@FunctionalInterface
public interface ReadinessCheck {

  /**
   * Checks the condition; called on every {@code /readyz} request, so it must be quick.
   *
   * @return null when ready, otherwise why not (sent to the caller: no secrets)
   */
  @Nullable String problem();
}
