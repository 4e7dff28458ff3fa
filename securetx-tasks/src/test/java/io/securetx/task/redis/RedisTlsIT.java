package io.securetx.task.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisConnectionException;

/**
 * {@code rediss://} against a private {@code redis-server} that speaks TLS only, on a free port,
 * with a certificate for {@code localhost} made by keytool for this test: trusted through {@code
 * ssl_ca_certs} it works (broker round trip included); without it, or with the host name not in the
 * certificate, or in plain {@code redis://}, it fails. The server is started and stopped by this
 * class, by its process handle.
 */
class RedisTlsIT {

  private static final String PASSWORD = "test-keystore";

  @TempDir static Path dir;

  private static Process server;
  private static int port;
  private static Path caFile;

  @BeforeAll
  static void startTlsRedis() throws Exception {
    Path p12 = dir.resolve("localhost.p12");
    run(
        Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
        "-genkeypair",
        "-alias",
        "localhost",
        "-keyalg",
        "RSA",
        "-keysize",
        "2048",
        "-dname",
        "CN=localhost",
        "-ext",
        "SAN=dns:localhost",
        "-validity",
        "2",
        "-storetype",
        "PKCS12",
        "-keystore",
        p12.toString(),
        "-storepass",
        PASSWORD,
        "-keypass",
        PASSWORD);
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(p12)) {
      store.load(in, PASSWORD.toCharArray());
    }
    caFile = dir.resolve("cert.pem");
    Files.writeString(caFile, pem("CERTIFICATE", store.getCertificate("localhost").getEncoded()));
    Path keyFile = dir.resolve("key.pem");
    Files.writeString(
        keyFile,
        pem("PRIVATE KEY", store.getKey("localhost", PASSWORD.toCharArray()).getEncoded()));

    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    server =
        new ProcessBuilder(
                "redis-server",
                "--port",
                "0",
                "--tls-port",
                Integer.toString(port),
                "--bind",
                "127.0.0.1",
                "--tls-cert-file",
                "cert.pem",
                "--tls-key-file",
                "key.pem",
                "--tls-auth-clients",
                "no",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                dir.toString())
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("redis.log").toFile())
            .start();
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> {
              if (!server.isAlive()) {
                throw new IllegalStateException(
                    "redis-server exited: " + Files.readString(dir.resolve("redis.log")));
              }
              try (Socket probe = new Socket("127.0.0.1", port)) {
                return true;
              } catch (IOException e) {
                return false;
              }
            });
  }

  @AfterAll
  static void stopTlsRedis() throws InterruptedException {
    if (server != null) {
      server.destroy();
      if (!server.waitFor(10, TimeUnit.SECONDS)) {
        server.destroyForcibly();
      }
    }
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }

  private static void run(String... command) throws Exception {
    Process p = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException(command[0] + " failed: " + output);
    }
  }

  private static Jedis connect(RedisUrl url) {
    return new Jedis(url.hostAndPort(), url.clientConfig("securetx-tls-test", 5_000));
  }

  @Test
  void rediss_withCaCerts_connectsAndTheBrokerRoundTrips() {
    RedisUrl url =
        RedisUrl.parse(
            "rediss://localhost:" + port + "/0?ssl_cert_reqs=required&ssl_ca_certs=" + caFile);

    try (Jedis jedis = connect(url)) {
      assertThat(jedis.ping()).isEqualTo("PONG");
      jedis.set("tls-key", "over-tls");
      assertThat(jedis.get("tls-key")).isEqualTo("over-tls");
    }
    try (RedisBroker broker = RedisBroker.connect(url)) {
      assertThat(broker.stats(List.of("celery"))).isNotNull();
    }
    assertThat(url.toString()).endsWith("?ssl_ca_certs=" + caFile);
  }

  @Test
  void rediss_withoutCaCerts_failsTheHandshake() {
    RedisUrl url = RedisUrl.parse("rediss://localhost:" + port + "/0");

    assertThatThrownBy(
            () -> {
              try (Jedis jedis = connect(url)) {
                jedis.ping();
              }
            })
        .isInstanceOf(JedisConnectionException.class)
        .hasStackTraceContaining("PKIX");
  }

  @Test
  void rediss_hostNotInTheCertificate_failsHostNameVerification() {
    // The certificate names localhost only, not 127.0.0.1.
    RedisUrl url = RedisUrl.parse("rediss://127.0.0.1:" + port + "/0?ssl_ca_certs=" + caFile);

    assertThatThrownBy(
            () -> {
              try (Jedis jedis = connect(url)) {
                jedis.ping();
              }
            })
        .isInstanceOf(JedisConnectionException.class)
        .hasStackTraceContaining("127.0.0.1");
  }

  @Test
  void redis_plainToTheTlsPort_fails() {
    RedisUrl url = RedisUrl.parse("redis://localhost:" + port + "/0");

    assertThatThrownBy(
            () -> {
              try (Jedis jedis = connect(url)) {
                jedis.ping();
              }
            })
        .isInstanceOf(JedisConnectionException.class);
  }

  @Test
  void rediss_caCertsNotPem_isRefusedAtParseWithoutThePassword() throws IOException {
    Path notPem = Files.writeString(dir.resolve("not.pem"), "hello");

    assertThatThrownBy(
            () ->
                RedisUrl.parse("rediss://:s3cret@localhost:" + port + "/0?ssl_ca_certs=" + notPem))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ssl_ca_certs")
        .message()
        .doesNotContain("s3cret");
    assertThatThrownBy(
            () ->
                RedisUrl.parse(
                    "rediss://:s3cret@localhost:" + port + "/0?ssl_ca_certs=" + dir.resolve("no")))
        .hasMessageContaining("cannot be read")
        .message()
        .doesNotContain("s3cret");
  }
}
