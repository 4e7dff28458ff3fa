package io.securetx.adapter.pdf;

import static org.assertj.core.api.Assertions.assertThat;

import io.securetx.ledger.LedgerIntegrityException.Reason;
import io.securetx.report.MonthlyReport;
import io.securetx.report.MonthlyReport.CurrencySummary;
import io.securetx.report.MonthlyReport.DayVolume;
import io.securetx.report.MonthlyReport.LargeTransaction;
import io.securetx.report.MonthlyReport.UserRanking;
import io.securetx.report.MonthlyReport.UserVolume;
import io.securetx.report.MonthlyReport.VaultStatus;
import io.securetx.report.ReportMonth;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The renderer on reports built by hand, for the shapes a small vault does not produce: an
 * approximate user ranking, many currencies over several pages, a month in progress, text the
 * standard fonts cannot encode.
 */
class PdfReportWriterTest {

  private static final ReportMonth FEBRUARY = new ReportMonth(YearMonth.of(2024, 2));
  private static final VaultStatus OK =
      new VaultStatus(
          true,
          1_000_000,
          "ab".repeat(32),
          1_000,
          1_000_000,
          Instant.parse("2024-03-01T00:00:00Z"),
          null);

  @TempDir Path dir;

  private static CurrencySummary currency(String code, boolean exact) {
    Currency currency = Currency.getInstance(code);
    int digits = currency.getDefaultFractionDigits();
    List<DayVolume> days = new ArrayList<>();
    for (int d = 1; d <= 29; d++) {
      days.add(
          new DayVolume(FEBRUARY.value().atDay(d), d, BigDecimal.valueOf(d * 123_456L, digits)));
    }
    List<LargeTransaction> largest = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      largest.add(
          new LargeTransaction(
              "tx_0190" + i + "abc-0000-7000-8000-00000000000" + i,
              Instant.parse("2024-02-10T10:00:00Z").plusSeconds(i),
              BigDecimal.valueOf(1_000_000L - i, digits),
              "us***" + i,
              String.format("%08x", i)));
    }
    List<UserVolume> users = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      users.add(
          new UserVolume(
              "ab***" + i,
              String.format("%08x", i),
              exact ? i + 1 : -1,
              BigDecimal.valueOf(900_000L - i, digits)));
    }
    UserRanking ranking =
        new UserRanking(
            users,
            exact,
            exact ? 10 : 2_000,
            exact ? BigDecimal.ZERO : BigDecimal.valueOf(4_321, digits));
    return new CurrencySummary(
        currency, 406, BigDecimal.valueOf(406 * 123_456L, digits), days, largest, ranking);
  }

  private static void assertLine(String extractor, List<String> lines, String regex) {
    Pattern pattern = Pattern.compile(regex);
    assertThat(lines)
        .as(
            "%s text has a line matching %s; it has:%n%s",
            extractor, regex, String.join("\n", lines))
        .anyMatch(line -> pattern.matcher(line).matches());
  }

  @Test
  void write_approximateRanking_saysSoWithTheBound() throws Exception {
    MonthlyReport report =
        new MonthlyReport(
            FEBRUARY,
            Instant.parse("2024-03-02T08:00:00Z"),
            true,
            406,
            List.of(currency("USD", false)),
            OK);

    Path pdf = new PdfReportWriter().write(report, dir);

    assertThat(pdf).isEqualTo(dir.resolve("report_2024-02.pdf"));
    for (Map.Entry<String, List<String>> text : PdfText.both(pdf).entrySet()) {
      String x = text.getKey();
      List<String> lines = text.getValue();
      assertLine(x, lines, Pattern.quote("February 2024"));
      assertLine(x, lines, ".*Volume \\(upper bound\\)");
      assertLine(x, lines, "1 ab\\*\\*\\*0 00000000 - " + Pattern.quote("9,000.00"));
      assertLine(x, lines, "APPROXIMATE: more distinct users than the report tracks exactly;.*");
      assertThat(String.join(" ", lines))
          .contains("Space-Saving, 2,000 counters")
          .contains("at most 43.21 USD above it");
      assertLine(x, lines, Pattern.quote("1,000,000 entries verified, the whole vault:") + ".*");
      assertLine(
          x,
          lines,
          Pattern.quote(
              "Latest checkpoint: seq 1,000,000, signed 2024-03-01 00:00:00 UTC (1,000 checkpoint signatures verified)."));
    }
  }

  @Test
  void write_manyCurrencies_continuesOverNumberedPages() throws Exception {
    List<CurrencySummary> currencies = new ArrayList<>();
    for (String code : List.of("USD", "EUR", "JPY", "GBP", "CHF", "BHD")) {
      currencies.add(currency(code, true));
    }
    MonthlyReport report =
        new MonthlyReport(
            FEBRUARY, Instant.parse("2024-02-20T08:00:00Z"), false, 6 * 406, currencies, OK);

    Path pdf = new PdfReportWriter().write(report, dir);

    int pages = PdfText.pages(pdf);
    assertThat(pages).isGreaterThanOrEqualTo(6);
    for (int page = 0; page < pages; page++) {
      PdfText.renderPage(
          pdf, page, Path.of("target", "report-pages", "many-page" + (page + 1) + ".png"));
    }
    List<String> lines = PdfText.pdfbox(pdf);
    assertLine(
        "PDFBox",
        lines,
        Pattern.quote("securetx monthly report 2024-02 page " + pages + " of " + pages));
    assertLine(
        "PDFBox",
        lines,
        Pattern.quote(
            "Month in progress: the figures cover transactions up to the time of generation."));
    // BHD has three decimals, JPY none.
    assertLine("PDFBox", lines, Pattern.quote("BHD Bahraini Dinar 406 50,123.136 123.456"));
    assertLine("PDFBox", lines, Pattern.quote("JPY Japanese Yen 406 50,123,136 123,456"));
    for (String code : List.of("USD", "EUR", "JPY", "GBP", "CHF", "BHD")) {
      assertLine("PDFBox", lines, Pattern.quote("Daily volume, " + code + " (UTC days)"));
      assertLine("PDFBox", lines, Pattern.quote("Users by volume, " + code));
    }
  }

  @Test
  void write_unencodableAndControlCharacters_replacedNotRefused() throws Exception {
    CurrencySummary usd = currency("USD", true);
    List<LargeTransaction> largest = new ArrayList<>(usd.largest());
    largest.set(
        0, new LargeTransaction("tx_x", Instant.EPOCH, BigDecimal.TEN, "用户\u0007€é", "00000000"));
    MonthlyReport report =
        new MonthlyReport(
            FEBRUARY,
            Instant.parse("2024-03-02T08:00:00Z"),
            true,
            1,
            List.of(
                new CurrencySummary(
                    usd.currency(), usd.count(), usd.total(), usd.days(), largest, usd.users())),
            new VaultStatus(
                false,
                41,
                null,
                0,
                0,
                null,
                new MonthlyReport.Failure(42, Reason.MAC_MISMATCH, "MAC does not verify")));

    Path pdf = new PdfReportWriter().write(report, dir);

    for (Map.Entry<String, List<String>> text : PdfText.both(pdf).entrySet()) {
      assertLine(text.getKey(), text.getValue(), ".* \\?\\?\\?€é 00000000");
      assertLine(
          text.getKey(),
          text.getValue(),
          Pattern.quote("First bad entry: seq 42 - MAC_MISMATCH: MAC does not verify."));
    }
  }

  @Test
  void write_failingDirectory_leavesNoTemporaryFile() throws Exception {
    MonthlyReport report =
        new MonthlyReport(FEBRUARY, Instant.parse("2024-03-02T08:00:00Z"), true, 0, List.of(), OK);
    Path target = dir.resolve("report_2024-02.pdf");
    Files.createDirectory(target); // a directory where the file should go: the move must fail

    try {
      new PdfReportWriter().write(report, dir);
    } catch (java.io.IOException expected) {
      // as intended
    }

    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("report_2024-02.pdf");
    }
    assertThat(target).isDirectory();
  }

  @Test
  void fileName_isReportUnderscoreIsoMonth() {
    assertThat(PdfReportWriter.fileName(FEBRUARY)).isEqualTo("report_2024-02.pdf");
  }
}
