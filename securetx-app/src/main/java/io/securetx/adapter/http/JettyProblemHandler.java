package io.securetx.adapter.http;

import java.nio.ByteBuffer;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.jspecify.annotations.Nullable;

/**
 * Jetty's own error responses — a request Jetty refuses before Javalin sees it (a malformed request
 * line, headers too large, an ambiguous URI) — as problem documents too, whatever the client
 * accepts. Jetty's reason is passed on for client errors when it is short plain text; server errors
 * say nothing beyond their status.
 *
 * <p>Jetty closes the connection after such a response, so the response says {@code Connection:
 * close}: a client that pooled the connection would otherwise send its next request into a closed
 * socket, and a POST is not retried.
 */
final class JettyProblemHandler extends ErrorHandler {

  private static final Pattern SAFE_REASON = Pattern.compile("[A-Za-z0-9 .,:;()_/'-]{1,120}");

  @Override
  public boolean errorPageForMethod(String method) {
    return true;
  }

  @Override
  protected void generateResponse(
      Request request,
      Response response,
      int code,
      @Nullable String message,
      @Nullable Throwable cause,
      Callback callback) {
    String detail =
        code < 500 && message != null && SAFE_REASON.matcher(message).matches()
            ? "the HTTP server refused the request: " + message
            : "the HTTP server refused the request";
    byte[] body = Problems.plain(code, detail, instance(request));
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, Problems.MEDIA_TYPE);
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
    response.getHeaders().put(HttpHeader.CONNECTION, "close");
    response.write(true, ByteBuffer.wrap(body), callback);
  }

  private static String instance(Request request) {
    try {
      String path = request.getHttpURI().getPath();
      return path == null ? "" : Problems.instance(path);
    } catch (RuntimeException e) {
      return "";
    }
  }
}
