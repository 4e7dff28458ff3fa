package io.securetx.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.securetx.crypto.tink.TinkKeyRing;
import io.securetx.ledger.AppendOutcome;
import io.securetx.ledger.EntryOpener;
import io.securetx.ledger.ForwardingLedgerStore;
import io.securetx.ledger.LedgerIntegrityException;
import io.securetx.ledger.LedgerOptions;
import io.securetx.ledger.LedgerStore;
import io.securetx.ledger.LedgerStoreException;
import io.securetx.ledger.PendingEntry;
import io.securetx.transaction.Transaction;
import io.securetx.transaction.TransactionLimits;
import io.securetx.vault.RequestParser;
import io.securetx.vault.Vault;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an import must do on every vault: store every good row once, in file order, opened back to
 * the values in the file; refuse every bad row into the rejects file with nothing stored for it;
 * add nothing when run again; refuse a row whose key was used with another request; survive the
 * vault failing half-way. Subclassed per database.
 */
public abstract class ImportContract {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Importer.Progress QUIET = soFar -> {};

  @TempDir protected Path dir;

  private final TinkKeyRing keys = TinkKeyRing.generate();
  private final RequestParser parser =
      new RequestParser(TransactionLimits.DEFAULT, Currency.getInstance("USD"));
  private FlakyStore store;
  private Vault vault;

  /** A fresh, empty store. */
  protected abstract LedgerStore openStore(Clock clock);

  /** Drops what {@link #openStore} created, after the vault is closed. */
  protected void dropStore() {}

  @BeforeEach
  void openVault() {
    store = new FlakyStore(openStore(Clock.systemUTC()));
    vault = new Vault(keys, store, Clock.systemUTC(), LedgerOptions.DEFAULT);
  }

  @AfterEach
  void closeVault() {
    vault.close();
    dropStore();
  }

  private ImportSummary run(Path file, ImportFormat format, int batchSize) {
    return run(file, format, batchSize, String.valueOf(file.getFileName()));
  }

  private ImportSummary run(Path file, ImportFormat format, int batchSize, String source) {
    Importer importer =
        new Importer(vault, parser, new Importer.Settings(batchSize, 3, 2, Duration.ZERO));
    return importer.run(file, format, source, rejectsOf(file), QUIET);
  }

  private Path rejectsOf(Path file) {
    return dir.resolve(file.getFileName() + ".rejects");
  }

