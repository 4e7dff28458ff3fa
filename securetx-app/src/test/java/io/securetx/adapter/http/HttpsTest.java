package io.securetx.adapter.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.securetx.adapter.smtp.TestCertificate;
import io.securetx.config.ConfigException;
import io.securetx.config.ConfigLoader;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Key;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code HTTP_TLS_KEYSTORE}: the API over HTTPS with a certificate made by keytool for this test
 * JVM, called by a client that trusts exactly that certificate; plain HTTP on the same port gets no
 * HTTP answer; keystores that cannot serve are configuration errors that never show the password.
 */
class HttpsTest {

  private static final String WRONG = "not-the-password-4711";

  @TempDir Path dir;

  private static Map<String, String> tlsEnvironment(Path keystore, String password) {
    Map<String, String> env = ApiFixture.environment();
    env.put("HTTP_TLS_KEYSTORE", keystore.toString());
    env.put("HTTP_TLS_KEYSTORE_PASSWORD", password);
    return env;
  }

  static HttpClient trustingClient(String... protocols) throws Exception {
    KeyStore trusted = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(TestCertificate.keystore())) {
      trusted.load(in, TestCertificate.PASSWORD.toCharArray());
    }
    TrustManagerFactory trust =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(trusted);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, trust.getTrustManagers(), null);
    HttpClient.Builder builder =
        HttpClient.newBuilder().sslContext(context).connectTimeout(Duration.ofSeconds(5));
    if (protocols.length > 0) {
      SSLParameters parameters = context.getDefaultSSLParameters();
      parameters.setProtocols(protocols);
      builder.sslParameters(parameters);
    }
    return builder.build();
  }

  @Test
  void serve_withKeystore_answersHttpsWithHstsAndStoresTheTransaction() throws Exception {
    try (ApiFixture api =
        ApiFixture.start(
            dir, tlsEnvironment(TestCertificate.keystore(), TestCertificate.PASSWORD), b -> {})) {
      assertThat(api.server.scheme()).isEqualTo("https");
      URI base = URI.create("https://localhost:" + api.server.port());
      HttpClient client = trustingClient();

      HttpResponse<String> health =
          client.send(
              HttpRequest.newBuilder(base.resolve("/healthz")).build(),
              HttpResponse.BodyHandlers.ofString());
      HttpResponse<String> created =
          client.send(
              HttpRequest.newBuilder(base.resolve("/v1/transactions"))
                  .version(HttpClient.Version.HTTP_2)
                  .header("Authorization", "Bearer " + ApiFixture.KEY)
                  .header("Content-Type", "application/json")
                  .header("Idempotency-Key", "tls-1")
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          "{\"user_id\":\"u1\",\"amount\":\"12.34\",\"currency\":\"USD\"}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());

      assertThat(health.statusCode()).isEqualTo(200);
      assertThat(health.headers().firstValue("Strict-Transport-Security"))
          .hasValue("max-age=" + HttpTls.HSTS_MAX_AGE.toSeconds());
      assertThat(health.sslSession()).isPresent();
      assertThat(health.sslSession().get().getProtocol()).isIn("TLSv1.3", "TLSv1.2");
      assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
      // HTTP/2 was offered; the server speaks HTTP/1.1 only.
      assertThat(created.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
      assertThat(created.headers().firstValue("Strict-Transport-Security")).isPresent();
      assertThat(api.vault.verify().entries()).isEqualTo(1);
    }
  }

  @Test
  void serve_withKeystore_acceptsTls12AndRefusesTls11() throws Exception {
    try (ApiFixture api =
        ApiFixture.start(
            dir, tlsEnvironment(TestCertificate.keystore(), TestCertificate.PASSWORD), b -> {})) {
      URI health = URI.create("https://localhost:" + api.server.port() + "/healthz");

      HttpResponse<String> tls12 =
          trustingClient("TLSv1.2")
              .send(HttpRequest.newBuilder(health).build(), HttpResponse.BodyHandlers.ofString());

      assertThat(tls12.statusCode()).isEqualTo(200);
      assertThat(tls12.sslSession().orElseThrow().getProtocol()).isEqualTo("TLSv1.2");
      assertThatThrownBy(
              () ->
                  trustingClient("TLSv1.1")
                      .send(
                          HttpRequest.newBuilder(health).build(),
                          HttpResponse.BodyHandlers.ofString()))
          .isInstanceOf(IOException.class);
    }
  }

  @Test
  void serve_withKeystore_plainHttpOnThatPortGetsNoHttpAnswer() throws Exception {
    try (ApiFixture api =
        ApiFixture.start(
            dir, tlsEnvironment(TestCertificate.keystore(), TestCertificate.PASSWORD), b -> {})) {
      byte[] answer;
      try (Socket socket = new Socket("127.0.0.1", api.server.port())) {
        socket.setSoTimeout(10_000);
        OutputStream out = socket.getOutputStream();
        out.write(
            "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        try {
          answer = socket.getInputStream().readNBytes(4096);
        } catch (SocketException e) {
          answer = new byte[0]; // reset by the server: no answer at all
        }
      } catch (SocketTimeoutException e) {
        throw new AssertionError("the server neither answered nor closed the connection", e);
      }
      assertThat(new String(answer, StandardCharsets.ISO_8859_1)).doesNotContain("HTTP/1.");

      HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
      assertThatThrownBy(
              () ->
                  plain.send(
                      HttpRequest.newBuilder(
                              URI.create("http://127.0.0.1:" + api.server.port() + "/healthz"))
                          .timeout(Duration.ofSeconds(10))
                          .build(),
                      HttpResponse.BodyHandlers.ofString()))
          .isInstanceOf(IOException.class);
    }
  }

  @Test
  void serve_withKeystore_clientNotTrustingTheCertificateFailsTheHandshake() throws Exception {
    try (ApiFixture api =
        ApiFixture.start(
            dir, tlsEnvironment(TestCertificate.keystore(), TestCertificate.PASSWORD), b -> {})) {
      HttpClient defaultTrust = HttpClient.newHttpClient();
      assertThatThrownBy(
              () ->
                  defaultTrust.send(
                      HttpRequest.newBuilder(
                              URI.create("https://localhost:" + api.server.port() + "/healthz"))
                          .build(),
                      HttpResponse.BodyHandlers.ofString()))
          .isInstanceOf(SSLHandshakeException.class);
    }
  }

  @Test
  void checkTls_missingFile_isConfigErrorNamingTheVariable() {
    Path missing = dir.resolve("missing.p12");

    assertThatThrownBy(
            () ->
                HttpApiServer.checkTls(
                    ConfigLoader.load(tlsEnvironment(missing, TestCertificate.PASSWORD))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("HTTP_TLS_KEYSTORE")
        .hasMessageContaining("does not exist")
        .hasMessageNotContaining(TestCertificate.PASSWORD);
  }

  @Test
  void checkTls_wrongPassword_isConfigErrorWithoutEitherPassword() {
    assertThatThrownBy(
            () ->
                HttpApiServer.checkTls(
                    ConfigLoader.load(tlsEnvironment(TestCertificate.keystore(), WRONG))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("HTTP_TLS_KEYSTORE_PASSWORD does not open HTTP_TLS_KEYSTORE")
        .hasMessageNotContaining(WRONG)
        .hasMessageNotContaining(TestCertificate.PASSWORD);
  }

  @Test
  void checkTls_notAKeystore_isConfigError() throws Exception {
    Path text = Files.writeString(dir.resolve("cert.pem"), "-----BEGIN CERTIFICATE-----\n");

    assertThatThrownBy(() -> HttpApiServer.checkTls(ConfigLoader.load(tlsEnvironment(text, WRONG))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("HTTP_TLS_KEYSTORE")
        .hasMessageNotContaining(WRONG);
  }

  @Test
  void checkTls_onlyACertificateNoKey_isConfigError() throws Exception {
    KeyStore source = load(TestCertificate.keystore(), TestCertificate.PASSWORD);
    KeyStore certOnly = KeyStore.getInstance("PKCS12");
    certOnly.load(null, null);
    certOnly.setCertificateEntry("cert", source.getCertificate("localhost"));
    Path file = store(certOnly, "cert-only.p12", "cert-only-pass");

    assertThatThrownBy(
            () -> HttpApiServer.checkTls(ConfigLoader.load(tlsEnvironment(file, "cert-only-pass"))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("holds no private key entry")
        .hasMessageNotContaining("cert-only-pass");
  }

  @Test
  void checkTls_keyPasswordDiffersFromStorePassword_isConfigError() throws Exception {
    KeyStore source = load(TestCertificate.keystore(), TestCertificate.PASSWORD);
    Key key = source.getKey("localhost", TestCertificate.PASSWORD.toCharArray());
    Certificate[] chain = source.getCertificateChain("localhost");
    KeyStore split = KeyStore.getInstance("PKCS12");
    split.load(null, null);
    split.setKeyEntry("localhost", key, "key-pass-other".toCharArray(), chain);
    Path file = store(split, "split.p12", "store-pass-one");

    assertThatThrownBy(
            () -> HttpApiServer.checkTls(ConfigLoader.load(tlsEnvironment(file, "store-pass-one"))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("another password")
        .hasMessageNotContaining("store-pass-one");
  }

  @Test
  void load_keystoreWithoutPassword_isConfigError() {
    Map<String, String> noPassword = ApiFixture.environment();
    noPassword.put("HTTP_TLS_KEYSTORE", TestCertificate.keystore().toString());

    assertThatThrownBy(() -> ConfigLoader.load(noPassword))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(
            "HTTP_TLS_KEYSTORE_PASSWORD (or HTTP_TLS_KEYSTORE_PASSWORD_FILE)"
                + " is required with HTTP_TLS_KEYSTORE");
  }

  @Test
  void load_passwordWithoutKeystore_servesPlainHttp() {
    Map<String, String> noKeystore = ApiFixture.environment();
    noKeystore.put("HTTP_TLS_KEYSTORE_PASSWORD", WRONG);

    try (ApiFixture api = ApiFixture.start(dir, noKeystore, b -> {})) {
      assertThat(api.server.scheme()).isEqualTo("http");
      assertThat(api.get("/healthz").status()).isEqualTo(200);
    }
  }

  @Test
  void load_passwordFromFile_opensTheKeystore() throws Exception {
    Path secret = Files.writeString(dir.resolve("pass"), TestCertificate.PASSWORD + "\n");
    Map<String, String> env = ApiFixture.environment();
    env.put("HTTP_TLS_KEYSTORE", TestCertificate.keystore().toString());
    env.put("HTTP_TLS_KEYSTORE_PASSWORD_FILE", secret.toString());

    var config = ConfigLoader.load(env);
    HttpApiServer.checkTls(config);

    assertThat(config.http().tls()).isTrue();
    assertThat(config.toString()).doesNotContain(TestCertificate.PASSWORD);
  }

  private static KeyStore load(Path file, String password) throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(file)) {
      store.load(in, password.toCharArray());
    }
    return store;
  }

  private Path store(KeyStore keyStore, String name, String password) throws Exception {
    Path file = dir.resolve(name);
    try (OutputStream out = Files.newOutputStream(file)) {
      keyStore.store(out, password.toCharArray());
    }
    return file;
  }
}
