package io.securetx.adapter.cli;

import static io.securetx.adapter.cli.CliRun.expect;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.securetx.adapter.pdf.PdfText;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code securetx report MONTH} over the real composition root and an SQLite vault whose
 * transactions were processed, through the CLI, at chosen times.
 */
class ReportCliTest {

  private static final Clock NOVEMBER = at("2026-11-15T10:00:00Z");

  @TempDir Path dataDir;

  private static Clock at(String instant) {
    return Clock.fixed(Instant.parse(instant), ZoneOffset.UTC);
  }

  private Map<String, String> env() {
    Map<String, String> env = new HashMap<>();
    env.put("SECURETX_DATA_DIR", dataDir.toString());
    return env;
  }

  private String process(String when, String user, String amount, String currency) {
    return expect(
            ExitCodes.OK,
            CliRun.run(
                env(),
                at(when),
                "process",
                "--user-id",
                user,
                "--amount",
                amount,
                "--currency",
                currency,
                "--json"))
        .json()
        .get("tx_id")
        .asText();
  }

  private CliRun report(String... args) {
    String[] full = new String[args.length + 1];
    full[0] = "report";
    System.arraycopy(args, 0, full, 1, args.length);
    return CliRun.run(env(), NOVEMBER, full);
  }

  private void processSomeMonths() {
    process("2026-07-31T23:00:00Z", "july-customer-1", "999.00", "USD");
    process("2026-08-02T10:00:00Z", "customer-one", "100.00", "USD");
    process("2026-08-20T10:00:00Z", "customer-two", "250.00", "USD");
    process("2026-08-21T10:00:00Z", "customer-one", "7.25", "EUR");
    process("2026-10-01T10:00:00Z", "october-customer", "1.00", "USD");
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
  void report_bareMonthName_writesTheMostRecentAugustAndPrintsItsPath() throws Exception {
    processSomeMonths();

    CliRun run = expect(ExitCodes.OK, report("August"));

    Path pdf =
        dataDir.resolve("reports").resolve("report_2026-08.pdf").toAbsolutePath().normalize();
    assertThat(run.out())
        .startsWith("Report on August 2026 written to " + pdf + "\n")
        .contains("  USD  2 transactions, total 350.00\n")
        .contains("  EUR  1 transaction, total 7.25\n")
        .contains("Vault OK: 5 entries verified");
    assertThat(pdf).exists();
    for (Map.Entry<String, List<String>> text : PdfText.both(pdf).entrySet()) {
      assertLine(text.getKey(), text.getValue(), Pattern.quote("USD US Dollar 2 350.00 175.00"));
      assertLine(text.getKey(), text.getValue(), Pattern.quote("EUR Euro 1 7.25 7.25"));
      assertLine(text.getKey(), text.getValue(), "1 cu\\*\\*\\*wo [0-9a-f]{8} 1 250\\.00");
      assertLine(text.getKey(), text.getValue(), "2 cu\\*\\*\\*ne [0-9a-f]{8} 1 100\\.00");
    }
  }

  @Test
  void report_json_machineReadableWithTheVerifiedHead() {
    processSomeMonths();
    String head =
        expect(ExitCodes.OK, CliRun.run(env(), NOVEMBER, "verify", "--json"))
            .json()
            .get("head_hash")
            .asText();

    JsonNode json = expect(ExitCodes.OK, report("2026-08", "--json")).json();

    assertThat(json.get("status").asText()).isEqualTo("success");
    assertThat(json.get("month").asText()).isEqualTo("2026-08");
    assertThat(json.get("path").asText()).endsWith("report_2026-08.pdf");
    assertThat(json.get("transactions").asLong()).isEqualTo(3);
    assertThat(json.get("complete").asBoolean()).isTrue();
    assertThat(json.get("currencies").get(0).get("currency").asText()).isEqualTo("USD");
    assertThat(json.get("currencies").get(0).get("total").asText()).isEqualTo("350.00");
    assertThat(json.get("currencies").get(1).get("total").asText()).isEqualTo("7.25");
    assertThat(json.get("verification").get("entries").asLong()).isEqualTo(5);
    assertThat(json.get("verification").get("head_hash").asText()).isEqualTo(head);
  }

  @Test
  void report_reportDirSet_writesThere() {
    processSomeMonths();
    Path elsewhere = dataDir.resolve("published").resolve("monthly");
    Map<String, String> env = env();
    env.put("REPORT_DIR", elsewhere.toString());

    CliRun run = expect(ExitCodes.OK, CliRun.run(env, NOVEMBER, "report", "Oct 2026"));

    assertThat(elsewhere.resolve("report_2026-10.pdf")).exists();
    assertThat(run.out()).contains(elsewhere.resolve("report_2026-10.pdf").toString());
    assertThat(dataDir.resolve("reports")).doesNotExist();
  }

  @Test
  void report_emptyMonth_succeedsSayingSo() throws Exception {
    processSomeMonths();

    CliRun run = expect(ExitCodes.OK, report("2026-09"));

    assertThat(run.out()).contains("  No transactions in September 2026.");
    assertLine(
        "PDFBox",
        PdfText.pdfbox(dataDir.resolve("reports").resolve("report_2026-09.pdf")),
        Pattern.quote("No transactions in September 2026."));
  }

  @Test
  void report_monthInProgress_saysSo() {
    process("2026-11-02T10:00:00Z", "customer-one", "1.00", "USD");

    CliRun run = expect(ExitCodes.OK, report("November"));

    assertThat(run.out())
        .contains("The month is still in progress: figures up to 2026-11-15T10:00:00Z.");
  }

  @ParameterizedTest(name = "\"{0}\"")
  @ValueSource(strings = {"2026-13", "Augustus", "2026/08", "", "2027-01", "December 2026"})
  void report_badMonth_exit2AndNothingWritten(String month) {
    processSomeMonths();

    CliRun run = expect(ExitCodes.USAGE, report(month));

    assertThat(run.err()).startsWith("error: month: ");
    assertThat(run.out()).isEmpty();
    assertThat(dataDir.resolve("reports")).doesNotExist();
  }

  @Test
  void report_noMonth_usageError() {
    CliRun run = expect(ExitCodes.USAGE, report());

    assertThat(run.err()).contains("MONTH");
  }

  @Test
  void report_noVault_exit6AndNoVaultCreated() {
    CliRun run = expect(ExitCodes.UNAVAILABLE, report("2026-08"));

    assertThat(run.err()).contains("no vault");
    assertThat(dataDir.resolve("vault.db")).doesNotExist();
    assertThat(dataDir.resolve("reports")).doesNotExist();
  }

  @Test
  void report_tamperedVault_exit1NamingSeqAndTheReportThatStatesIt() throws Exception {
    processSomeMonths();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("vault.db"));
        PreparedStatement ps =
            c.prepareStatement(
                "UPDATE ledger_entry SET created_at = created_at + 1 WHERE seq = 3")) {
      assertThat(ps.executeUpdate()).isEqualTo(1);
    }

    CliRun run = expect(ExitCodes.INTEGRITY, report("August", "--json"));

    Path pdf =
        dataDir.resolve("reports").resolve("report_2026-08.pdf").toAbsolutePath().normalize();
    assertThat(run.err())
        .startsWith("error: ledger verification failed at seq 3: BROKEN_LINK: ")
        .contains("the report " + pdf + " states the failure");
    assertThat(run.out()).isEmpty();
    assertThat(String.join("\n", PdfText.pdfbox(pdf)))
        .contains("Vault verification: FAILED")
        .contains("First bad entry: seq 3 - BROKEN_LINK");
  }

  @Test
  void help_listsTheReportCommand() {
    CliRun run = expect(ExitCodes.OK, CliRun.run(env(), NOVEMBER, "--help"));

    assertThat(run.out()).contains("report");
    assertThat(Files.exists(dataDir.resolve("reports"))).isFalse();
  }
}
