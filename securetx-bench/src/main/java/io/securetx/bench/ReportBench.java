package io.securetx.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.securetx.adapter.sql.DatabaseUrl;
import io.securetx.adapter.sql.SqlLedgerStore;
import io.securetx.crypto.MasterKey;
import io.securetx.crypto.tink.TinkKeyRing;
import io.securetx.ledger.LedgerOptions;
import io.securetx.transaction.Money;
import io.securetx.transaction.TransactionLimits;
import io.securetx.transaction.UserId;
import io.securetx.vault.TransactionRequest;
import io.securetx.vault.Vault;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Currency;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The monthly report at scale: a SQLite vault whose one month holds {@code --entries} transactions
 * (1,000,000 by default, plus a few thousand in the months around it), reported on by the product's
 * own {@code securetx report} in a child JVM limited to {@code --heap} (256 MB), and beside it, as
 * the peer, the plain {@code securetx verify} of the same vault in the same kind of child. Per run
 * it prints the wall time and the heap each needed (see {@link ReportProbe}), then the medians and
 * the ratio report / verify.
 *
 * <p>Usage: {@code java -jar securetx-bench.jar report [--entries N] [--users N] [--runs N] [--heap
 * 256m] [--dir DIR]}. With {@code --dir}, the vault is built there once and reused by later runs (a
 * marker file records what it holds); without it, in a temporary directory deleted afterwards.
 *
 * <p>Building is the fastest honest way: the real {@code Vault.processAsync} path (validate, sign,
 * seal, chain, group commit on SQLite with {@code synchronous=FULL}), fed by two threads with up to
 * 4,096 transactions in flight, under a clock that spreads the month's transactions evenly over its
 * days. Batches fill up to about 1,000 entries, and each gets a checkpoint (the clock runs fast, so
 * the one-second rule fires every batch): about 1,000 checkpoints per million entries.
 */
final class ReportBench {

  private static final YearMonth MONTH = YearMonth.of(2026, 8);
  private static final Currency USD = Currency.getInstance("USD");
  private static final Currency EUR = Currency.getInstance("EUR");
  private static final Currency JPY = Currency.getInstance("JPY");
  private static final TransactionLimits LIMITS = new TransactionLimits(new BigDecimal("1000000"));

  private ReportBench() {}

