package io.securetx.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.securetx.adapter.pdf.PdfText;
import io.securetx.adapter.sql.DatabaseUrl;
import io.securetx.adapter.sql.SqlLedgerStore;
import io.securetx.crypto.tink.TinkKeyRing;
import io.securetx.ledger.LedgerIntegrityException;
import io.securetx.ledger.LedgerIntegrityException.Reason;
import io.securetx.ledger.LedgerOptions;
import io.securetx.ledger.VerificationSummary;
import io.securetx.task.TaskContext;
import io.securetx.task.TaskRegistry;
import io.securetx.transaction.Money;
import io.securetx.transaction.TransactionLimits;
import io.securetx.transaction.UserId;
import io.securetx.vault.Receipt;
import io.securetx.vault.TransactionRequest;
import io.securetx.vault.Vault;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code generate_monthly_report} task end to end on an SQLite vault: transactions inserted at
 * chosen times, the task run, and the PDF read back by PDFBox and by poppler's {@code pdftotext};
 * every figure is checked against what the test inserted.
 */
class GenerateMonthlyReportTest {

  private static final TransactionLimits LIMITS = new TransactionLimits(new BigDecimal("1000000"));
  private static final Instant NOW = Instant.parse("2026-11-15T10:00:00Z");
  private static final Instant AUGUST = Instant.parse("2026-08-01T00:00:00Z");
  private static final Instant SEPTEMBER = Instant.parse("2026-09-01T00:00:00Z");
  private static final TaskContext TASK = new TaskContext("task-1", "generate_monthly_report", 0);

  record Row(Instant at, String user, String amount, String currency, String txId, long seq) {
    BigDecimal decimal() {
      return new BigDecimal(amount);
    }

    boolean inAugust() {
      return !at.isBefore(AUGUST) && at.isBefore(SEPTEMBER);
    }
  }

  @TempDir Path dir;

  private final TestClock clock = new TestClock(NOW);
  private final List<Row> rows = new ArrayList<>();
  private Vault vault;
  private Path reports;

  @BeforeEach
  void openVault() {
    reports = dir.resolve("reports");
    SqlLedgerStore store =
        SqlLedgerStore.open(DatabaseUrl.sqlite(dir.resolve("vault.db")), clock, Duration.ofDays(1));
    vault =
        new Vault(
            TinkKeyRing.generate(), store, clock, new LedgerOptions(64, 5, Duration.ofDays(1)));
  }

  @AfterEach
  void closeVault() {
    vault.close();
  }

  private GenerateMonthlyReport handler() {
    clock.set(NOW);
    return new GenerateMonthlyReport(() -> vault, reports, clock);
  }

  private void insert(String at, String user, String amount, String currency) {
    clock.set(Instant.parse(at));
    Receipt receipt =
        vault.process(
            new TransactionRequest(
                new UserId(user), Money.parse(amount, Money.currency(currency), LIMITS), null));
    rows.add(
        new Row(Instant.parse(at), user, amount, currency, receipt.txId(), receipt.ledgerSeq()));
  }

  private void insertKnownTransactions() {
    insert("2026-07-31T23:59:59.999999Z", "before-the-month", "999.99", "USD");
    insert("2026-08-01T00:00:00Z", "alice-in-wonderland", "10.00", "USD");
    insert("2026-08-01T12:00:00Z", "bob-the-banker", "5.50", "EUR");
    insert("2026-08-03T09:00:00Z", "carol.smith@example", "250.00", "USD");
    insert("2026-08-03T10:00:00Z", "dave-the-builder", "250.00", "USD");
    insert("2026-08-15T08:30:00Z", "alice-in-wonderland", "1500", "JPY");
    for (int i = 1; i <= 12; i++) {
      insert(
          String.format("2026-08-%02dT1%d:00:00Z", 4 + i, i % 10),
          "user-number-" + (i % 4),
          i + ".0" + (i % 10),
          "USD");
    }
    insert("2026-08-20T08:00:00Z", "bob-the-banker", "0.01", "EUR");
    insert("2026-08-21T08:00:00Z", "ünïcödé-用户", "42.00", "USD");
    insert("2026-08-31T23:59:59.999999Z", "zed-the-max-user", "1000000.00", "USD");
    insert("2026-09-01T00:00:00Z", "after-the-month", "77.77", "USD");
  }

