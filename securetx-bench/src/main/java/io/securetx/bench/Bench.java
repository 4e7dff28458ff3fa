package io.securetx.bench;

import io.securetx.adapter.sql.DatabaseUrl;
import io.securetx.adapter.sql.SqlLedgerStore;
import io.securetx.crypto.KeyRing;
import io.securetx.crypto.tink.TinkKeyRing;
import io.securetx.ledger.EntryOpener;
import io.securetx.ledger.LedgerOptions;
import io.securetx.transaction.Money;
import io.securetx.transaction.Transaction;
import io.securetx.transaction.TransactionCodec;
import io.securetx.transaction.TransactionId;
import io.securetx.transaction.TransactionLimits;
import io.securetx.transaction.UserId;
import io.securetx.vault.TransactionRequest;
import io.securetx.vault.Vault;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Currency;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;
import org.sqlite.SQLiteConfig;

/**
 * Entry point of the benchmarks; {@code queue} is {@link QueueBench}, {@code report} {@link
 * ReportBench}, {@code http} {@link HttpBench}. The durable {@code process} benchmark: transactions
 * per second, each committed before its result returns, on SQLite and PostgreSQL with 1 and 64
 * concurrent callers; beside it, in the same run, the crypto-only ceiling (validate + sign + seal)
 * and the naive baseline of one database commit per row.
 *
 * <p>Usage: {@code java -jar securetx-bench.jar process [--seconds S] [--warmup S] [--runs N]
 * [--pg-url JDBC_URL] [--no-pg] [--only NAME]}, where NAME selects benchmarks by a part of their
 * key ({@code crypto}, {@code sqlite 64}, {@code postgresql}, ...). Figures are medians over the
 * runs.
 */
public final class Bench {

  private static final Currency USD = Currency.getInstance("USD");
  private static final SecureRandom RANDOM = new SecureRandom();

  private Bench() {}

