package io.securetx.report;

import io.securetx.ledger.ChainVerifier.RecordVisitor;
import io.securetx.ledger.LedgerEntry;
import io.securetx.ledger.LedgerIntegrityException;
import io.securetx.ledger.LedgerStoreException;
import io.securetx.ledger.VerificationSummary;
import io.securetx.report.MonthlyReport.CurrencySummary;
import io.securetx.report.MonthlyReport.DayVolume;
import io.securetx.report.MonthlyReport.Failure;
import io.securetx.report.MonthlyReport.LargeTransaction;
import io.securetx.report.MonthlyReport.VaultStatus;
import io.securetx.transaction.Transaction;
import io.securetx.vault.Vault;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Currency;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * Compiles a {@link MonthlyReport}: one pass over the whole vault verifies every entry (chain,
 * checkpoints, decryption, MAC) and aggregates the records created in the month. Memory stays
 * bounded however many entries the month holds: sums per currency and day, a ten-element heap per
 * currency for the largest transactions, and users by volume exact up to a budget of distinct users
 * (100,000 by default), then a Space-Saving summary marked approximate.
 *
 * <p>The verifying pass runs on the caller's thread; the month's records go, in batches through a
 * small bounded queue, to a second thread that aggregates them, so the report costs little more
 * than {@code securetx verify} when a core is free.
 *
 * <p>A vault that fails verification still yields a report: it states the failure (first bad
 * sequence number and why) and covers only the records before it. Whoever publishes the report then
 * raises the failure ({@link Failure#toException()}); it is never silently skipped.
 */
public final class ReportCompiler {

  /** How many of the largest transactions and users a report lists per currency. */
  public static final int TOP = 10;

  /** The default budget of distinct (currency, user) pairs tracked exactly. */
  public static final int EXACT_USERS = 100_000;

  /** The default number of Space-Saving counters per currency past that budget. */
  public static final int APPROXIMATE_COUNTERS = 2_000;

  /** Verifies a ledger and hands over each verified record; {@code Vault::verify} is one. */
  @FunctionalInterface
  public interface VerifiedRecords {
    /**
     * Verifies everything, visiting each record once it verified.
     *
     * @param visitor receives the records
     * @return what was verified
     * @throws LedgerIntegrityException at the first bad entry
     */
    VerificationSummary verify(RecordVisitor visitor) throws LedgerIntegrityException;
  }

  private final Clock clock;
  private final int exactUsers;
  private final int approximateCounters;

  /**
   * Creates a compiler with the default limits.
   *
   * @param clock stamps the report and decides whether the month is complete
   */
  public ReportCompiler(Clock clock) {
    this(clock, EXACT_USERS, APPROXIMATE_COUNTERS);
  }

  /**
   * Creates a compiler.
   *
   * @param clock stamps the report and decides whether the month is complete
   * @param exactUsers distinct (currency, user) pairs tracked exactly before the user ranking turns
   *     approximate
   * @param approximateCounters Space-Saving counters per currency once it has
   * @throws IllegalArgumentException if a limit is below {@link #TOP}
   */
  public ReportCompiler(Clock clock, int exactUsers, int approximateCounters) {
    if (exactUsers < TOP || approximateCounters < TOP) {
      throw new IllegalArgumentException("user limits must be at least " + TOP);
    }
    this.clock = clock;
    this.exactUsers = exactUsers;
    this.approximateCounters = approximateCounters;
  }

  /**
   * Verifies the vault and compiles the month's report.
   *
   * @param vault the vault
   * @param month the month
   * @return the report; when verification failed, {@code report.vault().failure()} says where
   * @throws io.securetx.ledger.LedgerStoreException if the vault cannot be read
   */
  public MonthlyReport compile(Vault vault, ReportMonth month) {
    return compile(vault::verify, month);
  }

  /**
   * Verifies the records and compiles the month's report.
   *
   * @param records the verifying pass over a ledger
   * @param month the month
   * @return the report; when verification failed, {@code report.vault().failure()} says where
   * @throws io.securetx.ledger.LedgerStoreException if the ledger cannot be read
   */
  public MonthlyReport compile(VerifiedRecords records, ReportMonth month) {
    Aggregation aggregation = new Aggregation(month, exactUsers, approximateCounters);
    VaultStatus status;
    try (Handoff handoff = new Handoff(month, aggregation)) {
      handoff.start();
      try {
        VerificationSummary summary = records.verify(handoff);
        handoff.finish();
        status =
            new VaultStatus(
                true,
                summary.entries(),
                summary.headHash(),
                summary.checkpoints(),
                summary.lastCheckpointSeq(),
                summary.lastCheckpointAt(),
                null);
      } catch (LedgerIntegrityException e) {
        // The records before the bad one were handed over; they are what the report can state.
        handoff.finish();
        status =
            new VaultStatus(
                false,
                handoff.verifiedEntries,
                null,
                0,
                0,
                null,
                new Failure(e.seq(), e.reason(), e.detail()));
      }
    }
    Instant generatedAt = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    return aggregation.report(generatedAt, !generatedAt.isBefore(month.end()), status);
  }

  /** One of the month's records, as the aggregation needs it. */
  private record MonthRecord(long micros, String txId, int ref, Transaction tx) {}

  /** A batch of records for the aggregating thread; the last batch ends the stream. */
  private record Batch(List<MonthRecord> records, boolean last) {}

  /**
   * Runs on the verifying thread: counts every verified entry, keeps the month's records and hands
   * them in batches to a second thread that aggregates them, so the sums, heaps and user ranking
   * cost the verification pass nothing on a machine with a spare core. The queue is bounded: a few
   * batches in flight, whatever the month's size.
   */
  private static final class Handoff implements RecordVisitor, AutoCloseable {
    private static final int BATCH = 512;
    private static final int BATCHES_IN_FLIGHT = 8;

    private final long fromMicros;
    private final long toMicros;
    private final Aggregation aggregation;
    private final ArrayBlockingQueue<Batch> queue = new ArrayBlockingQueue<>(BATCHES_IN_FLIGHT);
    private final Thread aggregator;
    private final AtomicReference<@Nullable Throwable> failure = new AtomicReference<>();
    private List<MonthRecord> batch = new ArrayList<>(BATCH);
    private long verifiedEntries;

    Handoff(ReportMonth month, Aggregation aggregation) {
      this.fromMicros = ChronoUnit.MICROS.between(Instant.EPOCH, month.start());
      this.toMicros = ChronoUnit.MICROS.between(Instant.EPOCH, month.end());
      this.aggregation = aggregation;
      this.aggregator = new Thread(this::aggregate, "report-aggregation");
      aggregator.setDaemon(true);
    }

    void start() {
      aggregator.start();
    }

    @Override
    public void visit(LedgerEntry entry, Transaction tx) {
      verifiedEntries++;
      // The opener checked that the entry's time column equals the sealed transaction's time.
      long micros = entry.createdAtMicros();
      if (micros < fromMicros || micros >= toMicros) {
        return;
      }
      batch.add(new MonthRecord(micros, entry.txId(), UserMask.ref(entry.userIndex()), tx));
      if (batch.size() == BATCH) {
        hand(new Batch(batch, false));
        batch = new ArrayList<>(BATCH);
      }
    }

    /** Hands over what is left and waits until everything handed over is aggregated. */
    void finish() {
      hand(new Batch(batch, true));
      batch = new ArrayList<>();
      try {
        aggregator.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new LedgerStoreException("interrupted while compiling the report", e);
      }
      Throwable failed = failure.get();
      if (failed != null) {
        throw new IllegalStateException("the report's aggregation failed", failed);
      }
    }

    private void hand(Batch next) {
      try {
        while (!queue.offer(next, 100, TimeUnit.MILLISECONDS)) {
          if (!aggregator.isAlive()) {
            throw new IllegalStateException("the report's aggregation stopped", failure.get());
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new LedgerStoreException("interrupted while compiling the report", e);
      }
    }

    private void aggregate() {
      try {
        while (true) {
          Batch next = queue.take();
          for (MonthRecord record : next.records()) {
            aggregation.add(record);
          }
          if (next.last()) {
            return;
          }
        }
      } catch (InterruptedException e) {
        // Stopped by close(): verification failed in a way that produces no report.
        Thread.currentThread().interrupt();
      } catch (RuntimeException | Error e) {
        failure.set(e);
      }
    }

    /** Stops the aggregating thread if verification ended without {@link #finish()}. */
    @Override
    public void close() {
      if (aggregator.isAlive()) {
        aggregator.interrupt();
      }
    }
  }

  /** The month's sums, heaps and users; touched only by the aggregating thread until joined. */
  private static final class Aggregation {
    private final ReportMonth month;
    private final long fromMicros;
    private final int days;
    private final Map<Currency, CurrencyTally> currencies = new HashMap<>();
    private final UserVolumes users;
    private long transactions;

    Aggregation(ReportMonth month, int exactUsers, int counters) {
      this.month = month;
      this.fromMicros = ChronoUnit.MICROS.between(Instant.EPOCH, month.start());
      this.days = month.value().lengthOfMonth();
      this.users = new UserVolumes(exactUsers, counters);
    }

    void add(MonthRecord record) {
      transactions++;
      Transaction tx = record.tx();
      Currency currency = tx.amount().currency();
      long minor = tx.amount().minorUnits();
      String user = tx.userId().value();
      int day = (int) ((record.micros() - fromMicros) / 86_400_000_000L);
      currencies
          .computeIfAbsent(currency, c -> new CurrencyTally(days))
          .add(day, minor, record.micros(), record.txId(), user, record.ref());
      users.add(currency, user, record.ref(), minor);
    }

    MonthlyReport report(Instant generatedAt, boolean complete, VaultStatus status) {
      List<CurrencySummary> summaries = new ArrayList<>();
      for (Map.Entry<Currency, CurrencyTally> e : currencies.entrySet()) {
        summaries.add(e.getValue().summary(e.getKey(), month, users.ranking(e.getKey(), TOP)));
      }
      summaries.sort(
          Comparator.comparingLong(CurrencySummary::count)
              .reversed()
              .thenComparing(s -> s.currency().getCurrencyCode()));
      return new MonthlyReport(month, generatedAt, complete, transactions, summaries, status);
    }
  }

  /** One currency's sums, days and largest transactions. */
  private static final class CurrencyTally {
    private final Sum total = new Sum();
    private final long[] dayCounts;
    private final Sum[] dayAmounts;
    private final PriorityQueue<Large> largest = new PriorityQueue<>(TOP + 1, Large.ORDER);
    private long count;

    CurrencyTally(int days) {
      dayCounts = new long[days];
      dayAmounts = new Sum[days];
      for (int i = 0; i < days; i++) {
        dayAmounts[i] = new Sum();
      }
    }

    void add(int day, long minor, long micros, String txId, String user, int ref) {
      count++;
      total.add(minor);
      dayCounts[day]++;
      dayAmounts[day].add(minor);
      if (largest.size() < TOP) {
        largest.add(new Large(minor, micros, txId, user, ref));
        return;
      }
      Large smallest = largest.peek();
      // Most records are no candidate: decide on the amount before allocating anything.
      if (smallest != null && minor >= smallest.minor) {
        Large candidate = new Large(minor, micros, txId, user, ref);
        if (Large.ORDER.compare(candidate, smallest) > 0) {
          largest.poll();
          largest.add(candidate);
        }
      }
    }

    CurrencySummary summary(
        Currency currency, ReportMonth month, MonthlyReport.UserRanking ranking) {
      int digits = currency.getDefaultFractionDigits();
      List<DayVolume> volumes = new ArrayList<>(dayCounts.length);
      for (int i = 0; i < dayCounts.length; i++) {
        volumes.add(
            new DayVolume(
                month.value().atDay(i + 1), dayCounts[i], dayAmounts[i].toDecimal(digits)));
      }
      List<Large> top = new ArrayList<>(largest);
      top.sort(Large.ORDER.reversed());
      List<LargeTransaction> largestFirst = new ArrayList<>();
      for (Large l : top) {
        largestFirst.add(
            new LargeTransaction(
                l.txId,
                Instant.EPOCH.plus(l.micros, ChronoUnit.MICROS),
                BigDecimal.valueOf(l.minor, digits),
                UserMask.mask(l.user),
                UserMask.reference(l.ref)));
      }
      return new CurrencySummary(
          currency, count, total.toDecimal(digits), volumes, largestFirst, ranking);
    }
  }

  /** A candidate for the largest transactions; the order ranks larger, then earlier, higher. */
  private record Large(long minor, long micros, String txId, String user, int ref) {
    static final Comparator<Large> ORDER =
        Comparator.comparingLong(Large::minor)
            .thenComparing(Comparator.comparingLong(Large::micros).reversed())
            .thenComparing(Comparator.comparing(Large::txId).reversed());
  }
}
