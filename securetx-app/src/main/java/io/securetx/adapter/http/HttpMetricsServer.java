package io.securetx.adapter.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.securetx.observability.Metrics;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A port of its own that answers only {@code GET /metrics} (the process's {@link Metrics}, in the
 * Prometheus text format) and {@code GET /healthz}: for {@code securetx worker}, which has no HTTP
 * API, and for {@code securetx serve}, to keep the meters off a public API port. Any other path
 * answers 404, any other method 405.
 *
 * <p>It runs on the JDK's own HTTP server: two routes need no framework, and a worker process then
 * starts no Jetty. Two threads answer, with a short queue; beyond it the accepting thread answers
 * itself, so a flood slows accepting instead of growing memory. The JDK's server waits for a slow
 * request forever by default, so two clients that send one byte each would hold both threads (and
 * {@code /healthz} with them): a request must arrive within {@value #MAX_REQUEST_SECONDS} s and a
 * response be taken within {@value #MAX_RESPONSE_SECONDS} s, or the connection is closed. These are
 * JVM-wide settings of the JDK's server, read when it is first used; a value set on the command
 * line wins. No API key: scrapers rarely hold one, and nothing here is an id or a secret, but it
 * describes the service, so it listens on loopback unless told otherwise.
 */
public final class HttpMetricsServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(HttpMetricsServer.class);

  private static final int THREADS = 2;
  private static final int QUEUED = 16;
  static final int MAX_REQUEST_SECONDS = 5;
  static final int MAX_RESPONSE_SECONDS = 10;

  static {
    if (System.getProperty("sun.net.httpserver.maxReqTime") == null) {
      System.setProperty("sun.net.httpserver.maxReqTime", Integer.toString(MAX_REQUEST_SECONDS));
    }
    if (System.getProperty("sun.net.httpserver.maxRspTime") == null) {
      System.setProperty("sun.net.httpserver.maxRspTime", Integer.toString(MAX_RESPONSE_SECONDS));
    }
  }

  private static final byte[] OK = "{\"status\":\"ok\"}\n".getBytes(StandardCharsets.UTF_8);
  private static final byte[] NOT_RUNNING =
      "{\"status\":\"not running\"}\n".getBytes(StandardCharsets.UTF_8);

  private final HttpServer server;
  private final ThreadPoolExecutor threads;
  private final Metrics metrics;
  private final BooleanSupplier healthy;
  private final String host;
  private final AtomicBoolean closed = new AtomicBoolean();

  private HttpMetricsServer(
      HttpServer server,
      ThreadPoolExecutor threads,
      Metrics metrics,
      BooleanSupplier healthy,
      String host) {
    this.server = server;
    this.threads = threads;
    this.metrics = metrics;
    this.healthy = healthy;
    this.host = host;
  }

  /**
   * Binds the port and starts answering.
   *
   * @param host the address to listen on, e.g. {@code 127.0.0.1}
   * @param port the port, 0 for any free one
   * @param metrics the meters {@code /metrics} renders; the caller keeps and closes them
   * @param healthy whether {@code /healthz} answers 200 (else 503)
   * @return the running server; close it to free the port
   * @throws HttpServerException if the address cannot be bound, e.g. the port is taken
   */
  public static HttpMetricsServer start(
      String host, int port, Metrics metrics, BooleanSupplier healthy) {
    Objects.requireNonNull(metrics, "metrics");
    Objects.requireNonNull(healthy, "healthy");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be in 0..65535, got " + port);
    }
    InetSocketAddress address = new InetSocketAddress(host, port);
    HttpServer server;
    try {
      if (address.isUnresolved()) {
        throw new IOException("unknown host");
      }
      server = HttpServer.create(address, QUEUED);
    } catch (IOException e) {
      throw new HttpServerException(
          "cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
    }
    AtomicInteger count = new AtomicInteger();
    ThreadPoolExecutor threads =
        new ThreadPoolExecutor(
            THREADS,
            THREADS,
            0,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(QUEUED),
            r -> {
              Thread t = new Thread(r, "securetx-metrics-" + count.incrementAndGet());
              t.setDaemon(true);
              return t;
            },
            new ThreadPoolExecutor.CallerRunsPolicy());
    HttpMetricsServer running = new HttpMetricsServer(server, threads, metrics, healthy, host);
    server.createContext("/", running::answer);
    server.setExecutor(threads);
    server.start();
    return running;
  }

  /** The port it listens on (the bound one when started with port 0). */
  public int port() {
    return server.getAddress().getPort();
  }

  /** The URL of {@code /metrics}, e.g. {@code http://127.0.0.1:9464/metrics}. */
  public String url() {
    String shown = host.equals("0.0.0.0") ? "localhost" : host;
    if (shown.contains(":")) {
      shown = "[" + shown + "]";
    }
    return "http://" + shown + ":" + port() + "/metrics";
  }

  private void answer(HttpExchange exchange) throws IOException {
    try (exchange) {
      exchange.getResponseHeaders().set("Cache-Control", "no-store");
      exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
      String path = exchange.getRequestURI().getRawPath();
      if (!path.equals("/metrics") && !path.equals("/healthz")) {
        send(exchange, 404, "text/plain; charset=utf-8", bytes("not found: /metrics, /healthz"));
        return;
      }
      if (!exchange.getRequestMethod().equals("GET")) {
        exchange.getResponseHeaders().set("Allow", "GET");
        send(exchange, 405, "text/plain; charset=utf-8", bytes("only GET"));
        return;
      }
      if (path.equals("/metrics")) {
        send(exchange, 200, Metrics.CONTENT_TYPE, bytes(metrics.scrape()));
      } else if (healthy.getAsBoolean()) {
        send(exchange, 200, "application/json", OK);
      } else {
        send(exchange, 503, "application/json", NOT_RUNNING);
      }
    } catch (RuntimeException e) {
      // The JDK server would drop the connection without an answer; say why in the log instead.
      LOG.warn("metrics endpoint: cannot answer: {}", e.getClass().getSimpleName());
      throw e;
    }
  }

  private static byte[] bytes(String text) {
    return (text.endsWith("\n") ? text : text + "\n").getBytes(StandardCharsets.UTF_8);
  }

  private static void send(HttpExchange exchange, int status, String type, byte[] body)
      throws IOException {
    exchange.getResponseHeaders().set("Content-Type", type);
    if (exchange.getRequestMethod().equals("HEAD")) {
      // A HEAD answer has no body: -1 tells the JDK's server so.
      exchange.sendResponseHeaders(status, -1);
      return;
    }
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  /**
   * Stops accepting, frees the port and stops the threads. Idempotent. A scrape in progress is cut
   * off: the scraper counts one failed scrape, while waiting for it would delay every shutdown (the
   * JDK's server waits out the whole delay it is given).
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    server.stop(0);
    threads.shutdown();
    try {
      if (!threads.awaitTermination(5, TimeUnit.SECONDS)) {
        threads.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      threads.shutdownNow();
    }
  }
}