  private Path write(String name, String content) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, content, StandardCharsets.UTF_8);
    return file;
  }

  /** Every transaction in the vault, in chain order, opened and checked. */
  private List<String> stored() throws LedgerIntegrityException {
    EntryOpener opener = new EntryOpener(keys);
    List<String> out = new ArrayList<>();
    store.scan(
        1,
        entry -> {
          Transaction tx = opener.open(entry);
          out.add(tx.userId().value() + " " + tx.amount());
        });
    return out;
  }

  private static void assertCounts(
      ImportSummary summary, long accepted, long duplicates, long rejected) {
    assertThat(summary.failure()).isNull();
    assertThat(summary.accepted()).as("accepted").isEqualTo(accepted);
    assertThat(summary.duplicates()).as("duplicates").isEqualTo(duplicates);
    assertThat(summary.rejected()).as("rejected").isEqualTo(rejected);
    assertThat(summary.notStored()).as("not stored").isZero();
    assertThat(summary.rows()).isEqualTo(accepted + duplicates + rejected);
  }

  // --- happy paths ----------------------------------------------------------------------------

  @Test
  void csv_quotingBomCrlfAndBlankLines_storedInFileOrderAndOpenToTheirValues() throws Exception {
    Path file =
        write(
            "payments.csv",
            "\uFEFFamount,user_id,currency\r\n"
                + "100.00,123,\r\n"
                + "5,\"Doe, Jane\",EUR\r\n"
                + "\r\n"
                + "1500,佐藤,JPY\r\n"
                + "0.01,\"say \"\"hi\"\"\",GBP\r\n"
                + "7.5,\"two\nlines\",\r\n"
                + "1.234,bh,BHD\r\n");

    ImportSummary summary = run(file, ImportFormat.CSV, 2);

    // The quoted field spanning two lines is one record; a line break is no valid user id.
    assertCounts(summary, 5, 0, 1);
    assertThat(stored())
        .containsExactly(
            "123 100.00 USD",
            "Doe, Jane 5.00 EUR",
            "佐藤 1500 JPY",
            "say \"hi\" 0.01 GBP",
            "bh 1.234 BHD");
    List<List<String>> rejects = csvRecords(Files.readString(rejectsOf(file)));
    assertThat(rejects).hasSize(2);
    assertThat(rejects.get(1))
        .containsExactly(
            "7",
            "user_id.printable",
            "user_id: must not contain control or invisible characters (found U+000A)",
            "7.5,\"two\nlines\",");
    assertThat(vault.verify().entries()).isEqualTo(5);
  }

  @Test
  void jsonl_goodRows_stringsIntegersAndExactFloats() throws Exception {
    Path file =
        write(
            "payments.jsonl",
            "{\"user_id\": \"alice\", \"amount\": \"100.00\"}\n"
                + "{\"user_id\": 123, \"amount\": 100.0}\n"
                + "\n"
                + "{\"amount\": 19.99, \"user_id\": \"bob\", \"currency\": \"EUR\"}\n"
                + "{\"user_id\": \"carol\", \"amount\": 42, \"currency\": null,"
                + " \"idempotency_key\": null}\n"
                + "{\"user_id\": \"dave\", \"amount\": 1500, \"currency\": \"JPY\","
                + " \"idempotency_key\": \"order-9\"}\n");

    ImportSummary summary = run(file, ImportFormat.JSONL, 3);

    assertCounts(summary, 5, 0, 0);
    assertThat(stored())
        .containsExactly(
            "alice 100.00 USD",
            "123 100.00 USD",
            "bob 19.99 EUR",
            "carol 42.00 USD",
            "dave 1500 JPY");
    assertThat(vault.verify().entries()).isEqualTo(5);
  }

  // --- bad rows ---------------------------------------------------------------------------------

  @Test
  void csv_badRows_eachInRejectsWithItsRuleAndNothingStoredForIt() throws Exception {
    String[][] bad = {
      {"alice,abc,", "amount.format"},
      {"alice,-5.00,", "amount.positive"},
      {"alice,0,", "amount.positive"},
      {"alice,NaN,", "amount.finite"},
      {"alice,Infinity,", "amount.finite"},
      {"alice,1e3,", "amount.format"},
      {"alice,1.001,", "amount.scale"},
      {"alice,1000000.01,", "amount.maximum"},
      {"alice,,", "amount.required"},
      {"alice,1.00,usd", "currency.format"},
      {"alice,1.00,ABC", "currency.unknown"},
      {"alice,1.00,XAU", "currency.unsupported"},
      {",1.00,", "user_id.required"},
      {"x".repeat(129) + ",1.00,", "user_id.length"},
      {" alice,1.00,", "user_id.whitespace"},
      {"al\u0007ice,1.00,", "user_id.printable"},
      {"alice,1.00", "csv.columns"},
      {"alice,1.00,USD,extra", "csv.columns"},
      {"ali\"ce,1.00,", "csv.quote"},
      {"\"alice\"x,1.00,", "csv.quote"},
      {"\"unterminated,1.00,", "csv.quote"},
    };
    StringBuilder csv = new StringBuilder("user_id,amount,currency\n");
    csv.append("good-1,1.00,\n");
    for (String[] row : bad) {
      csv.append(row[0]).append('\n');
    }
    csv.append("good-2,2.00,\n");
    Path file = write("bad.csv", csv.toString());

    ImportSummary summary = run(file, ImportFormat.CSV, 4);

    assertCounts(summary, 2, 0, bad.length);
    assertThat(stored()).containsExactly("good-1 1.00 USD", "good-2 2.00 USD");
    assertThat(summary.rejectsFile()).isEqualTo(rejectsOf(file));
    List<List<String>> rejects = csvRecords(Files.readString(rejectsOf(file)));
    assertThat(rejects.get(0)).containsExactly("line", "rule", "reason", "row");
    assertThat(rejects).hasSize(bad.length + 1);
    for (int i = 0; i < bad.length; i++) {
      List<String> reject = rejects.get(i + 1);
      assertThat(reject.get(0)).as("line of %s", bad[i][0]).isEqualTo(Long.toString(i + 3));
      assertThat(reject.get(1)).as("rule of %s", bad[i][0]).isEqualTo(bad[i][1]);
      assertThat(reject.get(2)).isNotBlank();
      assertThat(reject.get(3)).as("raw row").isEqualTo(bad[i][0]);
    }
  }

  @Test
  void csv_invalidUtf8Row_refusedOthersStored() throws Exception {
    Path file = dir.resolve("latin1.csv");
    byte[] header = "user_id,amount\nok,1.00\n".getBytes(StandardCharsets.UTF_8);
    byte[] bad = {'J', 'o', 's', (byte) 0xE9, ',', '2', '.', '0', '0', '\n'};
    byte[] tail = "ok2,3.00\n".getBytes(StandardCharsets.UTF_8);
    Files.write(file, concat(header, bad, tail));

    ImportSummary summary = run(file, ImportFormat.CSV, 10);

    assertCounts(summary, 2, 0, 1);
    assertThat(stored()).containsExactly("ok 1.00 USD", "ok2 3.00 USD");
    List<List<String>> rejects = csvRecords(Files.readString(rejectsOf(file)));
    assertThat(rejects.get(1).subList(0, 2)).containsExactly("3", "encoding");
  }

  @Test
  void jsonl_badRows_eachInRejectsWithItsRuleAndNothingStoredForIt() throws Exception {
    String[][] bad = {
      {"{\"user_id\": \"a\", \"amount\": \"-1\"}", "amount.positive"},
      {"{\"user_id\": \"a\", \"amount\": 0.30000000000000004}", "amount.scale"},
      {"{\"user_id\": \"a\", \"amount\": 1.001}", "amount.scale"},
      {"{\"user_id\": \"a\", \"amount\": true}", "amount.type"},
      {"{\"user_id\": \"a\", \"amount\": null}", "amount.type"},
      {"{\"user_id\": \"a\", \"amount\": [1]}", "amount.type"},
      {"{\"user_id\": 1.5, \"amount\": \"1\"}", "user_id.type"},
      {"{\"user_id\": \"\", \"amount\": \"1\"}", "user_id.required"},
      {"{\"user_id\": \"a\"}", "json.missing"},
      {"{\"amount\": \"1\"}", "json.missing"},
      {"{\"user_id\": \"a\", \"amount\": \"1\", \"currency\": 840}", "json.type"},
      {"{\"user_id\": \"a\", \"amount\": \"1\", \"currency\": \"XXX\"}", "currency.unsupported"},
      {
        "{\"user_id\": \"a\", \"amount\": \"1\", \"idempotency_key\": \"\"}",
        "idempotency_key.required"
      },
      {
        "{\"user_id\": \"a\", \"amount\": \"1\", \"idempotency_key\": \"has space\"}",
        "idempotency_key.format"
      },
      {"{\"user_id\": \"a\", \"amount\": \"1\", \"note\": \"x\"}", "json.field"},
      {"{\"user_id\": \"a\", \"amount\": \"1\", \"amount\": \"2\"}", "json.syntax"},
      {"{\"user_id\": \"a\", \"amount\": \"1\"", "json.syntax"},
      {"{\"user_id\": \"a\", \"amount\": \"1\"} {}", "json.syntax"},
      {"[\"a\", \"1\"]", "json.type"},
      {"\"a,1\"", "json.type"},
      {"not json", "json.syntax"},
    };
    StringBuilder jsonl = new StringBuilder();
    jsonl.append("{\"user_id\": \"good-1\", \"amount\": \"1.00\"}\n");
    for (String[] row : bad) {
      jsonl.append(row[0]).append('\n');
    }
    jsonl.append("{\"user_id\": \"good-2\", \"amount\": 2}\n");
    Path file = write("bad.jsonl", jsonl.toString());

    ImportSummary summary = run(file, ImportFormat.JSONL, 5);

    assertCounts(summary, 2, 0, bad.length);
    assertThat(stored()).containsExactly("good-1 1.00 USD", "good-2 2.00 USD");
    List<String> lines = Files.readAllLines(rejectsOf(file));
    assertThat(lines).hasSize(bad.length);
    for (int i = 0; i < bad.length; i++) {
      JsonNode reject = JSON.readTree(lines.get(i));
      assertThat(reject.get("line").asLong()).as("line of %s", bad[i][0]).isEqualTo(i + 2);
      assertThat(reject.get("rule").asText()).as("rule of %s", bad[i][0]).isEqualTo(bad[i][1]);
      assertThat(reject.get("reason").asText()).isNotBlank();
      assertThat(reject.get("row").asText()).isEqualTo(bad[i][0]);
    }
  }

  @Test
  void csv_unknownColumnOrNoHeader_refusedWholeAndNothingStored() throws Exception {
    Path typo = write("typo.csv", "user_id,ammount\nalice,1.00\n");
    Path empty = write("empty.csv", "");
    Path missing = write("missing.csv", "user_id,currency\nalice,USD\n");
    Path twice = write("twice.csv", "user_id,amount,amount\nalice,1.00,2.00\n");

    assertThatThrownBy(() -> run(typo, ImportFormat.CSV, 10))
        .isInstanceOf(ImportFileException.class)
        .hasMessageContaining("unknown column 'ammount'");
    assertThatThrownBy(() -> run(empty, ImportFormat.CSV, 10))
        .isInstanceOf(ImportFileException.class)
        .hasMessageContaining("empty");
    assertThatThrownBy(() -> run(missing, ImportFormat.CSV, 10))
        .isInstanceOf(ImportFileException.class)
        .hasMessageContaining("user_id and amount");
    assertThatThrownBy(() -> run(twice, ImportFormat.CSV, 10))
        .isInstanceOf(ImportFileException.class)
        .hasMessageContaining("twice");
    assertThat(stored()).isEmpty();
    assertThat(rejectsOf(typo)).doesNotExist();
  }

  // --- reruns and keys --------------------------------------------------------------------------

  @Test
  void rerun_sameFile_addsNothingAndCountsDuplicates() throws Exception {
    Path file =
        write(
            "daily.csv",
            "user_id,amount,idempotency_key\n"
                + "alice,1.00,\n"
                + "bob,2.00,order-2\n"
                + "carol,oops,\n"
                + "dave,4.00,\n");
    ImportSummary first = run(file, ImportFormat.CSV, 2);

    ImportSummary second = run(file, ImportFormat.CSV, 3);

    assertCounts(first, 3, 0, 1);
    assertCounts(second, 0, 3, 1);
    assertThat(stored()).containsExactly("alice 1.00 USD", "bob 2.00 USD", "dave 4.00 USD");
  }

  @Test
  void rerun_fixedRejectedRowInPlace_storesOnlyThatRow() throws Exception {
    Path file = write("fix.csv", "user_id,amount\nalice,1.00\ncarol,3.0.0\ndave,4.00\n");
    run(file, ImportFormat.CSV, 10);
    Files.writeString(file, "user_id,amount\nalice,1.00\ncarol,3.00\ndave,4.00\n");

    ImportSummary second = run(file, ImportFormat.CSV, 10);

    assertCounts(second, 1, 2, 0);
    assertThat(stored()).containsExactly("alice 1.00 USD", "dave 4.00 USD", "carol 3.00 USD");
  }

  @Test
  void rerun_editedStoredRow_isAConflictNotASecondTransaction() throws Exception {
    Path file = write("edit.csv", "user_id,amount\nalice,1.00\nbob,2.00\n");
    run(file, ImportFormat.CSV, 10);
    Files.writeString(file, "user_id,amount\nalice,1.00\nbob,20.00\n");

    ImportSummary second = run(file, ImportFormat.CSV, 10);

    assertCounts(second, 0, 1, 1);
    assertThat(stored()).containsExactly("alice 1.00 USD", "bob 2.00 USD");
    List<List<String>> rejects = csvRecords(Files.readString(rejectsOf(file)));
    assertThat(rejects.get(1).subList(0, 2)).containsExactly("3", "idempotency_key.conflict");
    assertThat(rejects.get(1).get(2))
        .contains(Importer.derivedKey("edit.csv", 3))
        .contains("different request");
  }

  @Test
  void sameContent_otherSourceName_isANewImport() throws Exception {
    Path file = write("a.csv", "user_id,amount\nalice,1.00\n");
    run(file, ImportFormat.CSV, 10, "batch-2026-11-27");

    ImportSummary again = run(file, ImportFormat.CSV, 10, "batch-2026-11-28");
    ImportSummary rerun = run(file, ImportFormat.CSV, 10, "batch-2026-11-28");

    assertCounts(again, 1, 0, 0);
    assertCounts(rerun, 0, 1, 0);
    assertThat(stored()).containsExactly("alice 1.00 USD", "alice 1.00 USD");
  }

  @Test
  void explicitKeys_usedBeforeWithOtherRequest_rejected_sameRequestDuplicate() throws Exception {
    Path file =
        write(
            "keys.jsonl",
            "{\"user_id\": \"alice\", \"amount\": \"1.00\", \"idempotency_key\": \"k-1\"}\n"
                + "{\"user_id\": \"alice\", \"amount\": \"1.00\", \"idempotency_key\": \"k-1\"}\n"
                + "{\"user_id\": \"mallory\", \"amount\": \"9.00\", \"idempotency_key\": \"k-1\"}\n"
                + "{\"user_id\": \"bob\", \"amount\": \"2.00\", \"idempotency_key\": \"k-2\"}\n");

    ImportSummary summary = run(file, ImportFormat.JSONL, 10);

    assertCounts(summary, 2, 1, 1);
    assertThat(stored()).containsExactly("alice 1.00 USD", "bob 2.00 USD");
    JsonNode reject = JSON.readTree(Files.readAllLines(rejectsOf(file)).get(0));
    assertThat(reject.get("line").asLong()).isEqualTo(3);
    assertThat(reject.get("rule").asText()).isEqualTo("idempotency_key.conflict");
  }

  @Test
  void manyRows_largeBatches_storedOnceAndRerunReplaysAll() throws Exception {
    int rows = 10_000;
    StringBuilder csv = new StringBuilder("user_id,amount,currency\n");
    for (int i = 0; i < rows; i++) {
      csv.append("user-")
          .append(i % 97)
          .append(',')
          .append(1 + i % 5000)
          .append('.')
          .append(String.format("%02d", i % 100))
          .append(",EUR\n");
    }
    Path file = write("many.csv", csv.toString());

    ImportSummary first = run(file, ImportFormat.CSV, 4096);
    ImportSummary second = run(file, ImportFormat.CSV, 1000);

    assertCounts(first, rows, 0, 0);
    assertCounts(second, 0, rows, 0);
    List<String> stored = stored();
    assertThat(stored).hasSize(rows);
    assertThat(stored.get(0)).isEqualTo("user-0 1.00 EUR");
    assertThat(stored.get(rows - 1)).isEqualTo("user-8 5000.99 EUR");
    assertThat(vault.verify().entries()).isEqualTo(rows);
  }

  // --- failure ----------------------------------------------------------------------------------

  @Test
  void vaultFailsHalfWay_importStopsReportsIt_andRerunStoresTheRestOnce() throws Exception {
    StringBuilder csv = new StringBuilder("user_id,amount\n");
    for (int i = 1; i <= 40; i++) {
      csv.append("u").append(i).append(',').append(i).append(".00\n");
    }
    Path file = write("half.csv", csv.toString());
    store.failAfterRows.set(10); // once 10 rows are stored, every commit fails

    ImportSummary broken = run(file, ImportFormat.CSV, 5);

    assertThat(broken.failure()).isInstanceOf(LedgerStoreException.class);
    assertThat(broken.notStored()).isPositive();
    assertThat(broken.accepted()).isBetween(10L, 35L).isEqualTo(stored().size());
    assertThat(broken.rows()).isEqualTo(broken.accepted() + broken.notStored());

    store.failAfterRows.set(Integer.MAX_VALUE);
    ImportSummary rerun = run(file, ImportFormat.CSV, 7);

    assertCounts(rerun, 40 - broken.accepted(), broken.accepted(), 0);
    List<String> stored = stored();
    assertThat(stored).hasSize(40).doesNotHaveDuplicates();
    assertThat(vault.verify().entries()).isEqualTo(40);
  }

  // --- helpers ----------------------------------------------------------------------------------

  private static byte[] concat(byte[]... parts) {
    int n = 0;
    for (byte[] p : parts) {
      n += p.length;
    }
    byte[] all = new byte[n];
    int at = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, all, at, p.length);
      at += p.length;
    }
    return all;
  }

  /** Reads RFC 4180 CSV (the rejects file) into records. */
  static List<List<String>> csvRecords(String text) {
    List<List<String>> records = new ArrayList<>();
    List<String> record = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (quoted) {
        if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
          field.append('"');
          i++;
        } else if (c == '"') {
          quoted = false;
        } else {
          field.append(c);
        }
      } else if (c == '"') {
        quoted = true;
      } else if (c == ',') {
        record.add(field.toString());
        field.setLength(0);
      } else if (c == '\n') {
        record.add(field.toString());
        field.setLength(0);
        records.add(record);
        record = new ArrayList<>();
      } else {
        field.append(c);
      }
    }
    return records;
  }

  /** The real store, which can be told to fail commits as an unreachable database does. */
  private static final class FlakyStore extends ForwardingLedgerStore {
    final AtomicInteger failAfterRows = new AtomicInteger(Integer.MAX_VALUE);
    final AtomicInteger rows = new AtomicInteger();

    FlakyStore(LedgerStore delegate) {
      super(delegate);
    }

    @Override
    public List<AppendOutcome> append(List<PendingEntry> batch, ChainExtender extender) {
      if (rows.get() >= failAfterRows.get()) {
        throw new LedgerStoreException("cannot append to the vault: connection refused");
      }
      List<AppendOutcome> outcomes = super.append(batch, extender);
      rows.addAndGet(batch.size());
      return outcomes;
    }
  }
}