  private List<Row> august(String currency) {
    return rows.stream().filter(Row::inAugust).filter(r -> r.currency().equals(currency)).toList();
  }

  private static void assertLine(String extractor, List<String> lines, String regex) {
    Pattern pattern = Pattern.compile(regex);
    assertThat(lines)
        .as(
            "%s text has a line matching %s; it has:%n%s",
            extractor, regex, String.join("\n", lines))
        .anyMatch(line -> pattern.matcher(line).matches());
  }

  private static String q(String text) {
    return Pattern.quote(text);
  }

  @Test
  void run_knownTransactions_pdfStatesEveryFigure() throws Exception {
    insertKnownTransactions();
    VerificationSummary verified = vault.verify();

    String path = handler().run(new GenerateMonthlyReport.Args("August"), TASK);

    assertThat(Path.of(path)).isAbsolute().hasFileName("report_2026-08.pdf").exists();
    assertThat(Path.of(path).getParent()).isEqualTo(reports.toAbsolutePath().normalize());
    for (int page = 0; page < PdfText.pages(Path.of(path)); page++) {
      PdfText.renderPage(
          Path.of(path),
          page,
          Path.of("target", "report-pages", "known-page" + (page + 1) + ".png"));
    }
    for (Map.Entry<String, List<String>> text : PdfText.both(Path.of(path)).entrySet()) {
      String x = text.getKey();
      List<String> lines = text.getValue();
      assertLine(x, lines, q("SECURETX - MONTHLY TRANSACTION REPORT"));
      assertLine(x, lines, q("August 2026"));
      assertLine(
          x,
          lines,
          q(
              "Period 2026-08-01 00:00:00 to 2026-08-31 23:59:59 UTC | generated 2026-11-15"
                  + " 10:00:00 UTC"));
      // The vault: every entry of every month, head hash and newest checkpoint.
      assertLine(x, lines, q("Vault verification: PASSED"));
      assertLine(x, lines, q(rows.size() + " entries verified, the whole vault:") + ".*");
      assertLine(x, lines, q(verified.headHash()));
      assertLine(
          x,
          lines,
          q("Latest checkpoint: seq " + verified.lastCheckpointSeq() + ", signed ")
              + ".*"
              + q(" UTC (" + verified.checkpoints() + " checkpoint signatures verified)."));
      // Counts and totals per currency (USD: 1,000,000.00 + 500.00 + 10.00 + 78.48 + 42.00).
      assertLine(x, lines, q("USD US Dollar 17 1,000,630.48 58,860.62"));
      assertLine(x, lines, q("EUR Euro 2 5.51 2.76"));
      assertLine(x, lines, q("JPY Japanese Yen 1 1,500 1,500"));
      assertLine(x, lines, q("20 transactions in 3 currencies.") + ".*");
      // The chart, one per currency, with the busiest day's volume over its bar.
      assertLine(x, lines, q("Daily volume, USD (UTC days)"));
      assertLine(x, lines, q("Daily volume, JPY (UTC days)"));
      assertLine(x, lines, ".*" + q("1M") + ".*");
      // The ten largest USD transactions, in order; ties go to the earlier one.
      List<Row> largest =
          august("USD").stream()
              .sorted(Comparator.comparing(Row::decimal).reversed().thenComparing(Row::at))
              .limit(10)
              .toList();
      String[] amounts = {
        "1,000,000.00",
        "250.00",
        "250.00",
        "42.00",
        "12.02",
        "11.01",
        "10.00",
        "10.00",
        "9.09",
        "8.08"
      };
      for (int i = 0; i < 10; i++) {
        Row r = largest.get(i);
        assertThat(r.decimal()).isEqualByComparingTo(amounts[i].replace(",", ""));
        assertLine(
            x,
            lines,
            q((i + 1) + " " + r.txId() + " ")
                + q(r.at().toString().substring(0, 19).replace('T', ' '))
                + q(" " + amounts[i] + " ")
                + "\\S+\\*\\*\\*\\S* [0-9a-f]{8}");
      }
      assertLine(x, lines, q("1 " + largest.get(0).txId()) + ".* ze\\*\\*\\*er [0-9a-f]{8}");
      assertLine(x, lines, q("2 " + largest.get(1).txId()) + ".* ca\\*\\*\\*le [0-9a-f]{8}");
      assertLine(x, lines, q("3 " + largest.get(2).txId()) + ".* da\\*\\*\\*er [0-9a-f]{8}");
      // WinAnsi cannot encode the CJK characters: they became "?".
      assertLine(x, lines, q("4 " + largest.get(3).txId()) + ".* ün\\*\\*\\*\\?\\? [0-9a-f]{8}");
      // Users by volume: exact, masked, with their counts.
      assertLine(x, lines, "1 ze\\*\\*\\*er [0-9a-f]{8} 1 " + q("1,000,000.00"));
      assertLine(x, lines, "2 ca\\*\\*\\*le [0-9a-f]{8} 1 " + q("250.00"));
      assertLine(x, lines, "3 da\\*\\*\\*er [0-9a-f]{8} 1 " + q("250.00"));
      // user-number-0: 4.04 + 8.08 + 12.02 = 24.14 over three transactions.
      assertLine(x, lines, "\\d+ us\\*\\*\\*-0 [0-9a-f]{8} 3 " + q("24.14"));
      assertLine(x, lines, "1 bo\\*\\*\\*er [0-9a-f]{8} 2 " + q("5.51"));
      assertLine(x, lines, "1 al\\*\\*\\*nd [0-9a-f]{8} 1 " + q("1,500"));
      assertLine(x, lines, q("Exact, over 9 distinct users.") + ".*");
      // Never a full user id, nor anything outside the month.
      for (Row r : rows) {
        assertThat(String.join("\n", lines)).doesNotContain(r.user());
      }
      assertThat(String.join("\n", lines)).doesNotContain("999.99").doesNotContain("77.77");
      assertThat(lines).noneMatch(l -> l.contains("FAILED"));
    }
  }

