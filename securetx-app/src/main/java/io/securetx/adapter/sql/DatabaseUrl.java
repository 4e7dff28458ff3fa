package io.securetx.adapter.sql;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
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
    URI uri;
    try {
      uri = new URI(value);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("DB_URL is not a valid URL", null);
    }
    if (uri.getHost() == null) {
      throw new IllegalArgumentException("DB_URL has no host");
    }
    String user = null;
    String password = null;
    String userInfo = uri.getRawUserInfo();
    if (userInfo != null) {
      int colon = userInfo.indexOf(':');
      user = decode(colon < 0 ? userInfo : userInfo.substring(0, colon));
      password = colon < 0 ? null : decode(userInfo.substring(colon + 1));
    }
    int port = uri.getPort() < 0 ? 5432 : uri.getPort();
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
    String jdbc = "jdbc:postgresql://" + uri.getHost() + ":" + port + path + query;
    return new DatabaseUrl(SqlDialect.POSTGRESQL, jdbc, user, password);
  }

  private static String decode(String raw) {
    return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
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
