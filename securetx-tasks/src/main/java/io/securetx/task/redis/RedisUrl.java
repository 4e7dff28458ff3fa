package io.securetx.task.redis;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import java.util.Locale;
import java.util.Objects;
import java.util.StringJoiner;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import org.jspecify.annotations.Nullable;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;

/**
 * Where a Redis server is and how to log in: {@code redis://[[user]:password@]host[:port][/db]}, or
 * {@code rediss://} for TLS, as Celery's {@code broker_url} writes it. User and password may be
 * percent-encoded. The password never appears in {@link #toString()} nor in an error message.
 *
 * <p>Over TLS the server's certificate is always verified, host name included. It must chain to the
 * JVM's trusted CAs, or to the PEM certificates of {@code ?ssl_ca_certs=/path/ca.pem} (Celery's
 * parameter name, read when the URL is parsed); {@code ssl_cert_reqs=required} (or {@code
 * CERT_REQUIRED}) is accepted as the only mode there is.
 *
 * <p>For servers that require client certificates (Redis's {@code tls-auth-clients yes}), {@code
 * ssl_certfile} names the PEM certificate (followed by any intermediate CAs) and {@code
 * ssl_keyfile} its unencrypted PEM private key, as in kombu and redis-py; both or neither. They are
 * read, and the key checked against the certificate, when the URL is parsed. {@link #toString()}
 * shows their paths, never their contents.
 */
public final class RedisUrl {

  /** The address used when none is configured: {@value}. */
  public static final String DEFAULT = "redis://localhost:6379/0";

  private static final int DEFAULT_PORT = 6379;
  private static final String FORM = "expected redis://[[user]:password@]host[:port][/db]";

  private final boolean tls;
  private final @Nullable String user;
  private final @Nullable String password;
  private final String host;
  private final int port;
  private final int database;
  private final TlsFiles files;
  private final @Nullable SSLSocketFactory sockets;

  private RedisUrl(
      boolean tls,
      @Nullable String user,
      @Nullable String password,
      String host,
      int port,
      int database,
      TlsFiles files) {
    this.files = files;
    this.sockets = files.sockets();
    this.tls = tls;
    this.user = user;
    this.password = password;
    this.host = host;
    this.port = port;
    this.database = database;
  }

  /**
   * Parses a Redis URL.
   *
   * @param url the URL, such as {@code redis://:secret@cache.internal:6380/2}
   * @return the parsed address
   * @throws IllegalArgumentException if the URL is malformed; the message never contains the
   *     password
   */
  public static RedisUrl parse(String url) {
    Objects.requireNonNull(url, "url");
    String lower = url.toLowerCase(Locale.ROOT);
    boolean tls;
    String rest;
    if (lower.startsWith("redis://")) {
      tls = false;
      rest = url.substring("redis://".length());
    } else if (lower.startsWith("rediss://")) {
      tls = true;
      rest = url.substring("rediss://".length());
    } else {
      // The whole URL is not echoed: a typo in the scheme still leaves a password in it.
      throw bad("the scheme must be redis:// or rediss://");
    }
    TlsFiles files = TlsFiles.NONE;
    int query = rest.indexOf('?', rest.lastIndexOf('@') + 1);
    if (tls && query >= 0) {
      files = tlsParameters(rest.substring(query + 1));
      rest = rest.substring(0, query);
    }
    int slash = rest.indexOf('/');
    String authority = slash < 0 ? rest : rest.substring(0, slash);
    String path = slash < 0 ? "" : rest.substring(slash + 1);
    int at = authority.lastIndexOf('@');
    String user = null;
    String password = null;
    String hostPort = authority;
    if (at >= 0) {
      String userInfo = authority.substring(0, at);
      hostPort = authority.substring(at + 1);
      int colon = userInfo.indexOf(':');
      if (colon < 0) {
        throw bad("the part before '@' must be [user]:password");
      }
      String rawUser = userInfo.substring(0, colon);
      user = rawUser.isEmpty() ? null : decode(rawUser, "user");
      password = decode(userInfo.substring(colon + 1), "password");
      if (password.isEmpty()) {
        throw bad("the password is empty");
      }
    }
    if (hostPort.indexOf('?') >= 0 || path.indexOf('?') >= 0 || path.indexOf('#') >= 0) {
      throw bad("query parameters and fragments are not supported");
    }
    String host;
    String portText = null;
    if (hostPort.startsWith("[")) {
      int close = hostPort.indexOf(']');
      if (close < 0) {
        throw bad("an IPv6 host lacks its closing ']'");
      }
      host = hostPort.substring(1, close);
      String after = hostPort.substring(close + 1);
      if (!after.isEmpty()) {
        if (!after.startsWith(":")) {
          throw bad("unexpected text after the IPv6 host");
        }
        portText = after.substring(1);
      }
    } else {
      int colon = hostPort.lastIndexOf(':');
      host = colon < 0 ? hostPort : hostPort.substring(0, colon);
      portText = colon < 0 ? null : hostPort.substring(colon + 1);
    }
    if (host.isEmpty()) {
      throw bad("the host is missing");
    }
    if (!host.chars().allMatch(c -> c > ' ' && c < 0x7f && c != '/' && c != '@')) {
      throw bad("the host contains characters a host name cannot have");
    }
    int port = portText == null ? DEFAULT_PORT : number(portText, "port", 1, 65_535);
    int database = path.isEmpty() ? 0 : number(path, "database", 0, Integer.MAX_VALUE);
    return new RedisUrl(tls, user, password, host, port, database, files);
  }

