package io.securetx.adapter.http;

import io.securetx.SecureTxException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Ends a request with an RFC 9457 problem document. Route handlers throw it; the server renders it
 * as {@code application/problem+json} with the request path as {@code instance}. The detail and the
 * extension members are sent to the client as they are, so they must never hold a secret.
 */
public final class ProblemException extends SecureTxException {
  private static final long serialVersionUID = 1L;

  /** Where the problem types of this API live, relative to the API's own origin. */
  public static final String TYPE_BASE = "/problems/";

  private final int status;
  private final String type;
  private final String title;
  private final String detail;
  private final Map<String, Object> extensions;
  private final Map<String, String> headers;

  private ProblemException(
      int status,
      String type,
      String title,
      String detail,
      Map<String, Object> extensions,
      Map<String, String> headers) {
    super(status + " " + title + ": " + detail);
    if (status < 400 || status > 599) {
      throw new IllegalArgumentException("a problem has a 4xx or 5xx status, got " + status);
    }
    this.status = status;
    this.type = type;
    this.title = title;
    this.detail = detail;
    this.extensions = new LinkedHashMap<>(extensions);
    this.headers = new LinkedHashMap<>(headers);
  }

  /**
   * A problem of this API's own kind, typed {@code /problems/NAME}.
   *
   * @param status the HTTP status
   * @param name the problem type's name, e.g. {@code validation-error}
   * @param title a short summary that is the same for every occurrence of the type
   * @param detail what went wrong this time, for the client
   * @return the problem
   */
  public static ProblemException of(int status, String name, String title, String detail) {
    return new ProblemException(status, TYPE_BASE + name, title, detail, Map.of(), Map.of());
  }

  /**
   * A plain HTTP error ({@code type} {@code about:blank}, the status phrase as title).
   *
   * @param status the HTTP status
   * @param detail what went wrong this time
   * @return the problem
   */
  public static ProblemException http(int status, String detail) {
    return new ProblemException(
        status, "about:blank", Problems.reasonPhrase(status), detail, Map.of(), Map.of());
  }

  /**
   * The same problem with one more member in the document.
   *
   * @param name the member's name
   * @param value a value Jackson can render
   * @return a new problem
   */
  public ProblemException with(String name, Object value) {
    Map<String, Object> more = new LinkedHashMap<>(extensions);
    more.put(name, value);
    return new ProblemException(status, type, title, detail, more, headers);
  }

  /**
   * The same problem with one more response header.
   *
   * @param name the header name
   * @param value the header value
   * @return a new problem
   */
  public ProblemException withHeader(String name, String value) {
    Map<String, String> more = new LinkedHashMap<>(headers);
    more.put(name, value);
    return new ProblemException(status, type, title, detail, extensions, more);
  }

  /** The HTTP status. */
  public int status() {
    return status;
  }

  /** The problem type URI reference. */
  public String type() {
    return type;
  }

  /** The problem type's title. */
  public String title() {
    return title;
  }

  /** This occurrence's explanation. */
  public String detail() {
    return detail;
  }

  /** Further members of the document, in order. */
  public Map<String, Object> extensions() {
    return Map.copyOf(extensions);
  }

  Map<String, Object> orderedExtensions() {
    return extensions;
  }

  /** Response headers that go with the problem. */
  public Map<String, String> headers() {
    return Map.copyOf(headers);
  }
}
