package io.securetx.adapter.smtp;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * A self-signed certificate for {@code localhost} and {@code 127.0.0.1}, made once per test JVM by
 * the JDK's own {@code keytool}, so TLS tests run with host name verification on. Servers use it as
 * their key, clients trust exactly it.
 */
public final class TestCertificate {

  /** The keystore password (tests only). */
  public static final String PASSWORD = "test-keystore";

  private static final Path KEYSTORE = create();

  private TestCertificate() {}

  /** The PKCS#12 keystore file. */
  public static Path keystore() {
    return KEYSTORE;
  }

  /** A server context presenting the certificate. */
  public static SSLContext serverContext() {
    try {
      KeyManagerFactory keys =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      keys.init(load(), PASSWORD.toCharArray());
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keys.getKeyManagers(), null, null);
      return context;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A client socket factory that trusts the certificate and nothing else. */
  public static SSLSocketFactory trustingClient() {
    try {
      TrustManagerFactory trust =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(load());
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trust.getTrustManagers(), null);
      return context.getSocketFactory();
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static KeyStore load() throws GeneralSecurityException, IOException {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(KEYSTORE)) {
      store.load(in, PASSWORD.toCharArray());
    }
    return store;
  }

  private static Path create() {
    try {
      Path dir = Files.createTempDirectory("securetx-test-cert");
      Path file = dir.resolve("localhost.p12");
      generate(file, PASSWORD, "dns:localhost,ip:127.0.0.1");
      file.toFile().deleteOnExit();
      dir.toFile().deleteOnExit();
      return file;
    } catch (IOException e) {
      throw new IllegalStateException("cannot create a directory for the keystore", e);
    }
  }

  /**
   * Makes a PKCS#12 keystore with keytool: one RSA key entry, alias {@code localhost}, subject
   * {@code CN=localhost}, valid two days, the store and the key under one password.
   *
   * @param file where the keystore goes
   * @param password the store's and the key's password
   * @param subjectAlternativeNames keytool's SAN list, e.g. {@code dns:localhost,ip:127.0.0.1}
   */
  public static void generate(Path file, String password, String subjectAlternativeNames) {
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    try {
      Process process =
          new ProcessBuilder(
                  List.of(
                      keytool.toString(),
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
                      "SAN=" + subjectAlternativeNames,
                      "-validity",
                      "2",
                      "-storetype",
                      "PKCS12",
                      "-keystore",
                      file.toString(),
                      "-storepass",
                      password,
                      "-keypass",
                      password))
              .redirectErrorStream(true)
              .start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IllegalStateException("keytool failed: " + output);
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot run keytool", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running keytool", e);
    }
  }
}