  /** The query of a {@code rediss://} URL: the files it names, read and checked. */
  private static TlsFiles tlsParameters(String query) {
    Path caCerts = null;
    Path certFile = null;
    Path keyFile = null;
    for (String parameter : query.split("&", -1)) {
      int equals = parameter.indexOf('=');
      String name = equals < 0 ? parameter : parameter.substring(0, equals);
      String value = equals < 0 ? "" : decode(parameter.substring(equals + 1), "parameter value");
      switch (name) {
        case "ssl_ca_certs" -> caCerts = path(name, value, "a PEM file of CA certificates");
        case "ssl_certfile" -> certFile = path(name, value, "the PEM client certificate");
        case "ssl_keyfile" -> keyFile = path(name, value, "the PEM private key");
        case "ssl_cert_reqs" -> {
          if (!value.equalsIgnoreCase("required") && !value.equals("CERT_REQUIRED")) {
            throw bad(
                "ssl_cert_reqs must be required: the server's certificate is always verified");
          }
        }
        case "ssl_password" ->
            throw bad(
                "ssl_password is not supported: give ssl_keyfile an unencrypted key, readable"
                    + " only by this service");
        default ->
            throw bad(
                "unknown query parameter; rediss:// accepts ssl_ca_certs, ssl_certfile,"
                    + " ssl_keyfile and ssl_cert_reqs=required");
      }
    }
    if ((certFile == null) != (keyFile == null)) {
      throw bad("ssl_certfile and ssl_keyfile go together: give both or neither");
    }
    return new TlsFiles(caCerts, certFile, keyFile);
  }

  private static Path path(String name, String value, String what) {
    if (value.isEmpty()) {
      throw bad(name + " must name " + what);
    }
    try {
      return Path.of(value);
    } catch (InvalidPathException e) {
      throw bad(name + " is not a valid path");
    }
  }

  /** A trust manager factory that trusts exactly the certificates in a PEM file. */
  private static TrustManagerFactory trusting(Path pem) {
    try (InputStream in = Files.newInputStream(pem)) {
      Collection<? extends Certificate> certificates =
          CertificateFactory.getInstance("X.509").generateCertificates(in);
      if (certificates.isEmpty()) {
        throw bad("ssl_ca_certs (" + pem + ") holds no PEM certificate");
      }
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      int i = 0;
      for (Certificate certificate : certificates) {
        store.setCertificateEntry("ca-" + i++, certificate);
      }
      TrustManagerFactory trust =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(store);
      return trust;
    } catch (IOException e) {
      throw bad("ssl_ca_certs names a file that cannot be read: " + pem);
    } catch (GeneralSecurityException e) {
      throw bad("ssl_ca_certs (" + pem + ") is not a file of PEM certificates");
    }
  }

  /** The files of a {@code rediss://} URL's query; any of them may be absent. */
  private record TlsFiles(@Nullable Path caCerts, @Nullable Path certFile, @Nullable Path keyFile) {

    static final TlsFiles NONE = new TlsFiles(null, null, null);

    /** Reads the files; null when none is named (the JVM's defaults then serve). */
    @Nullable SSLSocketFactory sockets() {
      if (caCerts == null && certFile == null) {
        return null;
      }
      TrustManager[] trust = caCerts == null ? null : trusting(caCerts).getTrustManagers();
      KeyManager[] keys =
          certFile == null || keyFile == null
              ? null
              : new KeyManager[] {ClientCertificate.read(certFile, keyFile)};
      try {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys, trust, null);
        return context.getSocketFactory();
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("the JVM offers no TLS context", e);
      }
    }

