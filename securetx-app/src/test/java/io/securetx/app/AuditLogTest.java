package io.securetx.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.securetx.adapter.cli.SecureTxCli;
import io.securetx.observability.Logging;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The audit stream in its own file ({@code AUDIT_LOG}): key rotations and verification results. */
class AuditLogTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @AfterEach
  void detachAuditFile() {
    Logging.apply(false, null);
  }

  private Map<String, String> env() {
    Map<String, String> env = new HashMap<>();
    env.put("SECURETX_DATA_DIR", dir.resolve("data").toString());
    env.put("AUDIT_LOG", dir.resolve("audit.jsonl").toString());
    return env;
  }

  private int cli(Map<String, String> env, String... args) {
    CommandLine cli = SecureTxCli.create(new Application(env, Clock.systemUTC()));
    cli.setOut(new PrintWriter(new StringWriter(), true));
    cli.setErr(new PrintWriter(new StringWriter(), true));
    return cli.execute(args);
  }

  private List<JsonNode> events() throws Exception {
    List<JsonNode> events = new ArrayList<>();
    for (String line : Files.readAllLines(dir.resolve("audit.jsonl"), StandardCharsets.UTF_8)) {
      JsonNode node = JSON.readTree(line);
      assertThat(node.isObject()).as(line).isTrue();
      assertThat(node.path("logger").asText()).isEqualTo("io.securetx.audit");
      events.add(node);
    }
    return events;
  }

  @Test
  void auditLog_rotateAndVerify_eachAnEventInTheFile() throws Exception {
    Map<String, String> env = env();

    assertThat(cli(env, "process", "--user-id", "7", "--amount", "1.00")).isZero();
    assertThat(cli(env, "keys", "rotate")).isZero();
    assertThat(cli(env, "verify")).isZero();

    List<JsonNode> events = events();
    assertThat(events)
        .extracting(e -> e.path("event").asText())
        .containsExactly("keys.rotate", "vault.verify");
    JsonNode rotate = events.get(0);
    assertThat(rotate.path("outcome").asText()).isEqualTo("success");
    assertThat(rotate.path("source").asText()).isEqualTo("cli");
    assertThat(rotate.path("keys").asText()).contains("primary");
    JsonNode verify = events.get(1);
    assertThat(verify.path("outcome").asText()).isEqualTo("success");
    assertThat(verify.path("entries").isNumber()).isTrue();
    assertThat(verify.path("entries").asLong()).isEqualTo(1);
    assertThat(verify.path("public_key_only").asBoolean()).isFalse();
    assertThat(verify.path("ts").asText()).endsWith("Z");
  }

  @Test
  void auditLog_tamperedVault_verifyAndReportFailuresAudited() throws Exception {
    Map<String, String> env = env();
    String month = java.time.YearMonth.now(java.time.ZoneOffset.UTC).toString();
    assertThat(cli(env, "process", "--user-id", "7", "--amount", "1.00")).isZero();
    assertThat(cli(env, "report", month)).isZero();
    flipMac(dir.resolve("data").resolve("vault.db"));

    assertThat(cli(env, "verify")).isEqualTo(1);
    assertThat(cli(env, "report", month)).isEqualTo(1);

    List<JsonNode> events = events();
    assertThat(events)
        .extracting(e -> e.path("event").asText() + " " + e.path("outcome").asText())
        .containsExactly("report.verify success", "vault.verify failure", "report.verify failure");
    JsonNode failed = events.get(1);
    assertThat(failed.path("level").asText()).isEqualTo("WARN");
    assertThat(failed.path("seq").asLong()).isEqualTo(1);
    assertThat(failed.path("reason").asText()).isNotEmpty();
    assertThat(events.get(2).path("month").asText()).isEqualTo(month);
  }

  @Test
  void auditLog_appended_neverTruncated() throws Exception {
    Path file = dir.resolve("audit.jsonl");
    Files.writeString(file, "{\"earlier\":true}\n", StandardCharsets.UTF_8);

    assertThat(cli(env(), "keys", "rotate")).isZero();

    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    assertThat(lines).hasSize(2);
    assertThat(lines.get(0)).isEqualTo("{\"earlier\":true}");
  }

  @Test
  void config_badLogFormat_refusedWithTheVariableNamed() {
    Map<String, String> env = env();
    env.put("SECURETX_LOG_FORMAT", "xml");
    StringWriter err = new StringWriter();
    CommandLine cli = SecureTxCli.create(new Application(env, Clock.systemUTC()));
    cli.setOut(new PrintWriter(new StringWriter(), true));
    cli.setErr(new PrintWriter(err, true));

    assertThat(cli.execute("config")).isEqualTo(3);
    assertThat(err.toString()).contains("SECURETX_LOG_FORMAT must be json or text");
  }

  @Test
  void config_auditLogCannotBeOpened_refusedAsAConfigurationProblem() {
    Map<String, String> env = env();
    env.put("AUDIT_LOG", "/proc/securetx-no-such-dir/audit.jsonl");
    StringWriter err = new StringWriter();
    CommandLine cli = SecureTxCli.create(new Application(env, Clock.systemUTC()));
    cli.setOut(new PrintWriter(new StringWriter(), true));
    cli.setErr(new PrintWriter(err, true));

    assertThat(cli.execute("verify")).isEqualTo(3);
    assertThat(err.toString()).contains("AUDIT_LOG");
  }

  private static void flipMac(Path db) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db)) {
      byte[] value;
      try (PreparedStatement ps =
          c.prepareStatement("SELECT mac FROM ledger_entry WHERE seq = 1")) {
        try (ResultSet rs = ps.executeQuery()) {
          assertThat(rs.next()).isTrue();
          value = rs.getBytes(1);
        }
      }
      value[value.length / 2] ^= 0x01;
      try (PreparedStatement ps =
          c.prepareStatement("UPDATE ledger_entry SET mac = ? WHERE seq = 1")) {
        ps.setBytes(1, value);
        assertThat(ps.executeUpdate()).isEqualTo(1);
      }
    }
  }
}
