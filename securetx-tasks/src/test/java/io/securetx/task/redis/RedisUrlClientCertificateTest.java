package io.securetx.task.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.securetx.testing.TestCertificates;
import io.securetx.testing.TestCertificates.Issued;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ssl_certfile} and {@code ssl_keyfile}: which PEM keys are read, and that every wrong file
 * is refused when the URL is parsed, with a message that names the file but never holds the URL's
 * password or any key material. Keys and certificates are made by keytool.
 */
class RedisUrlClientCertificateTest {

  private static final String BASE =
      "rediss://:s3cret@cache.internal:6380/1?ssl_cert_reqs=required";

  @TempDir static Path dir;

  private static Issued rsa;
  private static Issued other;
  private static Issued ec;
  private static Path rsaCert;
  private static Path rsaKey;

  @BeforeAll
  static void makeCertificates() {
    rsa = TestCertificates.selfSigned(dir, "worker", "dns:worker");
    other = TestCertificates.selfSigned(dir, "other", "dns:other");
    ec = TestCertificates.selfSigned(dir, "ec-worker", "EC", "dns:worker");
    rsaCert = rsa.writeCertificate(dir.resolve("worker.pem"));
    rsaKey = rsa.writeKey(dir.resolve("worker-key.pem"));
  }

  private static String url(Path cert, Path key) {
    return BASE + "&ssl_certfile=" + cert + "&ssl_keyfile=" + key;
  }

  /** Asserts the refusal and that it leaks neither the password nor a piece of any key. */
  private static AbstractThrowableAssert<?, ? extends Throwable> assertRefused(String url) {
    AbstractThrowableAssert<?, ? extends Throwable> refusal =
        assertThatThrownBy(() -> RedisUrl.parse(url))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageStartingWith("invalid Redis URL: ");
    for (Issued issued : new Issued[] {rsa, other, ec}) {
      String keyText = Base64.getEncoder().encodeToString(issued.key().getEncoded());
      refusal.message().doesNotContain("s3cret").doesNotContain(keyText.substring(40, 72));
    }
    return refusal;
  }

  @Test
  void parse_pkcs8KeyOfTheCertificate_isAcceptedAndShownAsPaths() {
    RedisUrl url = RedisUrl.parse(url(rsaCert, rsaKey));

    assertThat(url)
        .hasToString(
            "rediss://:****@cache.internal:6380/1?ssl_certfile="
                + rsaCert
                + "&ssl_keyfile="
                + rsaKey)
        .isEqualTo(RedisUrl.parse(url(rsaCert, rsaKey)))
        .isNotEqualTo(RedisUrl.parse(BASE));
  }

  @Test
  void parse_caCertsAndClientCertificate_showsAllThreePaths() {
    RedisUrl url = RedisUrl.parse(url(rsaCert, rsaKey) + "&ssl_ca_certs=" + rsaCert);

    assertThat(url.toString())
        .endsWith(
            "?ssl_ca_certs=" + rsaCert + "&ssl_certfile=" + rsaCert + "&ssl_keyfile=" + rsaKey);
  }

  @Test
  void parse_rsaPrivateKeyPkcs1_isAccepted() {
    Path pkcs1 = rsa.writeTraditionalKey(dir.resolve("worker-pkcs1.pem"));

    assertThat(RedisUrl.parse(url(rsaCert, pkcs1)).tls()).isTrue();
  }

  @Test
  void parse_ecPrivateKeySec1AndPkcs8_areAccepted() {
    Path cert = ec.writeCertificate(dir.resolve("ec.pem"));

    RedisUrl.parse(url(cert, ec.writeKey(dir.resolve("ec-pkcs8.pem"))));
    RedisUrl.parse(url(cert, ec.writeTraditionalKey(dir.resolve("ec-sec1.pem"))));
  }

  @Test
  void parse_certificateChainWithTheKeyInTheSameFile_isAccepted() throws IOException {
    Path both = dir.resolve("both.pem");
    Files.writeString(both, Files.readString(rsaCert) + Files.readString(rsaKey));

    RedisUrl.parse(url(both, both));
  }

  @Test
  void parse_keyOfAnotherCertificate_isRefused() {
    Path otherKey = other.writeKey(dir.resolve("other-key.pem"));

    assertRefused(url(rsaCert, otherKey))
        .hasMessageContaining("ssl_keyfile (" + otherKey + ") is not the key of the certificate");
  }

