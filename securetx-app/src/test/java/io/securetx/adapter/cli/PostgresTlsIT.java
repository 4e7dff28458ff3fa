package io.securetx.adapter.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.securetx.testing.TestCertificates;
import io.securetx.testing.TestCertificates.Issued;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code DB_URL} with {@code sslmode=verify-full&sslrootcert=...} against a private PostgreSQL
 * cluster with {@code ssl=on}: made by {@code initdb} on a free port for this class (as the {@code
 * postgres} user when the tests run as root, since PostgreSQL refuses root), with a certificate for
 * {@code localhost} made by keytool; started and stopped by its process handle. The vault works
 * over TLS, and the connection is encrypted; a host name the certificate does not name, or no root
 * certificate to check it against, fails with exit code 6.
 */
class PostgresTlsIT {

  private static Path home;
  private static Process postgres;
  private static int port;
  private static Path rootCert;

  @TempDir Path dataDir;

  @BeforeAll
  static void startCluster() throws Exception {
    Path bin = postgresBin();
    boolean root = "root".equals(System.getProperty("user.name"));
    home = Files.createTempDirectory("securetx-pg-tls");
    if (root) {
      chown(home);
    }
    // localhost only: connecting to 127.0.0.1 must fail host name verification.
    Issued localhost = TestCertificates.selfSigned(home, "localhost", "dns:localhost");
    rootCert = localhost.writeCertificate(home.resolve("server.crt"));
    Path key = localhost.writeKey(home.resolve("server.key"));
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
    if (root) {
      chown(rootCert);
      chown(key);
    }

    Path data = home.resolve("data");
    run(
        asPostgres(
            root,
            bin.resolve("initdb").toString(),
            "-D",
            data.toString(),
            "-A",
            "trust",
            "-U",
            "postgres",
            "--no-sync",
            "-E",
            "UTF8"));
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    postgres =
        new ProcessBuilder(
                asPostgres(
                    root,
                    bin.resolve("postgres").toString(),
                    "-D",
                    data.toString(),
                    "-p",
                    Integer.toString(port),
                    "-k",
                    home.toString(),
                    "-c",
                    "listen_addresses=127.0.0.1",
                    "-c",
                    "ssl=on",
                    "-c",
                    "ssl_cert_file=" + rootCert,
                    "-c",
                    "ssl_key_file=" + key,
                    "-c",
                    "fsync=off"))
            .redirectErrorStream(true)
            .redirectOutput(home.resolve("postgres.log").toFile())
            .start();
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> {
              if (!postgres.isAlive()) {
                throw new IllegalStateException(
                    "postgres exited: " + Files.readString(home.resolve("postgres.log")));
              }
              try (Connection c =
                  DriverManager.getConnection(
                      "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=postgres")) {
                return c.isValid(5);
              } catch (java.sql.SQLException e) {
                return false;
              }
            });
  }

  @AfterAll
  static void stopCluster() throws Exception {
    if (postgres != null) {
      postgres.destroy(); // SIGTERM: PostgreSQL's smart shutdown; nothing is connected by now
      if (!postgres.waitFor(30, TimeUnit.SECONDS)) {
        postgres.destroyForcibly();
        postgres.waitFor(10, TimeUnit.SECONDS);
      }
    }
    if (home != null) {
      try (Stream<Path> paths = Files.walk(home)) {
        for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  private static Path postgresBin() throws IOException {
    try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
      return versions
          .map(v -> v.resolve("bin"))
          .filter(b -> Files.isExecutable(b.resolve("initdb")))
          .max(Comparator.naturalOrder())
          .orElseThrow(
              () -> new IllegalStateException("no initdb under /usr/lib/postgresql/*/bin"));
    }
  }

  /** PostgreSQL refuses to run as root: switch to the postgres user (setpriv execs, same PID). */
  private static List<String> asPostgres(boolean root, String... command) {
    List<String> full = new ArrayList<>();
    if (root) {
      full.addAll(
          List.of("setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups", "--"));
    }
    full.addAll(List.of(command));
    return full;
  }

  private static void chown(Path path) throws IOException {
    UserPrincipal user =
        path.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres");
    Files.setOwner(path, user);
  }

  private static void run(List<String> command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException(command.get(0) + " failed: " + output);
    }
  }

  private String url(String host, String ssl) {
    return "jdbc:postgresql://" + host + ":" + port + "/postgres?user=postgres&" + ssl;
  }

  private CliRun process(String dbUrl) {
    Map<String, String> env = new HashMap<>();
    env.put("SECURETX_DATA_DIR", dataDir.toString());
    env.put("DB_URL", dbUrl);
    return CliRun.run(env, "process", "--user-id", "u1", "--amount", "1.00", "--json");
  }

  @Test
  void process_verifyFullWithRootCert_storesOverAnEncryptedConnection() throws Exception {
    String url = url("localhost", "sslmode=verify-full&sslrootcert=" + rootCert);

    CliRun run = CliRun.expect(ExitCodes.OK, process(url));

    assertThat(run.json().path("status").asText()).isEqualTo("success");
    try (Connection c = DriverManager.getConnection(url);
        Statement s = c.createStatement();
        ResultSet r =
            s.executeQuery("SELECT ssl, version FROM pg_stat_ssl WHERE pid = pg_backend_pid()")) {
      assertThat(r.next()).isTrue();
      assertThat(r.getBoolean("ssl")).isTrue();
      assertThat(r.getString("version")).isIn("TLSv1.2", "TLSv1.3");
    }
  }

  @Test
  void process_verifyFullWithHostNotInTheCertificate_exits6() {
    CliRun run =
        CliRun.expect(
            ExitCodes.UNAVAILABLE,
            process(url("127.0.0.1", "sslmode=verify-full&sslrootcert=" + rootCert)));

    assertThat(run.err()).contains("127.0.0.1");
  }

  @Test
  void process_verifyFullWithoutRootCert_exits6() {
    CliRun run =
        CliRun.expect(
            ExitCodes.UNAVAILABLE,
            process(
                url("localhost", "sslmode=verify-full&sslrootcert=" + home.resolve("none.crt"))));

    assertThat(run.err()).contains("cannot open the vault");
  }
}
