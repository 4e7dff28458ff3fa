package io.securetx.adapter.sql;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A parsed {@code DB_URL}. Accepts the seed's {@code postgres://user:secret@host:5432/db}, {@code
 * postgresql://...}, {@code jdbc:postgresql://...} and {@code sqlite:PATH} / {@code
 * jdbc:sqlite:PATH}. Credentials are kept apart from the JDBC URL so that the URL can be shown.
 *
 * @param dialect the database kind
 * @param jdbcUrl the JDBC URL, without credentials
 * @param user the user name, or null
 * @param password the password, or null
 */
public record DatabaseUrl(
    SqlDialect dialect, String jdbcUrl, @Nullable String user, @Nullable String password) {

  /** A host name (letters, digits, '.', '_', '-') or a bracketed IPv6 address, and a port. */
  private static final Pattern HOST_PORT =
      Pattern.compile("([A-Za-z0-9._\\-]+|\\[[0-9A-Fa-f:.]+\\])(?::([0-9]{1,5}))?");

  /**
   * The embedded default: a SQLite file.
   *
   * @param file the database file
   * @return the URL
   */
  public static DatabaseUrl sqlite(Path file) {
    return new DatabaseUrl(SqlDialect.SQLITE, "jdbc:sqlite:" + file.toAbsolutePath(), null, null);
  }

  /**
   * Parses a {@code DB_URL} value.
   *
   * @param text the value
   * @return the parsed URL
   * @throws IllegalArgumentException with a message that never contains the password
   */
  public static DatabaseUrl parse(String text) {
    String value = text.strip();
    if (value.startsWith("jdbc:sqlite:")) {
      return new DatabaseUrl(SqlDialect.SQLITE, value, null, null);
    }
    if (value.startsWith("sqlite:")) {
      return sqlite(Path.of(value.substring("sqlite:".length())));
    }
    if (value.startsWith("jdbc:postgresql://")) {
      return new DatabaseUrl(SqlDialect.POSTGRESQL, value, null, null);
    }
    if (!value.startsWith("postgres://") && !value.startsWith("postgresql://")) {
      throw new IllegalArgumentException(
          "DB_URL must start with postgres://, postgresql://, jdbc:postgresql://, sqlite: or"
              + " jdbc:sqlite:");
    }
    // Parsed by hand rather than with java.net.URI, which refuses host names with '_' (such as
    // the seed's your_db_host or a compose service name) and passwords with an unencoded '@'.
    if (value.chars().anyMatch(c -> Character.isWhitespace(c) || c == '#')) {
      throw new IllegalArgumentException("DB_URL must not contain spaces or a #fragment");
    }
    String rest = value.substring(value.indexOf("://") + 3);
    int queryStart = rest.indexOf('?');
    String query = queryStart < 0 ? "" : rest.substring(queryStart);
    String beforeQuery = queryStart < 0 ? rest : rest.substring(0, queryStart);
    int at = beforeQuery.lastIndexOf('@');
    String userInfo = at < 0 ? null : beforeQuery.substring(0, at);
    String hostAndPath = beforeQuery.substring(at + 1);
    int slash = hostAndPath.indexOf('/');
    String hostPort = slash < 0 ? hostAndPath : hostAndPath.substring(0, slash);
    String path = slash < 0 ? "/" : hostAndPath.substring(slash);
    Matcher matcher = HOST_PORT.matcher(hostPort);
    if (!matcher.matches()) {
      throw new IllegalArgumentException("DB_URL has no valid host[:port]");
    }
    int port = matcher.group(2) == null ? 5432 : Integer.parseInt(matcher.group(2));
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("DB_URL has a port outside 1-65535");
    }
    String user = null;
    String password = null;
    if (userInfo != null) {
      int colon = userInfo.indexOf(':');
      user = decode(colon < 0 ? userInfo : userInfo.substring(0, colon));
      password = colon < 0 ? null : decode(userInfo.substring(colon + 1));
    }
    String jdbc = "jdbc:postgresql://" + matcher.group(1) + ":" + port + path + query;
    return new DatabaseUrl(SqlDialect.POSTGRESQL, jdbc, user, password);
  }

  private static String decode(String raw) {
    try {
      return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      // The decoder's own message quotes the credentials; never pass it on.
      throw new IllegalArgumentException("DB_URL has a malformed %-escape in its credentials");
    }
  }

  /** The URL as it may be shown: credentials replaced. */
  public String redacted() {
    // A passed-through jdbc: URL may carry user info; mask up to the last '@' before any query.
    return jdbcUrl
            .replaceFirst("://[^?#]*@", "://****@")
            .replaceAll("(?i)(password=)[^&]*", "$1****")
        + (user == null
            ? ""
            : " (user " + user + (password == null ? "" : ", password ****") + ")");
  }

  @Override
  public String toString() {
    return redacted();
  }
}
