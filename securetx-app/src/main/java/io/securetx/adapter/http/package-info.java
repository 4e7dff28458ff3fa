/**
 * The HTTP API on Javalin: {@code /v1} routes over the vault, API keys as bearer tokens held only
 * as SHA-256 hashes, a per-key token-bucket rate limit, a request body limit, idempotency keys with
 * in-process tracking of requests still in flight, RFC 9457 problem documents for every error
 * (Javalin's and Jetty's own included), health and readiness probes and the OpenAPI document.
 * {@link io.securetx.adapter.http.HttpApiServer} is the entry point; further routes plug in through
 * {@link io.securetx.adapter.http.RouteModule}, and work that runs beside the server (an in-process
 * worker) through {@link io.securetx.adapter.http.BackgroundService}. {@link
 * io.securetx.adapter.http.HttpMetricsServer} is the other server: a port of its own for {@code
 * /metrics} and {@code /healthz}, on the JDK's HTTP server, for processes without the API.
 */
@NullMarked
package io.securetx.adapter.http;

import org.jspecify.annotations.NullMarked;
