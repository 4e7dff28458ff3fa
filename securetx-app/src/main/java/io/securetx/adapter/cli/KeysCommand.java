package io.securetx.adapter.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code securetx keys}: key management. */
@Command(
    name = "keys",
    description = "Manage the vault's keys.",
    subcommands = {KeysCommand.Rotate.class, KeysCommand.ExportPublic.class})
final class KeysCommand implements Callable<Integer> {

  @Spec picocli.CommandLine.Model.@Nullable CommandSpec spec;

  @Override
  public Integer call() {
    SecureTxCli.err(spec).println("error: choose a subcommand: rotate, export-public");
    return ExitCodes.USAGE;
  }

  /** {@code securetx keys rotate}. */
  @Command(
      name = "rotate",
      description =
          "Add a new primary MAC, encryption and checkpoint key; older keys stay so every"
              + " existing record still opens and verifies.")
  static final class Rotate implements Callable<Integer> {
    private final CliContext context;

    @Spec picocli.CommandLine.Model.@Nullable CommandSpec spec;

    Rotate(CliContext context) {
      this.context = context;
    }

    @Override
    public Integer call() {
      context.config();
      SecureTxCli.out(spec).println("Rotated: " + context.rotateKeys());
      return ExitCodes.OK;
    }
  }

  /** {@code securetx keys export-public}. */
  @Command(
      name = "export-public",
      description =
          "Print (or write) the public checkpoint keyset, for verify --public-key. It holds no"
              + " secret.")
  static final class ExportPublic implements Callable<Integer> {
    private final CliContext context;

    @Spec picocli.CommandLine.Model.@Nullable CommandSpec spec;

    @Option(names = "--out", paramLabel = "FILE", description = "Write to FILE instead.")
    @Nullable Path out;

    ExportPublic(CliContext context) {
      this.context = context;
    }

    @Override
    public Integer call() throws IOException {
      context.config();
      String json = context.exportPublicKeyset();
      if (out == null) {
        SecureTxCli.out(spec).println(json);
      } else {
        Files.writeString(out, json + "\n", StandardCharsets.UTF_8);
        SecureTxCli.out(spec).println("Wrote the public checkpoint keyset to " + out);
      }
      return ExitCodes.OK;
    }
  }
}
