package io.securetx.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The {@code http} benchmark: {@code POST /v1/transactions} against the product's own {@code
 * securetx serve} in a child JVM on 127.0.0.1, once over a fresh SQLite data directory and once
 * over a fresh PostgreSQL schema, driven by {@link LoadGenerator} in this JVM (the same machine, as
 * in the target: 64 keep-alive connections, one request outstanding on each). Beside it, in the
 * same run, on the same server, with the same generator: {@code GET /healthz}, the most the HTTP
 * stack itself answers on this machine. Only 201s count; any other status is reported as an error.
 * After each run the server is stopped, {@code securetx verify} checks the vault in another child,
 * and the number of entries it verified must equal the 201s the generator saw.
 *
 * <p>Usage: {@code java -jar securetx-bench.jar http [--connections 64] [--seconds 10] [--warmup 5]
 * [--runs 3] [--no-pg] [--pg-url JDBC_URL] [--only sqlite|postgresql] [--generator-threads 1]
 * [--app-jar securetx-app/target/securetx.jar] [--java-opts "..."]}, where the Java options are the
 * server's (e.g. {@code -XX:StartFlightRecording=...} to profile it). Figures are medians over the
 * runs.
 */
final class HttpBench {

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String POST = "POST /v1/transactions";
  private static final String HEALTHZ = "GET /healthz (peer)";

  private HttpBench() {}

  static void main(String[] args) throws Exception {
    int connections = Bench.intOption(args, "--connections", 64);
    int seconds = Bench.intOption(args, "--seconds", 10);
    int warmup = Bench.intOption(args, "--warmup", 5);
    int runs = Bench.intOption(args, "--runs", 3);
    int generatorThreads = Bench.intOption(args, "--generator-threads", 1);
    boolean pg = !Arrays.asList(args).contains("--no-pg");
    String only = Bench.option(args, "--only", "");
    String javaOpts = Bench.option(args, "--java-opts", "");
    String pgUrl =
        Bench.option(args, "--pg-url", "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");
    String appJar = Bench.option(args, "--app-jar", "");
    // The options (heap, JFR, ...) are for the server; verify runs with the defaults.
    List<String> launcher = launcher(appJar, javaOpts);
    List<String> plain = launcher(appJar, "");

    System.out.printf(
        Locale.ROOT,
        "securetx http benchmark: %d connection(s), %d run(s) of %ds after %ds warm-up,"
            + " %d generator thread(s), %d cores, Java %s, load average %s%n  server: %s%n%n",
        connections,
        runs,
        seconds,
        warmup,
        generatorThreads,
        Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.version"),
        loadAverage(),
        String.join(" ", launcher));

    Map<String, List<LoadGenerator.Outcome>> outcomes = new LinkedHashMap<>();
    for (int run = 1; run <= runs; run++) {
      if (!"postgresql".equals(only)) {
        runOnce(
            outcomes,
            "SQLite",
            null,
            launcher,
            plain,
            connections,
            generatorThreads,
            warmup,
            seconds);
      }
      if (pg && !"sqlite".equals(only)) {
        String schema = "bench_http_" + System.nanoTime();
        Bench.execute(pgUrl, "CREATE SCHEMA " + schema);
        try {
          runOnce(
              outcomes,
              "PostgreSQL",
              pgUrl + "&currentSchema=" + schema,
              launcher,
              plain,
              connections,
              generatorThreads,
              warmup,
              seconds);
        } finally {
          Bench.execute(pgUrl, "DROP SCHEMA " + schema + " CASCADE");
        }
      }
      System.out.println();
    }

    System.out.printf(
        Locale.ROOT,
        "%-42s %10s %9s %9s %9s   %s%n",
        "benchmark (median of runs)",
        "req/s",
        "p50 ms",
        "p99 ms",
        "p99.9 ms",
        "req/s of each run");
    Map<String, Double> medians = new LinkedHashMap<>();
    for (Map.Entry<String, List<LoadGenerator.Outcome>> e : outcomes.entrySet()) {
      List<LoadGenerator.Outcome> list = e.getValue();
      double rate = median(list.stream().mapToDouble(LoadGenerator.Outcome::perSecond).toArray());
      medians.put(e.getKey(), rate);
      System.out.printf(
          Locale.ROOT,
          "%-42s %,10.0f %9.2f %9.2f %9.2f   %s%n",
          e.getKey(),
          rate,
          median(list.stream().mapToDouble(LoadGenerator.Outcome::p50Ms).toArray()),
          median(list.stream().mapToDouble(LoadGenerator.Outcome::p99Ms).toArray()),
          median(list.stream().mapToDouble(LoadGenerator.Outcome::p999Ms).toArray()),
          list.stream().map(o -> String.format(Locale.ROOT, "%,.0f", o.perSecond())).toList());
    }
    System.out.println();
    for (String db : List.of("SQLite", "PostgreSQL")) {
      Double post = medians.get(db + " " + POST);
      Double health = medians.get(db + " " + HEALTHZ);
      if (post != null && health != null) {
        System.out.printf(
            Locale.ROOT, "ratio  %s %s / %s = %.2f%n", db, POST, HEALTHZ, post / health);
      }
    }
    System.out.printf(Locale.ROOT, "load average at the end: %s%n", loadAverage());
  }

