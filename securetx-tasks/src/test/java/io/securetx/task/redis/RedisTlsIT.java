package io.securetx.task.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.securetx.task.broker.Broker.Outgoing;
import io.securetx.task.broker.Delivery;
import io.securetx.testing.MutualTlsFiles;
import io.securetx.testing.TlsRedisServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisConnectionException;

/**
 * {@code rediss://} against two private {@code redis-server}s that speak TLS only, with a
 * certificate for {@code localhost} made by keytool for this test. The first asks for no client
 * certificate: trusted through {@code ssl_ca_certs} it works (broker round trip included); without
 * it, or with the host name not in the certificate, or in plain {@code redis://}, it fails. The
 * second has {@code tls-auth-clients yes} and trusts one client CA: a client certificate that CA
 * issued ({@code ssl_certfile}, {@code ssl_keyfile}) gets a broker round trip; none, or a
 * self-signed one, is refused by the server.
 */
class RedisTlsIT {

  private static final Duration WAIT = Duration.ofSeconds(5);

  @TempDir static Path dir;

  private static MutualTlsFiles files;
  private static TlsRedisServer server;
  private static TlsRedisServer mutual;

  @BeforeAll
  static void startTlsRedis() throws IOException {
    files = MutualTlsFiles.make(dir);
    server =
        TlsRedisServer.start(
            dir, files.serverCertificate(), files.serverKey(), "--tls-auth-clients", "no");
    mutual = files.startRedisRequiringClientCertificates(dir);
  }

  @AfterAll
  static void stopTlsRedis() throws InterruptedException {
    if (server != null) {
      server.close();
    }
    if (mutual != null) {
      mutual.close();
    }
  }

  private static Jedis connect(RedisUrl url) {
    return new Jedis(url.hostAndPort(), url.clientConfig("securetx-tls-test", 5_000));
  }

  private static String localhost(TlsRedisServer redis) {
    return "rediss://localhost:" + redis.port() + "/0";
  }

  /** Publishes one message and fetches it back through the broker. */
  private static void assertBrokerRoundTrip(RedisUrl url, String queue) throws Exception {
    try (RedisBroker broker = RedisBroker.connect(url)) {
      broker.publish(List.of(new Outgoing(queue, "over-tls")));

      List<Delivery> fetched = broker.fetch("tls-worker", List.of(queue), 1, WAIT);

      assertThat(fetched).extracting(Delivery::payload).containsExactly("over-tls");
      assertThat(broker.ack("tls-worker", fetched)).isEqualTo(1);
    }
  }

  @Test
  void rediss_withCaCerts_connectsAndTheBrokerRoundTrips() throws Exception {
    RedisUrl url = RedisUrl.parse(localhost(server) + files.serverQuery());

    try (Jedis jedis = connect(url)) {
      assertThat(jedis.ping()).isEqualTo("PONG");
      jedis.set("tls-key", "over-tls");
      assertThat(jedis.get("tls-key")).isEqualTo("over-tls");
    }
    assertBrokerRoundTrip(url, "tls-queue");
    assertThat(url.toString()).endsWith("?ssl_ca_certs=" + files.serverCertificate());
  }

  @Test
  void rediss_withoutCaCerts_failsTheHandshake() {
    RedisUrl url = RedisUrl.parse("rediss://localhost:" + server.port() + "/0");

    assertThatThrownBy(() -> ping(url))
        .isInstanceOf(JedisConnectionException.class)
        .hasStackTraceContaining("PKIX");
  }

  @Test
  void rediss_hostNotInTheCertificate_failsHostNameVerification() {
    // The certificate names localhost only, not 127.0.0.1.
    RedisUrl url =
        RedisUrl.parse(
            "rediss://127.0.0.1:" + server.port() + "/0?ssl_ca_certs=" + files.serverCertificate());

    assertThatThrownBy(() -> ping(url))
        .isInstanceOf(JedisConnectionException.class)
        .hasStackTraceContaining("127.0.0.1");
  }

  @Test
  void redis_plainToTheTlsPort_fails() {
    RedisUrl url = RedisUrl.parse("redis://localhost:" + server.port() + "/0");

    assertThatThrownBy(() -> ping(url)).isInstanceOf(JedisConnectionException.class);
  }

  @Test
  void rediss_caCertsNotPem_isRefusedAtParseWithoutThePassword() throws IOException {
    Path notPem = Files.writeString(dir.resolve("not.pem"), "hello");

    assertThatThrownBy(
            () ->
                RedisUrl.parse(
                    "rediss://:s3cret@localhost:" + server.port() + "/0?ssl_ca_certs=" + notPem))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ssl_ca_certs")
        .message()
        .doesNotContain("s3cret");
    assertThatThrownBy(
            () ->
                RedisUrl.parse(
                    "rediss://:s3cret@localhost:"
                        + server.port()
                        + "/0?ssl_ca_certs="
                        + dir.resolve("no")))
        .hasMessageContaining("cannot be read")
        .message()
        .doesNotContain("s3cret");
  }

  @Test
  void mutualTls_clientCertificateFromTheTrustedCa_brokerRoundTrips() throws Exception {
    RedisUrl url = RedisUrl.parse(localhost(mutual) + files.clientQuery());

    try (Jedis jedis = connect(url)) {
      assertThat(jedis.ping()).isEqualTo("PONG");
    }
    assertBrokerRoundTrip(url, "mtls-queue");
    assertThat(url.toString()).contains("&ssl_certfile=").contains("&ssl_keyfile=");
  }

  @Test
  void mutualTls_noClientCertificate_isRefusedByTheServer() throws IOException {
    RedisUrl url = RedisUrl.parse(localhost(mutual) + files.serverQuery());

    assertThatThrownBy(() -> ping(url)).isInstanceOf(JedisConnectionException.class);
    assertThat(mutual.log()).contains("peer did not return a certificate");
  }

  @Test
  void mutualTls_clientCertificateNotFromTheTrustedCa_isRefusedByTheServer() throws IOException {
    RedisUrl url = RedisUrl.parse(localhost(mutual) + files.rogueQuery());

    assertThatThrownBy(() -> ping(url)).isInstanceOf(JedisConnectionException.class);
    assertThat(mutual.log()).contains("certificate verify failed");
  }

  private static void ping(RedisUrl url) {
    try (Jedis jedis = connect(url)) {
      jedis.ping();
    }
  }
}
