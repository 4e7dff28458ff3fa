package io.securetx.adapter.http;

import io.securetx.config.ConfigException;
import io.securetx.config.Secret;
import io.securetx.config.SecureTxConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.UnrecoverableKeyException;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * HTTPS for the API from {@code HTTP_TLS_KEYSTORE}: the PKCS#12 file is opened and checked before
 * anything starts, so a missing file, a wrong password or a store without a key entry is a
 * configuration error that names the variable and never the password. The connector speaks TLS 1.2
 * and 1.3 only, HTTP/1.1 inside, and every response carries {@code Strict-Transport-Security}.
 */
final class HttpTls {

  /** How long browsers keep to HTTPS after a response: one year, as commonly recommended. */
  static final Duration HSTS_MAX_AGE = Duration.ofDays(365);

  private final KeyStore keyStore;
  private final Secret password;

  private HttpTls(KeyStore keyStore, Secret password) {
    this.keyStore = keyStore;
    this.password = password;
  }

  /**
   * Opens and checks the configured keystore.
   *
   * @return the TLS settings, or null when the configuration asks for plain HTTP
   * @throws ConfigException if the keystore cannot be used
   */
  static @org.jspecify.annotations.Nullable HttpTls from(SecureTxConfig.Http http) {
    Path file = http.tlsKeystore();
    Secret password = http.tlsKeystorePassword();
    if (file == null || password == null) {
      return null;
    }
    return new HttpTls(open(file, password), password);
  }

  private static KeyStore open(Path file, Secret password) {
    char[] chars = password.insecureValue().toCharArray();
    KeyStore store;
    try (InputStream in = Files.newInputStream(file)) {
      store = KeyStore.getInstance("PKCS12");
      store.load(in, chars);
    } catch (NoSuchFileException e) {
      throw problem("HTTP_TLS_KEYSTORE names a file that does not exist: " + file);
    } catch (AccessDeniedException e) {
      throw problem("HTTP_TLS_KEYSTORE names a file this process may not read: " + file);
    } catch (IOException e) {
      if (e.getCause() instanceof UnrecoverableKeyException) {
        throw problem(
            "HTTP_TLS_KEYSTORE_PASSWORD does not open HTTP_TLS_KEYSTORE ("
                + file
                + "): wrong"
                + " password");
      }
      throw problem(
          "HTTP_TLS_KEYSTORE (" + file + ") is not a PKCS#12 keystore this password opens");
    } catch (GeneralSecurityException e) {
      throw problem("HTTP_TLS_KEYSTORE (" + file + ") cannot be read as PKCS#12");
    }
    int keys = 0;
    try {
      for (String alias : Collections.list(store.aliases())) {
        if (store.isKeyEntry(alias)) {
          keys++;
          // Jetty opens the key with the store's password: a different key password would only
          // fail at the first handshake.
          store.getKey(alias, chars);
        }
      }
    } catch (UnrecoverableKeyException e) {
      throw problem(
          "the key in HTTP_TLS_KEYSTORE ("
              + file
              + ") has another password than the keystore;"
              + " use one password for both");
    } catch (GeneralSecurityException e) {
      throw problem("HTTP_TLS_KEYSTORE (" + file + ") cannot be read: " + e.getClass().getName());
    }
    if (keys == 0) {
      throw problem(
          "HTTP_TLS_KEYSTORE ("
              + file
              + ") holds no private key entry: it needs the server's certificate chain and its key");
    }
    if (keys > 1) {
      throw problem(
          "HTTP_TLS_KEYSTORE ("
              + file
              + ") holds "
              + keys
              + " private key entries: keep exactly one, so the certificate served is certain");
    }
    return store;
  }

  private static ConfigException problem(String message) {
    return new ConfigException(List.of(message));
  }

  /** The HTTPS connector, bound to {@code host:port}. */
  ServerConnector connector(Server server, HttpConfiguration http, String host, int port) {
    SslContextFactory.Server ssl = new SslContextFactory.Server();
    ssl.setKeyStore(keyStore);
    ssl.setKeyStorePassword(password.insecureValue());
    ssl.setKeyManagerPassword(password.insecureValue());
    ssl.setIncludeProtocols("TLSv1.3", "TLSv1.2");
    // HTTP/1.1 only: no ALPN offer of h2, so clients never expect it.
    SecureRequestCustomizer secure = new SecureRequestCustomizer();
    secure.setStsMaxAge(HSTS_MAX_AGE.toSeconds());
    secure.setStsIncludeSubDomains(false);
    http.addCustomizer(secure);
    http.setSecureScheme("https");
    ServerConnector connector =
        new ServerConnector(
            server, new SslConnectionFactory(ssl, "http/1.1"), new HttpConnectionFactory(http));
    connector.setHost(host);
    connector.setPort(port);
    return connector;
  }
}
