package io.securetx.adapter.cli;

import io.securetx.app.Main;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Runs {@code securetx ARGS} in a JVM of its own, as an operator would, output to a log file. */
final class CliProcess {

  private CliProcess() {}

  /**
   * Starts the command; the caller stops the process.
   *
   * @param env variables added to this JVM's environment
   * @param log where standard output and error go
   * @param args the command and its options
   */
  static Process start(Map<String, String> env, Path log, List<String> args) throws IOException {
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName()));
    command.addAll(args);
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().putAll(env);
    return builder.start();
  }
}
