package io.securetx.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.postgresql.PGConnection;
import org.sqlite.SQLiteConfig;

/**
 * The {@code import} benchmark: {@code securetx import} of a generated CSV file into a fresh SQLite
 * vault and a fresh PostgreSQL schema, each run the product's own command in a child JVM (start-up
 * and JIT warm-up included in the wall time, not in the rows/s it reports), beside two peers
 * measured in the same run on the same rows with no security at all: SQLite batched inserts (WAL,
 * {@code synchronous=FULL}, the same rows per commit) and PostgreSQL's own {@code COPY ... FROM
 * STDIN (FORMAT csv)} into a plain table, in one transaction.
 *
 * <p>Usage: {@code java -jar securetx-bench.jar import [--rows 1000000] [--runs 3] [--batch-size
 * 4096] [--no-pg] [--pg-url JDBC_URL] [--only sqlite|postgresql] [--verify] [--java-opts "..."]}.
 * Figures are medians over the runs.
 */
final class ImportBench {

  private static final String[] CURRENCIES = {"USD", "EUR", "GBP", "JPY"};

  private ImportBench() {}

  static void main(String[] args) throws Exception {
    int rows = Bench.intOption(args, "--rows", 1_000_000);
    int runs = Bench.intOption(args, "--runs", 3);
    int batchSize = Bench.intOption(args, "--batch-size", 4096);
    boolean pg = !Arrays.asList(args).contains("--no-pg");
    boolean verify = Arrays.asList(args).contains("--verify");
    String only = Bench.option(args, "--only", "");
    String javaOpts = Bench.option(args, "--java-opts", "");
    String pgUrl =
        Bench.option(args, "--pg-url", "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");

    Path work = Files.createTempDirectory("securetx-import-bench");
    try {
      Path csv = work.resolve("rows.csv");
      generate(csv, rows);
      System.out.printf(
          Locale.ROOT,
          "securetx import benchmark: %,d rows (%,d bytes of CSV), %d run(s), %d rows per commit,"
              + " %d cores, Java %s%n%n",
          rows,
          Files.size(csv),
          runs,
          batchSize,
          Runtime.getRuntime().availableProcessors(),
          System.getProperty("java.version"));

      Map<String, List<Double>> rates = new LinkedHashMap<>();
      for (int run = 1; run <= runs; run++) {
        if (!"postgresql".equals(only)) {
          Path dataDir = Files.createDirectories(work.resolve("sqlite-" + run));
          Map<String, String> env = new HashMap<>();
          env.put("SECURETX_DATA_DIR", dataDir.toString());
          record(
              rates, "securetx import, SQLite", importRun(csv, env, batchSize, javaOpts, verify));
          Bench.deleteTree(dataDir);
          record(rates, "SQLite plain batched inserts (peer)", sqlitePeer(csv, work, batchSize));
        }
        if (pg && !"sqlite".equals(only)) {
          String schema = "bench_import_" + System.nanoTime();
          Bench.execute(pgUrl, "CREATE SCHEMA " + schema);
          try {
            Map<String, String> env = new HashMap<>();
            env.put(
                "SECURETX_DATA_DIR", Files.createDirectories(work.resolve("pg-" + run)).toString());
            env.put("DB_URL", pgUrl + "&currentSchema=" + schema);
            record(
                rates,
                "securetx import, PostgreSQL",
                importRun(csv, env, batchSize, javaOpts, verify));
          } finally {
            Bench.execute(pgUrl, "DROP SCHEMA " + schema + " CASCADE");
          }
          record(rates, "PostgreSQL COPY of the CSV (peer)", pgPeer(csv, pgUrl));
        }
        System.out.println();
      }

      System.out.printf(
          Locale.ROOT, "%-44s %12s   %s%n", "benchmark (median of runs)", "rows/s", "runs");
      Map<String, Double> medians = new LinkedHashMap<>();
      for (Map.Entry<String, List<Double>> e : rates.entrySet()) {
        double[] sorted = e.getValue().stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double median = sorted[sorted.length / 2];
        medians.put(e.getKey(), median);
        System.out.printf(
            Locale.ROOT,
            "%-44s %,12.0f   %s%n",
            e.getKey(),
            median,
            e.getValue().stream().map(r -> String.format(Locale.ROOT, "%,.0f", r)).toList());
      }
      System.out.println();
      ratio(medians, "securetx import, SQLite", "SQLite plain batched inserts (peer)");
      ratio(medians, "securetx import, PostgreSQL", "PostgreSQL COPY of the CSV (peer)");
    } finally {
      Bench.deleteTree(work);
    }
  }

  private static void record(Map<String, List<Double>> rates, String name, double rowsPerSecond) {
    rates.computeIfAbsent(name, k -> new ArrayList<>()).add(rowsPerSecond);
    System.out.printf(Locale.ROOT, "  %-44s %,12.0f rows/s%n", name, rowsPerSecond);
  }

  private static void ratio(Map<String, Double> medians, String a, String b) {
    Double x = medians.get(a);
    Double y = medians.get(b);
    if (x != null && y != null) {
      System.out.printf(Locale.ROOT, "ratio  %s / %s = %.2f%n", a, b, x / y);
    }
  }