  @Test
  void run_emptyMonth_validReportSayingSo() throws Exception {
    insert("2026-07-10T10:00:00Z", "someone-else", "1.00", "USD");

    String path = handler().run(new GenerateMonthlyReport.Args("2026-08"), TASK);

    for (Map.Entry<String, List<String>> text : PdfText.both(Path.of(path)).entrySet()) {
      assertLine(text.getKey(), text.getValue(), q("No transactions in August 2026."));
      assertLine(text.getKey(), text.getValue(), q("Vault verification: PASSED"));
      assertLine(text.getKey(), text.getValue(), q("1 entries verified, the whole vault:") + ".*");
    }
    assertThat(PdfText.pages(Path.of(path))).isEqualTo(1);
  }

  @Test
  void run_tamperedEntry_reportStatesFailureAndTaskFails() throws Exception {
    insertKnownTransactions();
    long bad = rows.get(4).seq(); // dave's 250.00 USD on August 3rd
    flipByte("mac", bad);

    assertThatThrownBy(() -> handler().run(new GenerateMonthlyReport.Args("2026-08"), TASK))
        .isInstanceOfSatisfying(
            LedgerIntegrityException.class,
            e -> {
              assertThat(e.seq()).isEqualTo(bad);
              assertThat(e.reason()).isEqualTo(Reason.BROKEN_LINK);
              assertThat(e.getMessage()).contains(reports.resolve("report_2026-08.pdf").toString());
            });

    Path pdf = reports.resolve("report_2026-08.pdf");
    PdfText.renderPage(pdf, 0, Path.of("target", "report-pages", "tampered-page1.png"));
    for (Map.Entry<String, List<String>> text : PdfText.both(pdf).entrySet()) {
      String x = text.getKey();
      List<String> lines = text.getValue();
      assertLine(x, lines, q("Vault verification: FAILED"));
      assertLine(x, lines, q("First bad entry: seq " + bad + " - BROKEN_LINK:") + ".*");
      assertLine(x, lines, q((bad - 1) + " entries verified before it.") + ".*");
      assertLine(x, lines, ".*" + q("VAULT VERIFICATION FAILED - FIGURES INCOMPLETE") + ".*");
      // Only seq 2..4 were read: 10.00 USD, 5.50 EUR, 250.00 USD.
      assertLine(x, lines, q("USD US Dollar 2 260.00 130.00"));
      assertLine(x, lines, q("EUR Euro 1 5.50 5.50"));
      assertThat(lines).noneMatch(l -> l.contains("HEAD HASH"));
    }
  }