  /**
   * Runs the benchmark.
   *
   * @param args see the class comment
   * @throws Exception on failure
   */
  public static void main(String[] args) throws Exception {
    String unknown = unknownOption(args);
    if (args.length > 0 && (args[0].equals("--help") || Arrays.asList(args).contains("--help"))) {
      usage(0);
    }
    if (unknown != null) {
      System.err.println("securetx-bench: unknown option " + unknown);
      usage(2);
    }
    if (args.length > 0 && args[0].equals("queue")) {
      QueueBench.main(args);
      return;
    }
    if (args.length > 0 && args[0].equals("import")) {
      ImportBench.main(args);
      return;
    }
    if (args.length > 0 && args[0].equals("producer")) {
      ProducerBench.main(args);
      return;
    }
    if (args.length > 0 && args[0].equals("http")) {
      HttpBench.main(args);
      return;
    }
    if (args.length > 0 && args[0].equals("report")) {
      ReportBench.main(args);
      return;
    }
    if (args.length == 0 || !args[0].equals("process")) {
      usage(2);
    }
    int seconds = intOption(args, "--seconds", 10);
    int warmup = intOption(args, "--warmup", 3);
    int runs = intOption(args, "--runs", 3);
    boolean pg = !Arrays.asList(args).contains("--no-pg");
    String pgUrl = option(args, "--pg-url", "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");

    KeyRing keys = TinkKeyRing.generate();
    System.out.printf(
        Locale.ROOT,
        "securetx process benchmark: %d run(s) of %ds after %ds warm-up, %d cores, Java %s%n%n",
        runs,
        seconds,
        warmup,
        Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.version"));

    String only = option(args, "--only", "");
    Map<String, Trial> trials = new LinkedHashMap<>();
    trials.put("crypto 1", () -> crypto(keys, 1, warmup, seconds));
    trials.put("crypto 2", () -> crypto(keys, 2, warmup, seconds));
    trials.put("sqlite baseline", () -> sqliteBaseline(1, warmup, seconds));
    trials.put("sqlite baseline 64", () -> sqliteBaseline(64, warmup, seconds));
    trials.put("sqlite 1", () -> process("sqlite", keys, null, 1, warmup, seconds));
    trials.put("sqlite 64", () -> process("sqlite", keys, null, 64, warmup, seconds));
    if (pg) {
      trials.put("postgresql baseline", () -> pgBaseline(pgUrl, 1, warmup, seconds));
      trials.put("postgresql baseline 64", () -> pgBaseline(pgUrl, 64, warmup, seconds));
      trials.put("postgresql 1", () -> process("postgresql", keys, pgUrl, 1, warmup, seconds));
      trials.put("postgresql 64", () -> process("postgresql", keys, pgUrl, 64, warmup, seconds));
    }
    List<Result> results = new ArrayList<>();
    for (Map.Entry<String, Trial> trial : trials.entrySet()) {
      if (trial.getKey().contains(only)) {
        results.add(median(runs, trial.getValue()));
      }
    }
    System.out.println();
    System.out.printf(
        Locale.ROOT,
        "%-58s %12s %10s %10s%n",
        "benchmark (median of runs)",
        "ops/s",
        "p50 ms",
        "p99 ms");
    for (Result r : results) {
      System.out.printf(
          Locale.ROOT, "%-58s %12.0f %10.3f %10.3f%n", r.name, r.perSecond, r.p50Ms, r.p99Ms);
    }
    System.out.println();
    ratio(results, "sqlite process, 64 callers", "sqlite baseline: one commit per row");
    ratio(results, "sqlite process, 64 callers", "sqlite baseline: 64 rows per commit");
    ratio(results, "sqlite process, 64 callers", "crypto only (validate+sign+seal), 2 threads");
    ratio(results, "postgresql process, 64 callers", "postgresql baseline: one commit per row");
    ratio(results, "postgresql process, 64 callers", "postgresql baseline: 64 rows per commit");
    ratio(results, "postgresql process, 64 callers", "crypto only (validate+sign+seal), 2 threads");
  }

  private static void ratio(List<Result> results, String a, String b) {
    Result x = results.stream().filter(r -> r.name.equals(a)).findFirst().orElse(null);
    Result y = results.stream().filter(r -> r.name.equals(b)).findFirst().orElse(null);
    if (x != null && y != null) {
      System.out.printf(Locale.ROOT, "ratio  %s / %s = %.2f%n", a, b, x.perSecond / y.perSecond);
    }
  }

  /** Validate + sign + seal, no storage: the ceiling the vault can approach. */
  private static Result crypto(KeyRing keys, int threads, int warmup, int seconds)
      throws Exception {
    return timed(
        "crypto only (validate+sign+seal), " + threads + " thread" + (threads == 1 ? "" : "s"),
        threads,
        warmup,
        seconds,
        () -> {
          SecureRandom random = new SecureRandom();
          Clock clock = Clock.systemUTC();
          return i -> {
            Money amount = Money.parse(amountText(i), USD, TransactionLimits.DEFAULT);
            UserId user = new UserId("user-" + (i % 1000));
            TransactionId id = TransactionId.generate(clock, random);
            Transaction tx =
                new Transaction(id, user, amount, clock.instant().truncatedTo(ChronoUnit.MICROS));
            byte[] canonical = TransactionCodec.encode(tx);
            keys.signer().sign(canonical);
            keys.sealer().seal(canonical, id.toString().getBytes(StandardCharsets.UTF_8));
            EntryOpener.userIndex(keys, user.value());
          };
        });
  }

  /** The full durable path: each call returns after its transaction is committed. */
  private static Result process(
      String dialect, KeyRing keys, @Nullable String pgUrl, int callers, int warmup, int seconds)
      throws Exception {
    Path dir = Files.createTempDirectory("securetx-bench");
    String schema = "bench_" + System.nanoTime();
    DatabaseUrl url;
    if (pgUrl == null) {
      url = DatabaseUrl.sqlite(dir.resolve("vault.db"));
    } else {
      execute(pgUrl, "CREATE SCHEMA " + schema);
      url = DatabaseUrl.parse(pgUrl + "&currentSchema=" + schema);
    }
    MeasuredStore store =
        new MeasuredStore(SqlLedgerStore.open(url, Clock.systemUTC(), Duration.ofHours(24)));
    try (Vault vault = new Vault(keys, store, Clock.systemUTC(), LedgerOptions.DEFAULT)) {
      Result result =
          timed(
              dialect + " process, " + callers + " caller" + (callers == 1 ? "" : "s"),
              callers,
              warmup,
              seconds,
              () ->
                  i ->
                      vault.process(
                          new TransactionRequest(
                              new UserId("user-" + (i % 1000)),
                              Money.parse(amountText(i), USD, TransactionLimits.DEFAULT),
                              null)));
      System.out.println("    " + store.summary());
      long entries = vault.verify().entries();
      System.out.printf(Locale.ROOT, "    verified %d entries after the run%n", entries);
      return result;
    } finally {
      if (pgUrl != null) {
        execute(pgUrl, "DROP SCHEMA " + schema + " CASCADE");
      }
      deleteTree(dir);
    }
  }

  /**
   * The plain-database peer: 200-byte rows into a one-index table, {@code rows} per SQLite commit
   * (WAL, synchronous=FULL), one thread. With 1 row it is the naive design; with 64 it is the best
   * a single writer batching 64 callers could do with no crypto, chaining or locking at all.
   */
  private static Result sqliteBaseline(int rows, int warmup, int seconds) throws Exception {
    Path dir = Files.createTempDirectory("securetx-bench");
    SQLiteConfig config = new SQLiteConfig();
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
    try (Connection c =
        DriverManager.getConnection(
            "jdbc:sqlite:" + dir.resolve("base.db"), config.toProperties())) {
      return baseline("sqlite", c, rows, warmup, seconds);
    } finally {
      deleteTree(dir);
    }
  }

  /** The same peer on PostgreSQL, one connection. */
  private static Result pgBaseline(String pgUrl, int rows, int warmup, int seconds)
      throws Exception {
    String schema = "bench_" + System.nanoTime();
    execute(pgUrl, "CREATE SCHEMA " + schema);
    try (Connection c = DriverManager.getConnection(pgUrl + "&currentSchema=" + schema)) {
      return baseline("postgresql", c, rows, warmup, seconds);
    } finally {
      execute(pgUrl, "DROP SCHEMA " + schema + " CASCADE");
    }
  }

  private static Result baseline(String database, Connection c, int rows, int warmup, int seconds)
      throws Exception {
    try (Statement s = c.createStatement()) {
      s.execute("CREATE TABLE base (id BIGINT PRIMARY KEY, payload " + blobType(c) + ")");
    }
    // One row: autocommit, the naive design's single round trip. More: one explicit commit.
    c.setAutoCommit(rows == 1);
    byte[] payload = new byte[200];
    RANDOM.nextBytes(payload);
    String name =
        database + " baseline: " + (rows == 1 ? "one commit per row" : rows + " rows per commit");
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO base VALUES (?, ?)")) {
      Result commits =
          timed(
              name + " (commits)",
              1,
              warmup,
              seconds,
              () ->
                  i -> {
                    if (rows == 1) {
                      ps.setLong(1, i);
                      ps.setBytes(2, payload);
                      ps.executeUpdate();
                      return;
                    }
                    for (int r = 0; r < rows; r++) {
                      ps.setLong(1, i * rows + r);
                      ps.setBytes(2, payload);
                      ps.addBatch();
                    }
                    ps.executeBatch();
                    c.commit();
                  });
      return new Result(name, commits.perSecond * rows, commits.p50Ms, commits.p99Ms);
    }
  }