  /** Rows like a payments file: 50,000 users, four currencies, amounts with their decimals. */
  static void generate(Path csv, int rows) throws IOException {
    java.util.SplittableRandom random = new java.util.SplittableRandom(7);
    try (BufferedWriter out = Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
      out.write("user_id,amount,currency\n");
      for (int i = 0; i < rows; i++) {
        String currency = CURRENCIES[i % CURRENCIES.length];
        out.write("user-");
        out.write(Integer.toString(1 + random.nextInt(50_000)));
        out.write(',');
        out.write(Integer.toString(1 + random.nextInt(99_999)));
        if (!currency.equals("JPY")) {
          int cents = random.nextInt(100);
          out.write(cents < 10 ? ".0" : ".");
          out.write(Integer.toString(cents));
        }
        out.write(',');
        out.write(currency);
        out.write('\n');
      }
    }
  }

  /** {@code securetx import FILE --json} in a child JVM; returns the rows/s it reports. */
  private static double importRun(
      Path csv, Map<String, String> env, int batchSize, String javaOpts, boolean verify)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    if (!javaOpts.isBlank()) {
      command.addAll(Arrays.asList(javaOpts.trim().split("\\s+")));
    }
    command.addAll(
        List.of(
            "-cp",
            SecuretxPeer.absoluteClassPath(),
            "io.securetx.app.Main",
            "import",
            csv.toString(),
            "--json",
            "--no-progress",
            "--batch-size",
            Integer.toString(batchSize)));
    long start = System.nanoTime();
    JsonNode summary =
        ChildProcess.run(
            "securetx import",
            command,
            Path.of(System.getProperty("java.io.tmpdir")),
            env,
            Duration.ofMinutes(30));
    double wall = (System.nanoTime() - start) / 1e9;
    if (summary.get("accepted").asLong() != summary.get("rows").asLong()) {
      throw new IllegalStateException("not every row was accepted: " + summary);
    }
    System.out.printf(
        Locale.ROOT,
        "    %,d rows in %.2f s of import, %.2f s wall for the whole child JVM%n",
        summary.get("rows").asLong(),
        summary.get("seconds").asDouble(),
        wall);
    if (verify) {
      List<String> verifyCommand = new ArrayList<>(command.subList(0, command.indexOf("import")));
      verifyCommand.addAll(List.of("verify", "--json"));
      long v = System.nanoTime();
      JsonNode verified =
          ChildProcess.run(
              "securetx verify",
              verifyCommand,
              Path.of(System.getProperty("java.io.tmpdir")),
              env,
              Duration.ofMinutes(30));
      System.out.printf(
          Locale.ROOT,
          "    verified %,d entries (every record opened) in %.1f s%n",
          verified.get("entries").asLong(),
          (System.nanoTime() - v) / 1e9);
    }
    return summary.get("rows_per_second").asDouble();
  }

  /**
   * The same rows as plain text columns, batched like the import (WAL, synchronous=FULL): what
   * SQLite does with no validation, crypto, chain or idempotency keys.
   */
  private static double sqlitePeer(Path csv, Path work, int batchSize) throws Exception {
    Path db = work.resolve("peer.db");
    SQLiteConfig config = new SQLiteConfig();
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
    long start = System.nanoTime();
    long rows = 0;
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db, config.toProperties());
        BufferedReader in = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
      try (Statement s = c.createStatement()) {
        s.execute(
            "CREATE TABLE plain (id INTEGER PRIMARY KEY, user_id TEXT NOT NULL, amount TEXT NOT"
                + " NULL, currency TEXT NOT NULL)");
      }
      c.setAutoCommit(false);
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO plain VALUES (?, ?, ?, ?)")) {
        in.readLine();
        for (String line = in.readLine(); line != null; line = in.readLine()) {
          String[] f = line.split(",", -1);
          ps.setLong(1, ++rows);
          ps.setString(2, f[0]);
          ps.setString(3, f[1]);
          ps.setString(4, f[2]);
          ps.addBatch();
          if (rows % batchSize == 0) {
            ps.executeBatch();
            c.commit();
          }
        }
        ps.executeBatch();
        c.commit();
      }
    }
    double rate = rows / ((System.nanoTime() - start) / 1e9);
    Bench.deleteTree(work.resolve("peer.db"));
    Files.deleteIfExists(work.resolve("peer.db-wal"));
    Files.deleteIfExists(work.resolve("peer.db-shm"));
    return rate;
  }

  /** PostgreSQL's own bulk load: {@code COPY plain FROM STDIN (FORMAT csv, HEADER true)}. */
  private static double pgPeer(Path csv, String pgUrl) throws Exception {
    String schema = "bench_copy_" + System.nanoTime();
    Bench.execute(pgUrl, "CREATE SCHEMA " + schema);
    try (Connection c = DriverManager.getConnection(pgUrl + "&currentSchema=" + schema)) {
      try (Statement s = c.createStatement()) {
        s.execute(
            "CREATE TABLE plain (id BIGSERIAL PRIMARY KEY, user_id TEXT NOT NULL, amount TEXT NOT"
                + " NULL, currency TEXT NOT NULL)");
      }
      c.setAutoCommit(false);
      long start = System.nanoTime();
      long rows;
      try (InputStream in = Files.newInputStream(csv)) {
        rows =
            c.unwrap(PGConnection.class)
                .getCopyAPI()
                .copyIn(
                    "COPY plain (user_id, amount, currency) FROM STDIN (FORMAT csv, HEADER true)",
                    in);
      }
      c.commit();
      return rows / ((System.nanoTime() - start) / 1e9);
    } finally {
      Bench.execute(pgUrl, "DROP SCHEMA " + schema + " CASCADE");
    }
  }
}
