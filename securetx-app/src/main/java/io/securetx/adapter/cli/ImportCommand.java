package io.securetx.adapter.cli;

import io.securetx.SecureTxException;
import io.securetx.config.SecureTxConfig;
import io.securetx.ingest.ImportFormat;
import io.securetx.ingest.ImportSummary;
import io.securetx.ingest.Importer;
import io.securetx.vault.Vault;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code securetx import FILE}: many transactions from a CSV or JSON Lines file. */
@Command(
    name = "import",
    description = {
      "Process every row of a CSV or JSON Lines file into the vault. Rows without an"
          + " idempotency_key get one from the file name and line, so running the same file again"
          + " adds nothing. Refused rows go to a rejects file; the others are stored.",
      "Exits 0 when every row was stored or already there, 9 when some rows were refused."
    })
final class ImportCommand implements Callable<Integer> {

  private static final Duration TERMINAL_REFRESH = Duration.ofMillis(250);
  private static final Duration LOG_EVERY = Duration.ofSeconds(10);

  private final CliContext context;

  @Spec picocli.CommandLine.Model.@Nullable CommandSpec spec;

  @Parameters(
      index = "0",
      paramLabel = "FILE",
      description =
          "A .csv file (header user_id,amount[,currency][,idempotency_key]) or a .jsonl file (one"
              + " JSON object per line with those fields).")
  Path file = Path.of("");

  @Option(
      names = "--format",
      paramLabel = "csv|jsonl",
      description = "The file's format (default: from its extension).")
  @Nullable String format;

  @Option(
      names = "--rejects",
      paramLabel = "PATH",
      description =
          "Where refused rows go (default: FILE's name with .rejects before the extension, beside"
              + " it). Removed when no row is refused.")
  @Nullable Path rejects;

  @Option(
      names = "--source",
      paramLabel = "NAME",
      description =
          "The name derived idempotency keys are made from (default: FILE's name). Give the same"
              + " name to rerun a renamed file; a new one to import the same content again.")
  @Nullable String source;

  @Option(
      names = "--batch-size",
      paramLabel = "N",
      description = "Rows per commit (default: ${DEFAULT-VALUE}).")
  int batchSize = 4096;

  @Option(names = "--no-progress", description = "Print no progress on standard error.")
  boolean noProgress;

  @Option(names = "--json", description = "Print only the JSON summary.")
  boolean json;

  ImportCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() {
    CommandLine cli = SecureTxCli.spec(spec).commandLine();
    if (batchSize < 1) {
      throw new CommandLine.ParameterException(cli, "--batch-size must be at least 1");
    }
    ImportFormat fileFormat = format(cli);
    if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
      throw new CommandLine.ParameterException(cli, "cannot read " + file + ": no such file");
    }
    SecureTxConfig config = context.config();
    ProcessCommand.requireApiKey(config);
    Path rejectsFile = rejects != null ? rejects : defaultRejects(file, fileFormat);
    String sourceName = source != null ? source : String.valueOf(file.getFileName());
    PrintWriter out = SecureTxCli.out(spec);
    PrintWriter err = SecureTxCli.err(spec);
    boolean terminal = System.console() != null;
    ImportSummary summary;
    try (Vault vault = context.openVault()) {
      Importer importer =
          new Importer(
              vault,
              ProcessCommand.parser(config),
              new Importer.Settings(
                  batchSize,
                  8,
                  Math.max(1, Runtime.getRuntime().availableProcessors()),
                  terminal ? TERMINAL_REFRESH : LOG_EVERY));
      Importer.Progress progress =
          noProgress
              ? soFar -> {}
              : soFar -> {
                err.print((terminal ? "\r" : "") + "import: " + progressLine(soFar));
                err.print(terminal ? "   " : System.lineSeparator());
                err.flush();
              };
      summary = importer.run(file, fileFormat, sourceName, rejectsFile, progress);
    }
    if (terminal && !noProgress) {
      err.println();
    }
    if (json) {
      out.println(Output.json(jsonSummary(summary)));
    } else {
      out.printf(
          Locale.ROOT,
          "Imported %s: %,d row%s: %,d accepted, %,d duplicate%s, %,d rejected in %.1f s (%,.0f"
              + " rows/s)%n",
          file,
          summary.rows(),
          summary.rows() == 1 ? "" : "s",
          summary.accepted(),
          summary.duplicates(),
          summary.duplicates() == 1 ? "" : "s",
          summary.rejected(),
          summary.elapsedNanos() / 1e9,
          summary.rowsPerSecond());
      if (summary.rejectsFile() != null) {
        out.println("Rejected rows, with the reason for each: " + summary.rejectsFile());
      }
    }
    SecureTxException failure = summary.failure();
    if (failure != null) {
      err.println(
          "error: "
              + failure.getMessage()
              + System.lineSeparator()
              + "error: "
              + summary.notStored()
              + " valid rows were not stored; run the same import again to store them (rows"
              + " already stored count as duplicates)");
      return SecureTxCli.exitCode(failure);
    }
    return summary.rejected() > 0 ? ExitCodes.REJECTED : ExitCodes.OK;
  }

  private ImportFormat format(CommandLine cli) {
    if (format != null) {
      try {
        return ImportFormat.valueOf(format.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(
            cli, "--format must be csv or jsonl, not '" + format + "'");
      }
    }
    return ImportFormat.ofFileName(String.valueOf(file.getFileName()))
        .orElseThrow(
            () ->
                new CommandLine.ParameterException(
                    cli,
                    "cannot tell the format of "
                        + file
                        + " from its name (.csv, .jsonl); pass --format csv or --format jsonl"));
  }

  /** {@code payments.csv} → {@code payments.rejects.csv}, beside it. */
  static Path defaultRejects(Path file, ImportFormat format) {
    String name = String.valueOf(file.getFileName());
    int dot = name.lastIndexOf('.');
    String stem = dot > 0 ? name.substring(0, dot) : name;
    return file.resolveSibling(stem + ".rejects." + format.extension());
  }

  private static String progressLine(ImportSummary soFar) {
    return String.format(
        Locale.ROOT,
        "%,d rows: %,d accepted, %,d duplicates, %,d rejected, %,.0f rows/s",
        soFar.rows(),
        soFar.accepted(),
        soFar.duplicates(),
        soFar.rejected(),
        soFar.rowsPerSecond());
  }

  private Map<String, Object> jsonSummary(ImportSummary summary) {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put(
        "status",
        summary.failure() != null ? "failed" : summary.rejected() > 0 ? "rejected" : "ok");
    map.put("file", file.toString());
    map.put("rows", summary.rows());
    map.put("accepted", summary.accepted());
    map.put("duplicates", summary.duplicates());
    map.put("rejected", summary.rejected());
    map.put("not_stored", summary.notStored());
    map.put("seconds", Math.round(summary.elapsedNanos() / 1e6) / 1e3);
    map.put("rows_per_second", Math.round(summary.rowsPerSecond()));
    map.put(
        "rejects_file", summary.rejectsFile() == null ? null : summary.rejectsFile().toString());
    return map;
  }
}