  /**
   * Runs the benchmark.
   *
   * @param args see the class comment
   * @throws Exception on failure
   */
  public static void main(String[] args) throws Exception {
    int entries = Bench.intOption(args, "--entries", 1_000_000);
    int users = Bench.intOption(args, "--users", 150_000);
    int runs = Bench.intOption(args, "--runs", 3);
    String heap = Bench.option(args, "--heap", "256m");
    String dirOption = Bench.option(args, "--dir", "");
    Path dir =
        dirOption.isEmpty()
            ? Files.createTempDirectory("securetx-report-bench")
            : Path.of(dirOption).toAbsolutePath();
    System.out.printf(
        Locale.ROOT,
        "securetx report benchmark: %,d entries in %s (+ %,d around it), %,d users, %d run(s),"
            + " child JVMs with -Xmx%s, %d cores, Java %s%n",
        entries,
        MONTH,
        around(entries) * 2,
        users,
        runs,
        heap,
        Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.version"));
    try {
      String masterKey = build(dir, entries, users);
      Map<String, String> env = new HashMap<>();
      env.put("SECURETX_DATA_DIR", dir.toString());
      env.put("SECURETX_MASTER_KEY", masterKey);
      env.put("SECURETX_LOG_LEVEL", "WARN");
      List<Double> reportMs = new ArrayList<>();
      List<Double> verifyMs = new ArrayList<>();
      List<Double> reportCpu = new ArrayList<>();
      List<Double> verifyCpu = new ArrayList<>();
      List<Double> reportHeap = new ArrayList<>();
      List<Double> verifyHeap = new ArrayList<>();
      for (int run = 1; run <= runs; run++) {
        JsonNode report = probe(dir, env, heap, "report", MONTH.toString(), "--json");
        JsonNode verify = probe(dir, env, heap, "verify", "--json");
        reportMs.add(report.get("wall_ms").asDouble());
        verifyMs.add(verify.get("wall_ms").asDouble());
        reportCpu.add(report.get("cpu_ms").asDouble());
        verifyCpu.add(verify.get("cpu_ms").asDouble());
        reportHeap.add(report.get("max_heap_after_gc_mb").asDouble());
        verifyHeap.add(verify.get("max_heap_after_gc_mb").asDouble());
        System.out.printf(
            Locale.ROOT,
            "  run %d: report %.1f s (CPU %.1f s; live heap max %.1f MB, pool peaks %.1f MB)   verify"
                + " %.1f s (CPU %.1f s; live heap max %.1f MB, pool peaks %.1f MB)   ratio %.2f   [%s,"
                + " max heap %.0f MB]%n",
            run,
            report.get("wall_ms").asDouble() / 1000,
            report.get("cpu_ms").asDouble() / 1000,
            report.get("max_heap_after_gc_mb").asDouble(),
            report.get("heap_pool_peaks_mb").asDouble(),
            verify.get("wall_ms").asDouble() / 1000,
            verify.get("cpu_ms").asDouble() / 1000,
            verify.get("max_heap_after_gc_mb").asDouble(),
            verify.get("heap_pool_peaks_mb").asDouble(),
            report.get("wall_ms").asDouble() / verify.get("wall_ms").asDouble(),
            report.get("gc").asText(),
            report.get("max_heap_mb").asDouble());
      }
      double report = median(reportMs);
      double verify = median(verifyMs);
      System.out.printf(
          Locale.ROOT,
          "%nmedian of %d: report %.1f s (CPU %.1f s), max live heap %.1f MB; verify %.1f s (CPU"
              + " %.1f s), max live heap %.1f MB; ratio report / verify = %.2f (CPU %.2f)%n",
          runs,
          report / 1000,
          median(reportCpu) / 1000,
          median(reportHeap),
          verify / 1000,
          median(verifyCpu) / 1000,
          median(verifyHeap),
          report / verify,
          median(reportCpu) / median(verifyCpu));
    } finally {
      if (dirOption.isEmpty()) {
        Bench.deleteTree(dir);
      }
    }
  }

  private static int around(int entries) {
    return Math.max(1, entries / 100);
  }

  /** Runs one securetx command in a child JVM and returns its probe line. */
  private static JsonNode probe(Path dir, Map<String, String> env, String heap, String... command)
      throws IOException, InterruptedException {
    List<String> line = new ArrayList<>();
    line.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    line.add("-Xmx" + heap);
    line.add("-cp");
    line.add(
        java.util.Arrays.stream(
                System.getProperty("java.class.path").split(java.io.File.pathSeparator))
            .map(entry -> Path.of(entry).toAbsolutePath().toString())
            .collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator)));
    line.add(ReportProbe.class.getName());
    line.addAll(List.of(command));
    JsonNode probe =
        ChildProcess.run("securetx " + command[0], line, dir, env, Duration.ofMinutes(20));
    if (!probe.path("probe").asBoolean() || probe.get("exit").asInt() != 0) {
      throw new IllegalStateException("securetx " + command[0] + " failed: " + probe);
    }
    return probe;
  }

  /**
   * Builds the vault in {@code dir} unless a marker says it holds this workload already; returns
   * the master key (base64) that wraps its keysets.
   */
  private static String build(Path dir, int entries, int users) throws Exception {
    Path marker = dir.resolve("bench-report.txt");
    String expected = entries + " entries in " + MONTH + ", " + users + " users";
    Path keyFile = dir.resolve("bench-master.key");
    if (Files.isRegularFile(marker)
        && Files.readString(marker, StandardCharsets.UTF_8).strip().equals(expected)) {
      System.out.println("reusing the vault in " + dir + " (" + expected + ")");
      return Files.readString(keyFile, StandardCharsets.US_ASCII).strip();
    }
    if (Files.exists(dir.resolve("vault.db"))) {
      throw new IllegalStateException(
          dir + " holds a vault this benchmark did not build; choose an empty --dir");
    }
    Files.createDirectories(dir);
    MasterKey master = MasterKey.generate(new SecureRandom());
    TinkKeyRing keys = TinkKeyRing.generate();
    keys.save(dir.resolve("keys"), master);
    TinkKeyRing.writeOwnerOnly(keyFile, master.insecureBase64() + "\n");

    SpreadClock clock = new SpreadClock();
    long started = System.nanoTime();
    try (Vault vault =
        new Vault(
            keys,
            SqlLedgerStore.open(
                DatabaseUrl.sqlite(dir.resolve("vault.db")), clock, Duration.ofHours(24)),
            clock,
            LedgerOptions.DEFAULT)) {
      YearMonth before = MONTH.minusMonths(1);
      YearMonth after = MONTH.plusMonths(1);
      fill(vault, clock, before, around(entries), users);
      fill(vault, clock, MONTH, entries, users);
      fill(vault, clock, after, around(entries), users);
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    System.out.printf(
        Locale.ROOT,
        "built the vault: %,d entries in %.1f s (%,.0f tx/s), %,d MB on disk%n",
        entries + 2 * around(entries),
        seconds,
        (entries + 2 * around(entries)) / seconds,
        Files.size(dir.resolve("vault.db")) / 1048576);
    Files.writeString(marker, expected + "\n", StandardCharsets.UTF_8);
    return master.insecureBase64();
  }

  /** Processes {@code count} transactions spread evenly over {@code month}, two feeding threads. */
  private static void fill(Vault vault, SpreadClock clock, YearMonth month, int count, int users)
      throws Exception {
    Instant start = month.atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    Instant end = month.plusMonths(1).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    clock.spread(start, end, count);
    Semaphore inFlight = new Semaphore(4096);
    AtomicLong next = new AtomicLong();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    List<Thread> feeders = new ArrayList<>();
    for (int t = 0; t < 2; t++) {
      long seed = t * 7919L + month.getMonthValue();
      Thread feeder =
          new Thread(
              () -> {
                SplittableRandom random = new SplittableRandom(seed);
                try {
                  while (next.getAndIncrement() < count && failure.get() == null) {
                    inFlight.acquire();
                    vault
                        .processAsync(request(random, users))
                        .whenComplete(
                            (receipt, error) -> {
                              if (error != null) {
                                failure.compareAndSet(null, error);
                              }
                              inFlight.release();
                            });
                  }
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                  failure.compareAndSet(null, e);
                }
              },
              "feeder-" + t);
      feeder.start();
      feeders.add(feeder);
    }
    for (Thread feeder : feeders) {
      feeder.join();
    }
    inFlight.acquire(4096);
    inFlight.release(4096);
    if (failure.get() != null) {
      throw new IllegalStateException("building the vault failed", failure.get());
    }
  }

  /** A skewed workload: a few heavy users, many light ones; mostly USD, some EUR and JPY. */
  private static TransactionRequest request(SplittableRandom random, int users) {
    int user =
        random.nextInt(10) == 0 ? random.nextInt(Math.max(1, users / 1000)) : random.nextInt(users);
    int pick = random.nextInt(100);
    Currency currency = pick < 80 ? USD : pick < 95 ? EUR : JPY;
    long minor =
        currency == JPY
            ? 1 + random.nextInt(500_000)
            : 1 + random.nextInt(500_000) + random.nextInt(100);
    return new TransactionRequest(new UserId("customer-" + user), new Money(minor, currency), null);
  }

  /**
   * A clock whose every reading moves on by a fixed step, so {@code count} readings spread over a
   * month whatever the wall-clock speed; it never passes the month's end.
   */
  private static final class SpreadClock extends Clock {
    private final AtomicLong readings = new AtomicLong();
    private volatile long startMicros;
    private volatile long endMicros;
    private volatile long stepMicros = 1;

    void spread(Instant start, Instant end, int count) {
      startMicros = ChronoUnit.MICROS.between(Instant.EPOCH, start);
      endMicros = ChronoUnit.MICROS.between(Instant.EPOCH, end) - 1;
      // The ledger reads the clock once per batch too: leave room for those readings.
      stepMicros = Math.max(1, (endMicros - startMicros) / (count + count / 20 + 1));
      readings.set(0);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      long micros = Math.min(startMicros + readings.getAndIncrement() * stepMicros, endMicros);
      return Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
    }
  }

  private static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    sorted.sort(Double::compare);
    return sorted.get(sorted.size() / 2);
  }
}
