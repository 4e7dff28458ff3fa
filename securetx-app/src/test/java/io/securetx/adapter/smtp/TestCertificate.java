package io.securetx.adapter.smtp;

import io.securetx.testing.TestCertificates;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * A self-signed certificate for {@code localhost} and {@code 127.0.0.1}, made once per test JVM by
 * {@link TestCertificates} (the JDK's own {@code keytool}), so TLS tests run with host name
 * verification on. Servers use it as their key, clients trust exactly it.
 */
public final class TestCertificate {

  /** The keystore password (tests only). */
  public static final String PASSWORD = TestCertificates.PASSWORD;

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
      Path file =
          TestCertificates.selfSigned(dir, "localhost", "dns:localhost,ip:127.0.0.1").keystore();
      file.toFile().deleteOnExit();
      dir.toFile().deleteOnExit();
      return file;
    } catch (IOException e) {
      throw new IllegalStateException("cannot create a directory for the keystore", e);
    }
  }
}
