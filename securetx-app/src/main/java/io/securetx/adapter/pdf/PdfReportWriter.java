package io.securetx.adapter.pdf;

import io.securetx.report.MonthlyReport;
import io.securetx.report.ReportMonth;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import org.apache.pdfbox.io.IOUtils;
import org.apache.pdfbox.pdmodel.PDDocument;

/**
 * Writes a {@link MonthlyReport} as {@code report_YYYY-MM.pdf}. The file appears atomically: the
 * PDF goes to a temporary file in the same directory (owner-only, as {@link Files#createTempFile}
 * makes it), is forced to disk, then moved over any earlier report of the month with {@code
 * ATOMIC_MOVE}. A failure leaves no temporary file behind.
 *
 * <p>The document holds a few pages whatever the month's size (a chart and two ten-row tables per
 * currency), so it is built in memory; PDFBox's scratch buffers are memory-only.
 */
public final class PdfReportWriter {

  /** Creates a writer. */
  public PdfReportWriter() {}

  /**
   * The file name of a month's report.
   *
   * @param month the month
   * @return {@code report_2026-08.pdf} for August 2026
   */
  public static String fileName(ReportMonth month) {
    return "report_" + month + ".pdf";
  }

  /**
   * Renders the report and writes it into {@code directory}, creating the directory if needed.
   *
   * @param report the report
   * @param directory where reports go ({@code REPORT_DIR})
   * @return the written file
   * @throws IOException if the directory or the file cannot be written; no partial file remains
   */
  public Path write(MonthlyReport report, Path directory) throws IOException {
    Files.createDirectories(directory);
    Path target = directory.resolve(fileName(report.month()));
    Path temporary = Files.createTempFile(directory, ".report_" + report.month() + "-", ".tmp");
    try {
      try (PDDocument document = new PDDocument(IOUtils.createMemoryOnlyStreamCache())) {
        ReportDocument.draw(report, document);
        document.save(temporary.toFile());
      }
      try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
        channel.force(true);
      }
      Files.move(
          temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      return target;
    } finally {
      Files.deleteIfExists(temporary);
    }
  }
}