  private static String blobType(Connection c) throws SQLException {
    return c.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT).contains("postgres")
        ? "BYTEA"
        : "BLOB";
  }

  /** Runs {@code threads} workers for warm-up plus measured seconds; records per-call latency. */
  private static Result timed(
      String name, int threads, int warmup, int seconds, WorkerFactory factory) throws Exception {
    AtomicBoolean measuring = new AtomicBoolean(false);
    AtomicBoolean stop = new AtomicBoolean(false);
    LongAdder ops = new LongAdder();
    long[][] latencies = new long[threads][];
    int[] counts = new int[threads];
    CountDownLatch done = new CountDownLatch(threads);
    List<Throwable> failures = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int index = t;
      Worker worker = factory.create();
      Thread thread =
          new Thread(
              () -> {
                long[] samples = new long[1 << 16];
                int n = 0;
                long i = index * 1_000_000_000L;
                try {
                  while (!stop.get()) {
                    long start = System.nanoTime();
                    worker.run(i++);
                    if (measuring.get()) {
                      ops.increment();
                      if (n == samples.length) {
                        samples = Arrays.copyOf(samples, n * 2);
                      }
                      samples[n++] = System.nanoTime() - start;
                    }
                  }
                } catch (Throwable e) {
                  synchronized (failures) {
                    failures.add(e);
                  }
                } finally {
                  latencies[index] = samples;
                  counts[index] = n;
                  done.countDown();
                }
              },
              "bench-" + t);
      thread.start();
    }
    Thread.sleep(warmup * 1000L);
    measuring.set(true);
    long start = System.nanoTime();
    Thread.sleep(seconds * 1000L);
    measuring.set(false);
    long elapsed = System.nanoTime() - start;
    stop.set(true);
    done.await();
    if (!failures.isEmpty()) {
      throw new IllegalStateException(name + " failed", failures.get(0));
    }
    int total = 0;
    for (int c : counts) {
      total += c;
    }
    long[] all = new long[total];
    int pos = 0;
    for (int t = 0; t < threads; t++) {
      System.arraycopy(latencies[t], 0, all, pos, counts[t]);
      pos += counts[t];
    }
    Arrays.sort(all);
    double perSecond = ops.sum() / (elapsed / 1e9);
    Result r = new Result(name, perSecond, percentile(all, 0.50), percentile(all, 0.99));
    System.out.printf(
        Locale.ROOT,
        "  %-58s %12.0f ops/s  p50 %.3f ms  p99 %.3f ms%n",
        r.name,
        r.perSecond,
        r.p50Ms,
        r.p99Ms);
    return r;
  }

  private static double percentile(long[] sorted, double q) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int index = (int) Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1);
    return sorted[Math.max(0, index)] / 1e6;
  }

  private static Result median(int runs, Trial trial) throws Exception {
    List<Result> all = new ArrayList<>();
    for (int i = 0; i < runs; i++) {
      all.add(trial.run());
    }
    all.sort((a, b) -> Double.compare(a.perSecond, b.perSecond));
    Result mid = all.get(all.size() / 2);
    double[] p99 = all.stream().mapToDouble(r -> r.p99Ms).sorted().toArray();
    double[] p50 = all.stream().mapToDouble(r -> r.p50Ms).sorted().toArray();
    return new Result(mid.name, mid.perSecond, p50[p50.length / 2], p99[p99.length / 2]);
  }

  private static String amountText(long i) {
    return (1 + Math.floorMod(i, 5000))
        + "."
        + String.format(Locale.ROOT, "%02d", Math.floorMod(i, 100));
  }

  /** Runs one SQL statement on its own connection (schemas the benchmarks create and drop). */
  static void execute(String url, String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection(url);
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  /** Deletes a directory and everything in it; nothing when it does not exist. */
  static void deleteTree(Path dir) throws java.io.IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /**
   * The options of each benchmark; anything else is refused, so a typo never runs a long default.
   */
  private static final Map<String, List<String>> OPTIONS =
      Map.of(
          "process",
          List.of("--seconds", "--warmup", "--runs", "--pg-url", "--no-pg", "--only"),
          "queue",
          List.of(
              "--tasks",
              "--tasks-celery",
              "--tasks-bullmq",
              "--tasks-securetx",
              "--runs",
              "--only",
              "--round-trips",
              "--warmup",
              "--bullmq-concurrency",
              "--bullmq-db",
              "--celery-concurrency",
              "--celery-db",
              "--securetx-concurrency",
              "--securetx-db",
              "--securetx-prefetch",
              "--peers",
              "--node",
              "--npm",
              "--python",
              "--redis"),
          "producer",
          List.of(
              "--tasks", "--batch", "--runs", "--round-trip", "--round-trips", "--warmup", "--db"),
          "report",
          List.of("--entries", "--users", "--runs", "--heap", "--dir"),
          "import",
          List.of(
              "--rows",
              "--runs",
              "--batch-size",
              "--no-pg",
              "--pg-url",
              "--only",
              "--verify",
              "--java-opts"),
          "http",
          List.of(
              "--connections",
              "--seconds",
              "--warmup",
              "--runs",
              "--generator-threads",
              "--no-pg",
              "--only",
              "--java-opts",
              "--pg-url",
              "--app-jar"));

  /** The first argument that looks like an option the chosen benchmark does not have, or null. */
  static @Nullable String unknownOption(String[] args) {
    if (args.length == 0) {
      return null;
    }
    List<String> known = OPTIONS.getOrDefault(args[0], List.of());
    for (String arg : Arrays.asList(args).subList(1, args.length)) {
      if (arg.startsWith("--") && !arg.equals("--help") && !known.contains(arg)) {
        return arg;
      }
    }
    return null;
  }

  private static void usage(int status) {
    (status == 0 ? System.out : System.err)
        .println(
            "usage: securetx-bench process [--seconds S] [--warmup S] [--runs N]"
                + " [--pg-url JDBC_URL] [--no-pg] [--only NAME]\n"
                + "       securetx-bench queue [--tasks N] [--tasks-celery N] [--tasks-bullmq N]"
                + " [--runs N] [--only celery,bullmq,securetx] [--round-trips N] [--warmup N]"
                + " [--bullmq-concurrency C] [--peers DIR]   (see QueueBench)\n"
                + "       securetx-bench producer [--tasks N] [--batch N] [--runs N]"
                + " [--round-trip]   (see ProducerBench)\n"
                + "       securetx-bench report [--entries N] [--users N] [--runs N] [--heap 256m]"
                + " [--dir DIR]   (see ReportBench)\n"
                + "       securetx-bench import [--rows N] [--runs N] [--batch-size N] [--no-pg]"
                + " [--pg-url JDBC_URL] [--only sqlite|postgresql] [--verify]   (see ImportBench)\n"
                + "       securetx-bench http [--connections 64] [--seconds 10] [--warmup 5]"
                + " [--runs 3] [--no-pg] [--pg-url JDBC_URL] [--only sqlite|postgresql]"
                + " [--generator-threads 1] [--app-jar JAR] [--java-opts \"...\"]   (see HttpBench)");
    System.exit(status);
  }

  static int intOption(String[] args, String name, int fallback) {
    return Integer.parseInt(option(args, name, Integer.toString(fallback)));
  }

  static String option(String[] args, String name, String fallback) {
    for (int i = 0; i < args.length - 1; i++) {
      if (args[i].equals(name)) {
        return args[i + 1];
      }
    }
    return fallback;
  }

  /** One measured operation, numbered. */
  @FunctionalInterface
  private interface Worker {
    void run(long i) throws Exception;
  }

  /** Makes one worker per thread (so thread-confined state stays confined). */
  @FunctionalInterface
  private interface WorkerFactory {
    Worker create() throws Exception;
  }

  /** One repetition of a benchmark. */
  @FunctionalInterface
  private interface Trial {
    Result run() throws Exception;
  }

  private record Result(String name, double perSecond, double p50Ms, double p99Ms) {}
}