  @Test
  void parse_pkcs1KeyOfAnotherCertificate_isRefused() {
    Path otherKey = other.writeTraditionalKey(dir.resolve("other-pkcs1.pem"));

    assertRefused(url(rsaCert, otherKey)).hasMessageContaining("is not the key of the certificate");
  }

  @Test
  void parse_rsaKeyForAnEcCertificate_isRefused() {
    Path cert = ec.writeCertificate(dir.resolve("ec-only.pem"));

    assertRefused(url(cert, rsa.writeTraditionalKey(dir.resolve("rsa-for-ec.pem"))))
        .hasMessageContaining("holds an RSA key but the certificate in ssl_certfile has an EC key");
    assertRefused(url(cert, rsaKey)).hasMessageContaining("is not a valid EC private key");
  }

  @Test
  void parse_encryptedKey_isRefusedWithTheConversionCommand() throws IOException {
    Path encrypted =
        Files.writeString(
            dir.resolve("encrypted.pem"),
            TestCertificates.pem("ENCRYPTED PRIVATE KEY", new byte[] {0x30, 0x00}));
    Path legacy =
        Files.writeString(
            dir.resolve("legacy-encrypted.pem"),
            "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\n"
                + "DEK-Info: AES-128-CBC,00000000000000000000000000000000\n\nAAAA\n"
                + "-----END RSA PRIVATE KEY-----\n");

    assertRefused(url(rsaCert, encrypted))
        .hasMessageContaining("is encrypted")
        .hasMessageContaining("openssl pkcs8 -topk8 -nocrypt");
    assertRefused(url(rsaCert, legacy)).hasMessageContaining("is encrypted");
  }

  @Test
  void parse_damagedKey_isRefused() throws IOException {
    String text = Files.readString(rsaKey);
    Path truncated =
        Files.writeString(
            dir.resolve("truncated.pem"), text.substring(0, 200) + "\n-----END PRIVATE KEY-----\n");
    Path notBase64 =
        Files.writeString(
            dir.resolve("not-base64.pem"),
            "-----BEGIN PRIVATE KEY-----\n!!!!\n-----END PRIVATE KEY-----\n");

    assertRefused(url(rsaCert, truncated)).hasMessageContaining("is not a valid RSA private key");
    assertRefused(url(rsaCert, notBase64)).hasMessageContaining("is not a valid RSA private key");
  }

  @Test
  void parse_keyFileWithoutAKey_isRefused() {
    assertRefused(url(rsaCert, rsaCert))
        .hasMessageContaining("ssl_keyfile (" + rsaCert + ") holds no PEM private key");
  }

  @Test
  void parse_certFileWithoutAValidCertificate_isRefused() throws IOException {
    Path damaged =
        Files.writeString(
            dir.resolve("damaged.pem"),
            TestCertificates.pem("CERTIFICATE", new byte[] {0x30, 0x03, 0x02, 0x01, 0x00}));

    assertRefused(url(rsaKey, rsaKey))
        .hasMessageContaining("ssl_certfile (" + rsaKey + ") holds no PEM certificate");
    assertRefused(url(damaged, rsaKey))
        .hasMessageContaining(
            "ssl_certfile (" + damaged + ") holds a certificate that cannot be parsed");
  }

  @Test
  void parse_missingFiles_areRefusedByName() {
    Path missing = dir.resolve("missing.pem");

    assertRefused(url(missing, rsaKey))
        .hasMessageContaining("ssl_certfile names a file that cannot be read: " + missing);
    assertRefused(url(rsaCert, missing))
        .hasMessageContaining("ssl_keyfile names a file that cannot be read")
        .hasMessageContaining(missing.toString());
  }

  @Test
  void parse_onlyOneOfTheTwo_isRefused() {
    assertRefused(BASE + "&ssl_certfile=" + rsaCert)
        .hasMessageContaining("ssl_certfile and ssl_keyfile go together");
    assertRefused(BASE + "&ssl_keyfile=" + rsaKey)
        .hasMessageContaining("ssl_certfile and ssl_keyfile go together");
  }

  @Test
  void parse_sslPassword_isRefusedWithoutEchoingIt() {
    assertRefused(url(rsaCert, rsaKey) + "&ssl_password=s3cret")
        .hasMessageContaining("ssl_password is not supported");
  }

  @Test
  void parse_plainRedisWithClientCertificate_isRefused() {
    assertRefused("redis://:s3cret@h/1?ssl_certfile=" + rsaCert + "&ssl_keyfile=" + rsaKey)
        .hasMessageContaining("query parameters");
  }
}