  /** One server over a fresh store: POST, then the peer, then stop, verify and count. */
  private static void runOnce(
      Map<String, List<LoadGenerator.Outcome>> outcomes,
      String database,
      @Nullable String dbUrl,
      List<String> launcher,
      List<String> verifier,
      int connections,
      int generatorThreads,
      int warmup,
      int seconds)
      throws Exception {
    Path dataDir = Files.createTempDirectory("securetx-http-bench");
    try {
      String apiKey = apiKey();
      Map<String, String> env = new HashMap<>();
      env.put("SECURETX_DATA_DIR", dataDir.toString());
      env.put("API_KEY_V1", apiKey);
      env.put("HTTP_RATE_LIMIT", "0");
      if (dbUrl != null) {
        env.put("DB_URL", dbUrl);
      }
      List<String> serve = new ArrayList<>(launcher);
      serve.addAll(List.of("serve", "--host", "127.0.0.1", "--port", "0"));
      long posted;
      try (ChildProcess server = ChildProcess.start("securetx serve", serve, dataDir, env)) {
        URI base =
            URI.create(
                server.awaitLine("securetx API listening on ", Duration.ofSeconds(60)).strip());
        InetSocketAddress address = new InetSocketAddress(base.getHost(), base.getPort());
        LoadGenerator generator = new LoadGenerator(address, connections, generatorThreads);
        String host = "Host: " + base.getHost() + ":" + base.getPort() + "\r\n";
        String body = "{\"user_id\":\"user-42\",\"amount\":\"12.34\",\"currency\":\"USD\"}";
        byte[] post =
            LoadGenerator.template(
                "POST /v1/transactions HTTP/1.1\r\n"
                    + host
                    + "Authorization: Bearer "
                    + apiKey
                    + "\r\nContent-Type: application/json\r\nIdempotency-Key: bench-#COUNTER#\r\n"
                    + "Content-Length: "
                    + body.getBytes(StandardCharsets.UTF_8).length
                    + "\r\n\r\n"
                    + body);
        byte[] healthz = LoadGenerator.template("GET /healthz HTTP/1.1\r\n" + host + "\r\n");
        long pid = server.pid();
        java.util.function.LongSupplier serverCpu =
            () ->
                ProcessHandle.of(pid)
                    .flatMap(p -> p.info().totalCpuDuration())
                    .map(Duration::toNanos)
                    .orElse(0L);
        LoadGenerator.Outcome p = generator.run(post, 201, warmup, seconds, serverCpu);
        record(outcomes, database + " " + POST, p);
        posted = p.successes();
        server.checkAlive();
        record(
            outcomes,
            database + " " + HEALTHZ,
            generator.run(healthz, 200, warmup, seconds, serverCpu));
        server.checkAlive();
      }
      List<String> verify = new ArrayList<>(verifier);
      verify.addAll(List.of("verify", "--json"));
      long start = System.nanoTime();
      JsonNode verified =
          ChildProcess.run("securetx verify", verify, dataDir, env, Duration.ofMinutes(30));
      long entries = verified.get("entries").asLong();
      System.out.printf(
          Locale.ROOT,
          "    verified %,d entries in %.1f s; the generator saw %,d 201s%n",
          entries,
          (System.nanoTime() - start) / 1e9,
          posted);
      if (entries != posted) {
        throw new IllegalStateException(
            "the vault holds " + entries + " transactions but " + posted + " were acknowledged");
      }
    } finally {
      Bench.deleteTree(dataDir);
    }
  }

  private static void record(
      Map<String, List<LoadGenerator.Outcome>> outcomes, String name, LoadGenerator.Outcome o) {
    outcomes.computeIfAbsent(name, k -> new ArrayList<>()).add(o);
    System.out.printf(
        Locale.ROOT,
        "  %-40s %,9.0f req/s  p50 %6.2f  p99 %6.2f  p99.9 %6.2f ms  errors %s"
            + "  cpu: server %.2f, generator %.2f cores  load %s%n",
        name,
        o.perSecond(),
        o.p50Ms(),
        o.p99Ms(),
        o.p999Ms(),
        o.errorCount() == 0 ? "0" : o.errors().toString(),
        o.serverCores(),
        o.generatorCores(),
        loadAverage());
    if (o.errorCount() > 0) {
      System.out.println("    (errors: HTTP status -> count; only the expected status counts)");
    }
  }

  /** {@code java [opts] -jar securetx.jar}, or this jar's class path when there is no app jar. */
  private static List<String> launcher(String appJar, String javaOpts) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    if (!javaOpts.isBlank()) {
      command.addAll(Arrays.asList(javaOpts.trim().split("\\s+")));
    }
    Path jar =
        Path.of(appJar.isEmpty() ? "securetx-app/target/securetx.jar" : appJar).toAbsolutePath();
    if (Files.isRegularFile(jar)) {
      command.addAll(List.of("-jar", jar.toString()));
    } else if (!appJar.isEmpty()) {
      throw new IllegalArgumentException("--app-jar: no such file: " + jar);
    } else {
      // This jar holds the application too.
      command.addAll(List.of("-cp", SecuretxPeer.absoluteClassPath(), "io.securetx.app.Main"));
    }
    return command;
  }

  /** {@code stx_} and 32 random bytes in URL-safe base64: 43 characters. */
  private static String apiKey() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return "stx_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static String loadAverage() {
    try {
      String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return parts[0] + " " + parts[1] + " " + parts[2];
    } catch (IOException e) {
      return "unknown";
    }
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted.length == 0 ? Double.NaN : sorted[sorted.length / 2];
  }
}
