package io.securetx.adapter.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.micrometer.core.instrument.MeterRegistry;
import io.securetx.observability.Audit;
import io.securetx.observability.Metrics;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.MDC;

/**
 * Where a {@link RouteModule} adds its routes. {@link #get} and {@link #post} routes require a
 * valid API key ({@code Authorization: Bearer ...}) and take a token from the key's rate limit
 * before their handler runs; {@link #publicGet} routes need neither. Handlers report failures by
 * throwing {@link ProblemException} (or letting a core exception through, which is mapped).
 */
public final class ApiRoutes {

  /** The MDC key of the id of the API key that authenticated the request. */
  public static final String MDC_KEY_ID = "key_id";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String KEY_ATTRIBUTE = "io.securetx.apiKey";

  private final RoutesConfig routes;
  private final ApiKeys keys;
  private final RateLimiter limiter;
  private final Metrics metrics;

  ApiRoutes(RoutesConfig routes, ApiKeys keys, RateLimiter limiter, Metrics metrics) {
    this.routes = routes;
    this.keys = keys;
    this.limiter = limiter;
    this.metrics = metrics;
  }

  /**
   * The registry of the server's meters, for modules that add their own (name them {@code
   * securetx.*}; never tag them with ids or raw paths).
   *
   * @return the registry
   */
  public MeterRegistry meters() {
    return metrics.registry();
  }

  /**
   * Adds an authenticated GET route.
   *
   * @param path the path, with {@code {name}} parameters
   * @param handler the handler
   * @return this
   */
  public ApiRoutes get(String path, Handler handler) {
    routes.get(path, guarded("GET " + path, handler));
    return this;
  }

  /**
   * Adds an authenticated POST route.
   *
   * @param path the path, with {@code {name}} parameters
   * @param handler the handler
   * @return this
   */
  public ApiRoutes post(String path, Handler handler) {
    routes.post(path, guarded("POST " + path, handler));
    return this;
  }

  /**
   * Adds a GET route that needs no API key and has no rate limit (probes, documents).
   *
   * @param path the path
   * @param handler the handler
   * @return this
   */
  public ApiRoutes publicGet(String path, Handler handler) {
    routes.get(path, handler);
    return this;
  }

  /**
   * Adds a POST route that needs no API key and has no rate limit; the handler authenticates the
   * request its own way (the dashboard: a session cookie and a CSRF token).
   *
   * @param path the path
   * @param handler the handler
   * @return this
   */
  public ApiRoutes publicPost(String path, Handler handler) {
    routes.post(path, handler);
    return this;
  }

  /**
   * The id of the API key that authenticated the request (a hash prefix such as {@code
   * key_3fa9c1d2e4b5}, safe to log), for authenticated routes.
   *
   * @param ctx the request
   * @return the key id
   * @throws IllegalStateException on a public route
   */
  public static String apiKeyId(Context ctx) {
    Object id = ctx.attribute(KEY_ATTRIBUTE);
    if (id instanceof String text) {
      return text;
    }
    throw new IllegalStateException("not an authenticated route");
  }

  /**
   * Reads the request body as one JSON object, strictly (see README: limits).
   *
   * @param ctx the request
   * @return the object
   * @throws ProblemException 400, 413 or 415 when the body is not a JSON object within the limits
   */
  public static ObjectNode jsonObject(Context ctx) {
    return RequestBodies.object(ctx);
  }

  /**
   * Answers with a JSON body.
   *
   * @param ctx the request
   * @param status the HTTP status
   * @param body a value Jackson can render
   */
  public static void json(Context ctx, int status, Object body) {
    try {
      ctx.status(status).contentType("application/json").result(JSON.writeValueAsBytes(body));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot render a response", e);
    }
  }

  private Handler guarded(String route, Handler handler) {
    Objects.requireNonNull(handler, "handler");
    return ctx -> {
      String keyId = authenticate(ctx, route);
      MDC.put(MDC_KEY_ID, keyId);
      long wait = limiter.acquire(keyId);
      if (wait > 0) {
        throw ProblemException.http(
                429, "the rate limit of this API key is used up; retry in " + wait + " s")
            .withHeader("Retry-After", Long.toString(wait));
      }
      ctx.attribute(KEY_ATTRIBUTE, keyId);
      handler.handle(ctx);
    };
  }

  private String authenticate(Context ctx, String route) {
    List<String> headers = Collections.list(ctx.req().getHeaders("Authorization"));
    if (headers.size() > 1) {
      refused(ctx, route, "repeated");
      throw unauthorized(
          "Bearer realm=\"securetx\", error=\"invalid_request\"",
          "send the Authorization header once");
    }
    String header = headers.isEmpty() ? null : headers.get(0);
    if (header == null) {
      refused(ctx, route, "missing");
      throw unauthorized("Bearer realm=\"securetx\"", "send Authorization: Bearer <API key>");
    }
    String token = bearerToken(header);
    Optional<String> keyId = token == null ? Optional.empty() : keys.authenticate(token);
    if (keyId.isEmpty()) {
      refused(ctx, route, token == null ? "malformed" : "invalid");
      throw unauthorized(
          "Bearer realm=\"securetx\", error=\"invalid_token\"",
          token == null
              ? "the Authorization header must be: Bearer <API key>"
              : "the API key is not valid");
    }
    return keyId.get();
  }

  /** Audit and count a refused credential: who failed and where, never what they sent. */
  private void refused(Context ctx, String route, String reason) {
    metrics.authFailure(reason);
    Audit.failure("auth.api_key")
        .with("reason", reason)
        .with("remote_addr", ctx.ip())
        .with("route", route)
        .log();
  }

  /** The token of {@code Bearer <token>} (scheme case-insensitive), or null if malformed. */
  private static @org.jspecify.annotations.Nullable String bearerToken(String header) {
    String value = header.strip();
    int space = value.indexOf(' ');
    if (space < 0 || !value.substring(0, space).equalsIgnoreCase("Bearer")) {
      return null;
    }
    String token = value.substring(space + 1).strip();
    return token.isEmpty() || token.length() > 512 ? null : token;
  }

  private static ProblemException unauthorized(String challenge, String detail) {
    return ProblemException.http(401, detail).withHeader("WWW-Authenticate", challenge);
  }
}
