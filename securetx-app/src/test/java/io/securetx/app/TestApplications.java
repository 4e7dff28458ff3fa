package io.securetx.app;

import io.securetx.adapter.cli.CliContext;
import java.time.Clock;
import java.util.Map;

/** Builds the real composition root for tests in other packages, as {@code Main} does. */
public final class TestApplications {

  private TestApplications() {}

  /**
   * The application over an explicit environment instead of the process's, on the system clock.
   *
   * @param env the environment variables the application sees
   * @return the context the CLI runs against
   */
  public static CliContext of(Map<String, String> env) {
    return new Application(env, Clock.systemUTC());
  }

  /**
   * The application over an explicit environment and clock.
   *
   * @param env the environment variables the application sees
   * @param clock the clock every command uses
   * @return the context the CLI runs against
   */
  public static CliContext of(Map<String, String> env, Clock clock) {
    return new Application(env, clock);
  }
}
