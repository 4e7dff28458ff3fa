package io.securetx.adapter.smtp;

import static java.util.Objects.requireNonNull;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A parsed {@code SMTP_URL}.
 *
 * <ul>
 *   <li>{@code smtp://host[:port]} (port 587 by default): STARTTLS is required; a server that does
 *       not offer it, or a certificate that does not verify, fails the send.
 *   <li>{@code smtps://host[:port]} (port 465 by default): TLS from the first byte.
 *   <li>{@code smtp://host:port?starttls=false}: no encryption at all, only for a local test mail
 *       catcher; credentials are refused with it, since they would travel in clear text.
 * </ul>
 *
 * Credentials may be given as {@code smtp://user:password@host} (percent-encoded where needed).
 * Query parameters {@code connect_timeout} and {@code timeout} set the connect and read/write
 * timeouts in whole seconds (defaults 10 and 30). Neither {@link #toString()} nor any exception
 * message contains the password.
 */
public final class SmtpUrl {

  /** How the connection is secured. */
  public enum Security {
    /** Plain connection upgraded with STARTTLS, which the server must offer. */
    STARTTLS,
    /** TLS from the first byte ({@code smtps://}). */
    IMPLICIT_TLS,
    /** No encryption ({@code ?starttls=false}); for local test servers only. */
    NONE
  }

  /** The connect timeout when none is given. */
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);

  /** The read and write timeout when none is given. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

  private static final int MAX_TIMEOUT_SECONDS = 600;

  /** A host name (letters, digits, '.', '_', '-') or a bracketed IPv6 address, and a port. */
  private static final Pattern HOST_PORT =
      Pattern.compile("([A-Za-z0-9._\\-]+|\\[[0-9A-Fa-f:.]+\\])(?::([0-9]{1,5}))?");

  private final Security security;
  private final String host;
  private final int port;
  private final @Nullable String username;
  private final @Nullable String password;
  private final Duration connectTimeout;
  private final Duration timeout;

  private SmtpUrl(
      Security security,
      String host,
      int port,
      @Nullable String username,
      @Nullable String password,
      Duration connectTimeout,
      Duration timeout) {
    this.security = security;
    this.host = host;
    this.port = port;
    this.username = username;
    this.password = password;
    this.connectTimeout = connectTimeout;
    this.timeout = timeout;
  }

  /**
   * Parses an {@code SMTP_URL} value.
   *
   * @param text the value
   * @return the parsed URL
   * @throws IllegalArgumentException naming {@code SMTP_URL} and what is wrong, never the password
   */
  public static SmtpUrl parse(String text) {
    requireNonNull(text, "text");
    String value = text.strip();
    String lower = value.toLowerCase(Locale.ROOT);
    Security security;
    String rest;
    if (lower.startsWith("smtp://")) {
      security = Security.STARTTLS;
      rest = value.substring("smtp://".length());
    } else if (lower.startsWith("smtps://")) {
      security = Security.IMPLICIT_TLS;
      rest = value.substring("smtps://".length());
    } else {
      throw new IllegalArgumentException("SMTP_URL must start with smtp:// or smtps://");
    }
    if (value.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
      throw new IllegalArgumentException("SMTP_URL must not contain spaces or control characters");
    }
    if (value.indexOf('#') >= 0) {
      throw new IllegalArgumentException("SMTP_URL must not contain a #fragment");
    }
    int queryStart = rest.indexOf('?');
    String query = queryStart < 0 ? "" : rest.substring(queryStart + 1);
    String authority = queryStart < 0 ? rest : rest.substring(0, queryStart);
    // The last '@' ends the credentials, so an unencoded '@' in a password still parses.
    int at = authority.lastIndexOf('@');
    String userInfo = at < 0 ? null : authority.substring(0, at);
    String hostPort = authority.substring(at + 1);
    if (hostPort.endsWith("/")) {
      hostPort = hostPort.substring(0, hostPort.length() - 1);
    }
    if (hostPort.indexOf('/') >= 0) {
      throw new IllegalArgumentException("SMTP_URL must not have a path");
    }
    Matcher matcher = HOST_PORT.matcher(hostPort);
    if (!matcher.matches()) {
      throw new IllegalArgumentException("SMTP_URL has no valid host[:port]");
    }
    String host = matcher.group(1);
    if (host.startsWith("[")) {
      host = host.substring(1, host.length() - 1);
    }
    int port = security == Security.IMPLICIT_TLS ? 465 : 587;
    if (matcher.group(2) != null) {
      port = Integer.parseInt(matcher.group(2));
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("SMTP_URL has a port outside 1-65535");
      }
    }
    String username = null;
    String password = null;
    if (userInfo != null) {
      int colon = userInfo.indexOf(':');
      username = decode(colon < 0 ? userInfo : userInfo.substring(0, colon));
      password = colon < 0 ? null : decode(userInfo.substring(colon + 1));
      if (username.isEmpty()) {
        throw new IllegalArgumentException("SMTP_URL has credentials without a user name");
      }
      if (password == null || password.isEmpty()) {
        throw new IllegalArgumentException("SMTP_URL has a user name but no password");
      }
    }
    Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
    Duration timeout = DEFAULT_TIMEOUT;
    for (String parameter : query.isEmpty() ? new String[0] : query.split("&", -1)) {
      int eq = parameter.indexOf('=');
      String name = eq < 0 ? parameter : parameter.substring(0, eq);
      String setting = eq < 0 ? "" : parameter.substring(eq + 1);
      switch (name) {
        case "starttls" -> {
          if (security == Security.IMPLICIT_TLS) {
            throw new IllegalArgumentException(
                "SMTP_URL: starttls applies to smtp://, not to smtps://");
          }
          security =
              switch (setting) {
                case "true", "required" -> Security.STARTTLS;
                case "false" -> Security.NONE;
                default ->
                    throw new IllegalArgumentException(
                        "SMTP_URL: starttls must be true (the default) or false");
              };
        }
        case "connect_timeout" -> connectTimeout = seconds(name, setting);
        case "timeout" -> timeout = seconds(name, setting);
        default ->
            throw new IllegalArgumentException(
                "SMTP_URL has an unknown parameter '"
                    + (name.length() > 40 ? name.substring(0, 40) + "..." : name)
                    + "'; known: starttls, connect_timeout, timeout");
      }
    }
    SmtpUrl url = new SmtpUrl(security, host, port, username, password, connectTimeout, timeout);
    url.checkCredentialsAreEncrypted();
    return url;
  }

  private static Duration seconds(String name, String setting) {
    if (!setting.matches("[0-9]{1,4}")
        || Integer.parseInt(setting) < 1
        || Integer.parseInt(setting) > MAX_TIMEOUT_SECONDS) {
      throw new IllegalArgumentException(
          "SMTP_URL: " + name + " must be whole seconds from 1 to " + MAX_TIMEOUT_SECONDS);
    }
    return Duration.ofSeconds(Integer.parseInt(setting));
  }

  private static String decode(String raw) {
    try {
      return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      // The decoder's own message quotes the credentials; never pass it on.
      throw new IllegalArgumentException("SMTP_URL has a malformed %-escape in its credentials");
    }
  }

  private void checkCredentialsAreEncrypted() {
    if (username != null && security == Security.NONE) {
      throw new IllegalArgumentException(
          "SMTP_URL: credentials are refused with starttls=false, since they would travel in"
              + " clear text; use STARTTLS (the default) or smtps://");
    }
  }

  /**
   * Returns a copy with credentials given apart from the URL ({@code SMTP_USERNAME} and {@code
   * SMTP_PASSWORD}).
   *
   * @param user the user name
   * @param secret the password
   * @return the copy
   * @throws IllegalArgumentException if this URL has credentials already, a value is empty, or the
   *     connection is unencrypted
   */
  public SmtpUrl withCredentials(String user, String secret) {
    requireNonNull(user, "user");
    requireNonNull(secret, "secret");
    if (username != null) {
      throw new IllegalArgumentException(
          "SMTP_URL has credentials and SMTP_USERNAME is set; give them in one place only");
    }
    if (user.isEmpty() || secret.isEmpty()) {
      throw new IllegalArgumentException("SMTP_USERNAME and SMTP_PASSWORD must not be empty");
    }
    SmtpUrl url = new SmtpUrl(security, host, port, user, secret, connectTimeout, timeout);
    url.checkCredentialsAreEncrypted();
    return url;
  }

  /** How the connection is secured. */
  public Security security() {
    return security;
  }

  /** The server's host name or address. */
  public String host() {
    return host;
  }

  /** The server's port. */
  public int port() {
    return port;
  }

  /** The user name, or null to send without authentication. */
  public @Nullable String username() {
    return username;
  }

  /** The password, or null; never print it. */
  @Nullable String insecurePassword() {
    return password;
  }

  /** How long to wait for the connection. */
  public Duration connectTimeout() {
    return connectTimeout;
  }

  /** How long to wait for each read or write. */
  public Duration timeout() {
    return timeout;
  }

  /** The server as it may be shown in logs and errors: {@code host:port}. */
  public String server() {
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }

  /** The URL as it may be shown: no password. */
  @Override
  public String toString() {
    return (security == Security.IMPLICIT_TLS ? "smtps://" : "smtp://")
        + (username == null ? "" : username + ":****@")
        + server()
        + (security == Security.NONE ? "?starttls=false" : "");
  }
}
