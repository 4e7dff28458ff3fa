package io.securetx.app;

import io.securetx.adapter.cli.SecureTxCli;
import java.time.Clock;

/** The {@code securetx} executable. */
public final class Main {

  private Main() {}

  /**
   * Runs the CLI and exits with its exit code.
   *
   * @param args the command line
   */
  public static void main(String[] args) {
    int code = run(args);
    System.exit(code);
  }

  /**
   * Runs the CLI against the process environment.
   *
   * @param args the command line
   * @return the exit code
   */
  public static int run(String[] args) {
    return SecureTxCli.create(new Application(System.getenv(), Clock.systemUTC())).execute(args);
  }
}