    /** The query as written back by {@link RedisUrl#toString()}: paths only. */
    String query() {
      StringJoiner query = new StringJoiner("&", "?", "").setEmptyValue("");
      if (caCerts != null) {
        query.add("ssl_ca_certs=" + caCerts);
      }
      if (certFile != null) {
        query.add("ssl_certfile=" + certFile);
      }
      if (keyFile != null) {
        query.add("ssl_keyfile=" + keyFile);
      }
      return query.toString();
    }
  }

  /**
   * Returns the default address, {@value #DEFAULT}.
   *
   * @return the address
   */
  public static RedisUrl defaultUrl() {
    return parse(DEFAULT);
  }

  private static int number(String text, String what, int min, int max) {
    if (text.isEmpty() || text.length() > 10 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw bad("the " + what + " must be a number, was '" + text + "'");
    }
    long value = Long.parseLong(text);
    if (value < min || value > max) {
      throw bad("the " + what + " must be between " + min + " and " + max + ", was " + value);
    }
    return (int) value;
  }

  private static String decode(String text, String what) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '%') {
        if (i + 2 >= text.length()
            || Character.digit(text.charAt(i + 1), 16) < 0
            || Character.digit(text.charAt(i + 2), 16) < 0) {
          throw bad("the " + what + " has a malformed percent escape");
        }
        bytes.write(
            Character.digit(text.charAt(i + 1), 16) * 16 + Character.digit(text.charAt(i + 2), 16));
        i += 2;
      } else {
        byte[] encoded = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        bytes.write(encoded, 0, encoded.length);
      }
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes.toByteArray()))
          .toString();
    } catch (CharacterCodingException e) {
      throw bad("the " + what + " is not UTF-8 once percent-decoded");
    }
  }

  /** The one form of this package's URL errors; {@code reason} must hold no secret. */
  static IllegalArgumentException bad(String reason) {
    return new IllegalArgumentException("invalid Redis URL: " + reason + " (" + FORM + ")");
  }

  /**
   * Tells whether the connection uses TLS ({@code rediss://}).
   *
   * @return true for TLS
   */
  public boolean tls() {
    return tls;
  }

  /**
   * Returns the host name or address, without brackets for IPv6.
   *
   * @return the host
   */
  public String host() {
    return host;
  }

  /**
   * Returns the port.
   *
   * @return the port, 6379 unless given
   */
  public int port() {
    return port;
  }

  /**
   * Returns the database number.
   *
   * @return the database, 0 unless given
   */
  public int database() {
    return database;
  }

  /**
   * Returns the user name for Redis 6 ACLs.
   *
   * @return the user, or null to log in as the default user
   */
  public @Nullable String user() {
    return user;
  }

  /**
   * Tells whether a password is set, without revealing it.
   *
   * @return true if the URL carries a password
   */
  public boolean hasPassword() {
    return password != null;
  }

  HostAndPort hostAndPort() {
    return new HostAndPort(host, port);
  }

  JedisClientConfig clientConfig(String clientName, int timeoutMillis) {
    DefaultJedisClientConfig.Builder b =
        DefaultJedisClientConfig.builder()
            .database(database)
            .clientName(clientName)
            .timeoutMillis(timeoutMillis);
    if (user != null) {
      b.user(user);
    }
    if (password != null) {
      b.password(password);
    }
    if (tls) {
      // Verify that the certificate names this host, which the JDK's socket factory does not do
      // unless asked.
      SSLParameters params = new SSLParameters();
      params.setEndpointIdentificationAlgorithm("HTTPS");
      b.ssl(true).sslParameters(params);
      if (sockets != null) {
        b.sslSocketFactory(sockets);
      }
    }
    return b.build();
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof RedisUrl u
        && tls == u.tls
        && port == u.port
        && database == u.database
        && host.equals(u.host)
        && Objects.equals(user, u.user)
        && Objects.equals(password, u.password)
        && files.equals(u.files);
  }

  @Override
  public int hashCode() {
    return Objects.hash(tls, user, host, port, database);
  }

  /** Returns the URL with the password masked as {@code ****}. */
  @Override
  public String toString() {
    StringBuilder s = new StringBuilder(tls ? "rediss://" : "redis://");
    if (password != null) {
      s.append(user == null ? "" : user).append(":****@");
    }
    s.append(host.indexOf(':') >= 0 ? "[" + host + "]" : host);
    s.append(':').append(port).append('/').append(database);
    return s.append(files.query()).toString();
  }
}
