package io.securetx.adapter.cli;

import io.securetx.ledger.LedgerIntegrityException;
import io.securetx.report.MonthlyReport;
import io.securetx.report.MonthlyReport.CurrencySummary;
import io.securetx.report.MonthlyReport.VaultStatus;
import io.securetx.report.WrittenReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code securetx report MONTH}: the monthly PDF report, generated in this process. */
@Command(
    name = "report",
    description = {
      "Verify the whole vault and write the month's report, report_YYYY-MM.pdf, under REPORT_DIR"
          + " (default SECURETX_DATA_DIR/reports); prints its path.",
      "Exits 2 for a month that is not one or has not begun, 1 when the vault fails verification"
          + " (the report is written and states the failure), 6 when there is no vault or it"
          + " cannot be read."
    })
final class ReportCommand implements Callable<Integer> {

  private final CliContext context;

  @Spec picocli.CommandLine.Model.@Nullable CommandSpec spec;

  @Parameters(
      index = "0",
      paramLabel = "MONTH",
      description =
          "2026-08, August 2026, Aug 2026, or a month name alone (August: the most recent August"
              + " that has begun). Months are UTC.")
  String month = "";

  @Option(names = "--json", description = "Print JSON.")
  boolean json;

  ReportCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() throws LedgerIntegrityException, IOException {
    context.config();
    WrittenReport written = context.generateReport(month);
    MonthlyReport report = written.report();
    PrintWriter out = SecureTxCli.out(spec);
    if (json) {
      out.println(Output.json(json(written)));
      return ExitCodes.OK;
    }
    out.println("Report on " + report.month().displayName() + " written to " + written.path());
    if (report.currencies().isEmpty()) {
      out.println("  No transactions in " + report.month().displayName() + ".");
    }
    for (CurrencySummary c : report.currencies()) {
      out.printf(
          "  %s  %d transaction%s, total %s%n",
          c.currency().getCurrencyCode(),
          c.count(),
          c.count() == 1 ? "" : "s",
          c.total().toPlainString());
    }
    if (!report.complete()) {
      out.println("  The month is still in progress: figures up to " + report.generatedAt() + ".");
    }
    VaultStatus vault = report.vault();
    out.printf(
        "Vault OK: %d entries verified, every record opened; head %s, latest checkpoint at seq %d%n",
        vault.entries(), vault.headHash(), vault.lastCheckpointSeq());
    return ExitCodes.OK;
  }

  private static Map<String, Object> json(WrittenReport written) {
    MonthlyReport report = written.report();
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("status", "success");
    map.put("month", report.month().toString());
    map.put("path", written.path().toString());
    map.put("generated_at", report.generatedAt().toString());
    map.put("complete", report.complete());
    map.put("transactions", report.transactions());
    List<Map<String, Object>> currencies = new ArrayList<>();
    for (CurrencySummary c : report.currencies()) {
      Map<String, Object> currency = new LinkedHashMap<>();
      currency.put("currency", c.currency().getCurrencyCode());
      currency.put("count", c.count());
      currency.put("total", c.total().toPlainString());
      currency.put("users_exact", c.users().exact());
      currencies.add(currency);
    }
    map.put("currencies", currencies);
    VaultStatus vault = report.vault();
    Map<String, Object> verification = new LinkedHashMap<>();
    verification.put("status", "ok");
    verification.put("entries", vault.entries());
    verification.put("checkpoints", vault.checkpoints());
    verification.put("last_checkpoint_seq", vault.lastCheckpointSeq());
    verification.put(
        "last_checkpoint_at",
        vault.lastCheckpointAt() == null ? null : String.valueOf(vault.lastCheckpointAt()));
    verification.put("head_hash", vault.headHash());
    map.put("verification", verification);
    return map;
  }
}
