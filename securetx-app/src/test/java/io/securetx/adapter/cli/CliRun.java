package io.securetx.adapter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.securetx.app.TestApplications;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.util.Map;
import picocli.CommandLine;

/**
 * What one command printed and returned, run in this JVM against the real composition root.
 *
 * @param command the arguments, joined
 * @param exitCode the exit code
 * @param out standard output
 * @param err standard error
 */
record CliRun(String command, int exitCode, String out, String err) {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Runs a command over an explicit environment. */
  static CliRun run(Map<String, String> env, String... args) {
    return run(env, Clock.systemUTC(), args);
  }

  /** Runs a command over an explicit environment and clock. */
  static CliRun run(Map<String, String> env, Clock clock, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = SecureTxCli.create(TestApplications.of(env, clock));
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int code = cli.execute(args);
    return new CliRun(String.join(" ", args), code, out.toString(), err.toString());
  }

  /** Asserts the exit code, showing the whole run when it differs. */
  static CliRun expect(int exitCode, CliRun run) {
    assertThat(run.exitCode()).as("exit code of %s", run).isEqualTo(exitCode);
    return run;
  }

  /** The last line of standard output, where every command prints its JSON. */
  JsonNode json() {
    String[] lines = out.strip().split("\\R");
    try {
      return JSON.readTree(lines[lines.length - 1]);
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + out, e);
    }
  }

  @Override
  public String toString() {
    return command + " -> exit " + exitCode + "\nstdout:\n" + out + "stderr:\n" + err;
  }
}
