package io.securetx.app;

import io.securetx.adapter.pdf.PdfReportWriter;
import io.securetx.ledger.LedgerIntegrityException;
import io.securetx.observability.Audit;
import io.securetx.report.MonthlyReport;
import io.securetx.report.MonthlyReport.Failure;
import io.securetx.report.ReportCompiler;
import io.securetx.report.ReportMonth;
import io.securetx.report.WrittenReport;
import io.securetx.task.TaskContext;
import io.securetx.task.TaskHandler;
import io.securetx.transaction.ValidationException;
import io.securetx.vault.Vault;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The seed's {@code generate_monthly_report(month)} task: verifies the whole vault in one pass,
 * aggregates the month's transactions and writes {@code report_YYYY-MM.pdf} under {@code
 * REPORT_DIR}; the result is the file's absolute path, as the seed's was a path.
 *
 * <p>{@code month} is {@code 2026-08}, {@code August 2026} or the seed's bare {@code August} (the
 * most recent August that has begun, UTC); anything else fails as a {@code ValueError}. When the
 * vault fails verification the report is still written, stating the failure, and then the task
 * fails with the {@link LedgerIntegrityException}: tampering is never silently skipped.
 */
public final class GenerateMonthlyReport
    implements TaskHandler<GenerateMonthlyReport.Args, String> {

  /** The task's Celery name, the seed's. */
  public static final String NAME = "generate_monthly_report";

  private static final Logger LOG = LoggerFactory.getLogger(GenerateMonthlyReport.class);

  /**
   * The task's arguments; the seed calls {@code generate_monthly_report.delay("August")}.
   *
   * @param month the month, in any form {@link ReportMonth#parse} accepts
   */
  public record Args(String month) {}

  private final Supplier<Vault> vault;
  private final Path reportDir;
  private final Clock clock;
  private final PdfReportWriter writer = new PdfReportWriter();

  /**
   * Creates the handler.
   *
   * @param vault the vault to report on, opened on first use; shared, never closed by the handler
   * @param reportDir where reports go ({@code SecureTxConfig.reportDir()})
   * @param clock resolves bare month names and stamps the report
   */
  public GenerateMonthlyReport(Supplier<Vault> vault, Path reportDir, Clock clock) {
    this.vault = vault;
    this.reportDir = reportDir;
    this.clock = clock;
  }

  @Override
  public Class<Args> argumentType() {
    return Args.class;
  }

  /**
   * Writes the month's report.
   *
   * @return the report's absolute path
   * @throws IllegalArgumentException (Python's {@code ValueError}) if the month is not one
   * @throws LedgerIntegrityException if the vault failed verification; the report was written
   * @throws IOException if the report cannot be written
   */
  @Override
  public String run(Args arguments, TaskContext context)
      throws LedgerIntegrityException, IOException {
    ReportMonth month;
    try {
      month = ReportMonth.parse(arguments.month(), clock);
    } catch (ValidationException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
    return write(month).path().toString();
  }

  /**
   * Compiles and writes the month's report.
   *
   * @param month the month
   * @return the file and what it says
   * @throws LedgerIntegrityException if the vault failed verification, after the report stating so
   *     was written; the message names the file
   * @throws IOException if the report cannot be written
   */
  WrittenReport write(ReportMonth month) throws LedgerIntegrityException, IOException {
    MonthlyReport report = new ReportCompiler(clock).compile(vault.get(), month);
    Path path;
    try {
      path = writer.write(report, reportDir).toAbsolutePath().normalize();
    } catch (IOException e) {
      // NIO's messages are often the bare path; say what was being done and with which variable.
      throw new IOException(
          "cannot write the report into "
              + reportDir
              + " (REPORT_DIR): "
              + e.getClass().getSimpleName()
              + ": "
              + e.getMessage(),
          e);
    }
    Failure failure = report.vault().failure();
    if (failure != null) {
      Audit.failure("report.verify")
          .with("month", month.toString())
          .with("seq", failure.seq())
          .with("reason", String.valueOf(failure.reason()).toLowerCase(java.util.Locale.ROOT))
          .log();
      LOG.error(
          "vault verification failed at seq {} ({}) while reporting on {}; the report {} states it",
          failure.seq(),
          failure.reason(),
          month,
          path);
      throw new LedgerIntegrityException(
          failure.seq(),
          failure.reason(),
          failure.detail() + "; the report " + path + " states the failure");
    }
    Audit.success("report.verify")
        .with("month", month.toString())
        .with("entries", report.vault().entries())
        .log();
    LOG.info(
        "wrote the report on {}: {} transactions, {} vault entries verified, to {}",
        month,
        report.transactions(),
        report.vault().entries(),
        path);
    return new WrittenReport(path, report);
  }
}
