package io.securetx.adapter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.securetx.adapter.sql.PostgresSchema;
import java.net.URI;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sslmode} in {@code DB_URL} reaches the PostgreSQL driver: the test server runs without
 * TLS, so {@code sslmode=require} must refuse to connect, with a clear error that masks the
 * password, instead of silently falling back to plain text as the driver's default {@code prefer}
 * does.
 */
class PostgresSslModeIT {

  private static final String PASSWORD = "pg-secret-4711";

  @TempDir Path dataDir;

  private PostgresSchema schema;

  @BeforeEach
  void createSchema() {
    schema = PostgresSchema.create();
  }

  @AfterEach
  void dropSchema() {
    schema.drop();
  }

  private CliRun process(String dbUrl) {
    Map<String, String> env = new HashMap<>();
    env.put("SECURETX_DATA_DIR", dataDir.toString());
    env.put("DB_URL", dbUrl);
    return CliRun.run(env, "process", "--user-id", "u1", "--amount", "1.00", "--json");
  }

  @Test
  void process_sslmodeRequireAgainstServerWithoutTls_exits6WithoutThePassword() {
    CliRun run =
        CliRun.expect(
            ExitCodes.UNAVAILABLE,
            process(schema.jdbcUrl() + "&sslmode=require&password=" + PASSWORD));

    assertThat(run.err()).contains("sslmode=require").contains("does not support SSL");
    assertThat(run.err() + run.out()).doesNotContain(PASSWORD);
  }

  @Test
  void process_seedFormUrlWithSslmodeRequire_exits6WithoutThePassword() {
    URI jdbc = URI.create(schema.jdbcUrl().substring("jdbc:".length()));
    String url =
        "postgres://postgres:"
            + PASSWORD
            + "@"
            + jdbc.getHost()
            + ":"
            + jdbc.getPort()
            + jdbc.getPath()
            + "?sslmode=require&currentSchema="
            + schema.jdbcUrl().substring(schema.jdbcUrl().indexOf("currentSchema=") + 14);

    CliRun run = CliRun.expect(ExitCodes.UNAVAILABLE, process(url));

    assertThat(run.err()).contains("does not support SSL");
    assertThat(run.err() + run.out()).doesNotContain(PASSWORD);
  }

  @Test
  void process_sslmodeDisable_works() {
    CliRun run = CliRun.expect(ExitCodes.OK, process(schema.jdbcUrl() + "&sslmode=disable"));

    assertThat(run.json().path("status").asText()).isEqualTo("success");
  }
}
