package io.securetx.adapter.cli;

import static io.securetx.adapter.cli.CliRun.expect;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code securetx import} through the real command line and composition root, on SQLite. */
class ImportCliTest {

  @TempDir Path dataDir;
  @TempDir Path files;

  private Map<String, String> env() {
    Map<String, String> env = new HashMap<>();
    env.put("SECURETX_DATA_DIR", dataDir.toString());
    return env;
  }

  private CliRun run(String... args) {
    return CliRun.run(env(), args);
  }

  private Path write(String name, String content) throws IOException {
    Path file = files.resolve(name);
    Files.writeString(file, content, StandardCharsets.UTF_8);
    return file;
  }

  private long entries() {
    return expect(ExitCodes.OK, run("verify", "--json")).json().get("entries").asLong();
  }

  @Test
  void import_allRowsGood_exit0SummaryAndVaultVerifies() throws IOException {
    Path file = write("pay.csv", "user_id,amount,currency\nalice,1.00,\nbob,2.50,EUR\n");

    CliRun run = expect(ExitCodes.OK, run("import", file.toString(), "--no-progress"));

    assertThat(run.out())
        .startsWith("Imported " + file + ": 2 rows: 2 accepted, 0 duplicates, 0 rejected in ")
        .contains(" rows/s)");
    assertThat(run.err()).isEmpty();
    assertThat(files.resolve("pay.rejects.csv")).doesNotExist();
    assertThat(entries()).isEqualTo(2);
  }

  @Test
  void import_someRowsRejected_exit9JsonSummaryAndRejectsBesideTheFile() throws IOException {
    Path file =
        write(
            "pay.jsonl",
            "{\"user_id\": \"alice\", \"amount\": \"1.00\"}\n"
                + "{\"user_id\": \"bob\", \"amount\": -2}\n"
                + "{\"user_id\": \"carol\", \"amount\": 3}\n");

    CliRun run = expect(ExitCodes.REJECTED, run("import", file.toString(), "--json"));

    JsonNode summary = run.json();
    assertThat(summary.get("status").asText()).isEqualTo("rejected");
    assertThat(summary.get("rows").asLong()).isEqualTo(3);
    assertThat(summary.get("accepted").asLong()).isEqualTo(2);
    assertThat(summary.get("duplicates").asLong()).isZero();
    assertThat(summary.get("rejected").asLong()).isEqualTo(1);
    assertThat(summary.get("not_stored").asLong()).isZero();
    assertThat(summary.get("rows_per_second").asLong()).isPositive();
    Path rejects = files.resolve("pay.rejects.jsonl");
    assertThat(summary.get("rejects_file").asText()).isEqualTo(rejects.toString());
    assertThat(Files.readString(rejects))
        .contains("\"line\":2")
        .contains("\"rule\":\"amount.positive\"");
    assertThat(entries()).isEqualTo(2);
  }

  @Test
  void import_rerun_exit0AllDuplicatesNothingAdded() throws IOException {
    Path file = write("pay.csv", "user_id,amount\nalice,1.00\nbob,2.00\n");
    expect(ExitCodes.OK, run("import", file.toString(), "--json"));

    JsonNode again = expect(ExitCodes.OK, run("import", file.toString(), "--json")).json();

    assertThat(again.get("status").asText()).isEqualTo("ok");
    assertThat(again.get("accepted").asLong()).isZero();
    assertThat(again.get("duplicates").asLong()).isEqualTo(2);
    assertThat(entries()).isEqualTo(2);
  }

  @Test
  void import_rejectsOptionAndFormatOption_usedAsGiven() throws IOException {
    Path file = write("pay.txt", "user_id,amount\nalice,1.0.0\n");
    Path rejects = files.resolve("out/bad-rows.csv");
    Files.createDirectories(rejects.getParent());

    CliRun run =
        expect(
            ExitCodes.REJECTED,
            run("import", file.toString(), "--format", "csv", "--rejects", rejects.toString()));

    assertThat(run.out()).contains("Rejected rows, with the reason for each: " + rejects);
    assertThat(Files.readString(rejects)).startsWith("line,rule,reason,row\n2,amount.format,");
  }

  @Test
  void import_unknownExtensionOrFormat_exit2NothingStored() throws IOException {
    Path file = write("pay.xlsx", "user_id,amount\nalice,1.00\n");

    CliRun unknown = expect(ExitCodes.USAGE, run("import", file.toString()));
    CliRun badFormat = expect(ExitCodes.USAGE, run("import", file.toString(), "--format", "xml"));

    assertThat(unknown.err()).contains("--format csv or --format jsonl");
    assertThat(badFormat.err()).contains("--format must be csv or jsonl");
    assertThat(dataDir.resolve("vault.db")).doesNotExist();
  }

  @Test
  void import_missingFile_exit2() {
    CliRun run = expect(ExitCodes.USAGE, run("import", files.resolve("nope.csv").toString()));

    assertThat(run.err()).contains("no such file");
  }

  @Test
  void import_badHeader_exit2NoRejectsFileNothingStored() throws IOException {
    Path file = write("pay.csv", "user,amount\nalice,1.00\n");

    CliRun run = expect(ExitCodes.USAGE, run("import", file.toString()));

    assertThat(run.err()).contains("unknown column 'user'");
    assertThat(files.resolve("pay.rejects.csv")).doesNotExist();
    assertThat(entries()).isZero();
  }

  @Test
  void import_rejectsFileNotWritable_exit2NothingStored() throws IOException {
    Path file = write("pay.csv", "user_id,amount\nalice,1.00\n");
    Path rejects = files.resolve("no-such-dir/rejects.csv");

    CliRun run =
        expect(ExitCodes.USAGE, run("import", file.toString(), "--rejects", rejects.toString()));

    assertThat(run.err()).contains("cannot write the rejects file");
    assertThat(entries()).isZero();
  }

  @Test
  void import_vaultUnreachable_exit6() throws IOException {
    Path file = write("pay.csv", "user_id,amount\nalice,1.00\n");
    Map<String, String> env = env();
    env.put("DB_URL", "postgres://u:pw-SECRET-9@127.0.0.1:1/db?connectTimeout=1");

    CliRun run = expect(ExitCodes.UNAVAILABLE, CliRun.run(env, "import", file.toString()));

    assertThat(run.err()).doesNotContain("pw-SECRET-9");
  }

  @Test
  void import_emptyApiKey_exit3NothingStored() throws IOException {
    Path file = write("pay.csv", "user_id,amount\nalice,1.00\n");
    Map<String, String> env = env();
    env.put("API_KEY_V1", "");

    expect(ExitCodes.CONFIG, CliRun.run(env, "import", file.toString()));

    assertThat(dataDir.resolve("vault.db")).doesNotExist();
  }
}