  @Test
  void run_badMonth_valueErrorAndNothingWritten() {
    for (String month : List.of("2026-13", "Augustus", "", "2026/08", "2027-01")) {
      assertThatThrownBy(() -> handler().run(new GenerateMonthlyReport.Args(month), TASK))
          .as(month)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("month: ");
    }
    assertThat(reports).doesNotExist();
  }

  @Test
  void run_twice_replacesTheReportAtomicallyLeavingNoTemporaryFile() throws Exception {
    insert("2026-08-10T10:00:00Z", "first-user-id", "1.00", "USD");
    String first = handler().run(new GenerateMonthlyReport.Args("2026-08"), TASK);
    insert("2026-08-11T10:00:00Z", "second-user-id", "2.00", "USD");

    String second = handler().run(new GenerateMonthlyReport.Args("Aug 2026"), TASK);

    assertThat(second).isEqualTo(first);
    try (Stream<Path> files = Files.list(reports)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("report_2026-08.pdf");
    }
    assertLine("PDFBox", PdfText.pdfbox(Path.of(second)), q("USD US Dollar 2 3.00 1.50"));
    if (Files.getFileStore(reports).supportsFileAttributeView("posix")) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(Path.of(second))))
          .isEqualTo("rw-------");
    }
  }

  @Test
  void run_reportDirIsAFile_failsWithIoErrorLeavingNothingBehind() throws Exception {
    Files.writeString(reports, "not a directory");
    insert("2026-08-10T10:00:00Z", "first-user-id", "1.00", "USD");

    assertThatThrownBy(() -> handler().run(new GenerateMonthlyReport.Args("2026-08"), TASK))
        .isInstanceOf(java.io.IOException.class)
        .hasMessageStartingWith("cannot write the report into " + reports + " (REPORT_DIR): ");
    assertThat(Files.readString(reports)).isEqualTo("not a directory");
  }

  @Test
  void registry_seedsPositionalCall_bindsMonthAndReturnsThePath() throws Exception {
    insert("2026-08-10T10:00:00Z", "first-user-id", "1.00", "USD");
    TaskRegistry registry =
        TaskRegistry.builder().register(GenerateMonthlyReport.NAME, handler()).build();
    ObjectMapper json = new ObjectMapper();

    // generate_monthly_report.delay("August"), and the keyword form.
    Object positional =
        registry
            .bind(
                GenerateMonthlyReport.NAME,
                json.createArrayNode().add("August"),
                json.createObjectNode())
            .run(TASK);
    Object keyword =
        registry
            .bind(
                GenerateMonthlyReport.NAME,
                json.createArrayNode(),
                json.createObjectNode().put("month", "2026-08"))
            .run(TASK);

    assertThat(positional)
        .isEqualTo(reports.resolve("report_2026-08.pdf").toAbsolutePath().toString());
    assertThat(keyword).isEqualTo(positional);
  }

  @Test
  void argumentType_isTheSeedsPositionalMonth() {
    assertThat(handler().argumentType().getRecordComponents())
        .extracting(java.lang.reflect.RecordComponent::getName)
        .containsExactly("month");
    assertThat(GenerateMonthlyReport.NAME).isEqualTo("generate_monthly_report");
  }

  private void flipByte(String column, long seq) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("vault.db"))) {
      byte[] value;
      try (PreparedStatement ps =
          c.prepareStatement("SELECT " + column + " FROM ledger_entry WHERE seq = ?")) {
        ps.setLong(1, seq);
        try (ResultSet rs = ps.executeQuery()) {
          assertThat(rs.next()).isTrue();
          value = rs.getBytes(1);
        }
      }
      value[value.length / 2] ^= 0x01;
      try (PreparedStatement ps =
          c.prepareStatement("UPDATE ledger_entry SET " + column + " = ? WHERE seq = ?")) {
        ps.setBytes(1, value);
        ps.setLong(2, seq);
        assertThat(ps.executeUpdate()).isEqualTo(1);
      }
    }
  }
}
