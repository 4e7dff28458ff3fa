package io.securetx.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.securetx.crypto.tink.TinkKeyRing;
import io.securetx.ledger.InMemoryLedgerStore;
import io.securetx.ledger.LedgerIntegrityException;
import io.securetx.ledger.LedgerIntegrityException.Reason;
import io.securetx.ledger.LedgerOptions;
import io.securetx.report.MonthlyReport.CurrencySummary;
import io.securetx.report.MonthlyReport.DayVolume;
import io.securetx.report.MonthlyReport.LargeTransaction;
import io.securetx.report.MonthlyReport.UserVolume;
import io.securetx.transaction.Money;
import io.securetx.transaction.TransactionLimits;
import io.securetx.transaction.UserId;
import io.securetx.vault.Receipt;
import io.securetx.vault.TransactionRequest;
import io.securetx.vault.Vault;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The report's figures against transactions this test put into a real vault at chosen times. */
class ReportCompilerTest {

  private static final TransactionLimits LIMITS = new TransactionLimits(new BigDecimal("1000000"));
  private static final Instant AUGUST = Instant.parse("2026-08-01T00:00:00Z");
  private static final ReportMonth AUGUST_2026 = new ReportMonth(java.time.YearMonth.of(2026, 8));

  /** A clock the test sets before each transaction. */
  static final class SetClock extends Clock {
    private final AtomicReference<Instant> now;

    SetClock(Instant start) {
      now = new AtomicReference<>(start);
    }

    void set(Instant instant) {
      now.set(instant);
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
      return now.get();
    }
  }

  /** One inserted transaction, as the test knows it. */
  record Row(Instant at, String user, String amount, String currency, String txId) {}

  private final SetClock clock = new SetClock(AUGUST);
  private final TinkKeyRing keys = TinkKeyRing.generate();
  private final List<Row> inserted = new ArrayList<>();
  private InMemoryLedgerStore store;
  private Vault vault;

  @BeforeEach
  void openVault() {
    store = new InMemoryLedgerStore();
    vault = new Vault(keys, store, clock, new LedgerOptions(64, 4, Duration.ofDays(365)));
  }

  @AfterEach
  void closeVault() {
    vault.close();
  }

  private void insert(String at, String user, String amount, String currency) {
    Instant instant = Instant.parse(at);
    clock.set(instant);
    Receipt receipt =
        vault.process(
            new TransactionRequest(
                new UserId(user), Money.parse(amount, Money.currency(currency), LIMITS), null));
    inserted.add(new Row(instant, user, amount, currency, receipt.txId()));
  }

  /** Transactions around and inside August 2026, in three currencies, with ties and edges. */
  private void insertKnownTransactions() {
    insert("2026-07-31T23:59:59.999999Z", "before-the-month", "999.99", "USD");
    insert("2026-08-01T00:00:00Z", "alice-in-wonderland", "10.00", "USD");
    insert("2026-08-01T12:00:00Z", "bob", "5.50", "EUR");
    insert("2026-08-03T09:00:00Z", "carol.smith@example", "250.00", "USD");
    insert("2026-08-03T10:00:00Z", "dave-the-builder", "250.00", "USD");
    insert("2026-08-15T08:30:00Z", "alice-in-wonderland", "1500", "JPY");
    for (int i = 1; i <= 12; i++) {
      insert(
          String.format("2026-08-%02dT1%d:00:00Z", 4 + i, i % 10),
          "user-number-" + (i % 4),
          i + ".0" + (i % 10),
          "USD");
    }
    insert("2026-08-20T08:00:00Z", "bob", "0.01", "EUR");
    insert("2026-08-31T23:59:59.999999Z", "zed-the-max-user", "1000000.00", "USD");
    insert("2026-09-01T00:00:00Z", "after-the-month", "77.77", "USD");
  }

  private List<Row> august(String currency) {
    return inserted.stream()
        .filter(r -> !r.at().isBefore(AUGUST) && r.at().isBefore(AUGUST_2026.end()))
        .filter(r -> r.currency().equals(currency))
        .toList();
  }

  private MonthlyReport compile() {
    clock.set(Instant.parse("2026-11-15T10:00:00Z"));
    return new ReportCompiler(clock).compile(vault, AUGUST_2026);
  }

  private static CurrencySummary section(MonthlyReport report, String code) {
    return report.currencies().stream()
        .filter(c -> c.currency().getCurrencyCode().equals(code))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no section for " + code));
  }

  @Test
  void compile_knownTransactions_countsAndTotalsPerCurrency() throws Exception {
    insertKnownTransactions();

    MonthlyReport report = compile();

    assertThat(report.transactions()).isEqualTo(19);
    assertThat(report.complete()).isTrue();
    assertThat(report.currencies())
        .extracting(c -> c.currency().getCurrencyCode())
        .containsExactly("USD", "EUR", "JPY");
    CurrencySummary usd = section(report, "USD");
    assertThat(usd.count()).isEqualTo(16);
    // 10.00 + 250.00 + 250.00 + (1.01 + 2.02 + ... + 9.09 + 10.00 + 11.01 + 12.02 = 78.48)
    // + 1000000.00
    assertThat(usd.total()).isEqualByComparingTo("1000588.48");
    assertThat(usd.total().scale()).isEqualTo(2);
    assertThat(usd.total()).isEqualByComparingTo(sum(august("USD")));
    assertThat(section(report, "EUR").count()).isEqualTo(2);
    assertThat(section(report, "EUR").total()).isEqualTo(new BigDecimal("5.51"));
    assertThat(section(report, "JPY").count()).isEqualTo(1);
    assertThat(section(report, "JPY").total()).isEqualTo(new BigDecimal("1500"));
  }

  @Test
  void compile_knownTransactions_dailyVolumesCoverEveryDay() throws Exception {
    insertKnownTransactions();

    CurrencySummary usd = section(compile(), "USD");

    assertThat(usd.days()).hasSize(31);
    assertThat(usd.days().get(0).day()).isEqualTo(LocalDate.of(2026, 8, 1));
    assertThat(usd.days().get(30).day()).isEqualTo(LocalDate.of(2026, 8, 31));
    for (DayVolume day : usd.days()) {
      List<Row> rows =
          august("USD").stream()
              .filter(r -> r.at().atZone(ZoneOffset.UTC).toLocalDate().equals(day.day()))
              .toList();
      assertThat(day.count()).as("count on %s", day.day()).isEqualTo(rows.size());
      assertThat(day.amount()).as("amount on %s", day.day()).isEqualByComparingTo(sum(rows));
    }
    assertThat(usd.days().get(2).amount()).isEqualTo(new BigDecimal("500.00"));
    assertThat(usd.days().get(30).amount()).isEqualTo(new BigDecimal("1000000.00"));
    assertThat(usd.days().stream().map(DayVolume::amount).reduce(BigDecimal.ZERO, BigDecimal::add))
        .isEqualByComparingTo(usd.total());
  }

  @Test
  void compile_knownTransactions_tenLargestInOrderWithEarlierFirstOnTies() throws Exception {
    insertKnownTransactions();

    List<LargeTransaction> largest = section(compile(), "USD").largest();

    List<Row> expected =
        august("USD").stream()
            .sorted(
                Comparator.comparing((Row r) -> new BigDecimal(r.amount()))
                    .reversed()
                    .thenComparing(Row::at))
            .limit(10)
            .toList();
    assertThat(largest).hasSize(10);
    assertThat(largest)
        .extracting(LargeTransaction::txId)
        .containsExactlyElementsOf(expected.stream().map(Row::txId).toList());
    assertThat(largest)
        .extracting(l -> l.amount().toPlainString())
        .containsExactly(
            "1000000.00",
            "250.00",
            "250.00",
            "12.02",
            "11.01",
            "10.00",
            "10.00",
            "9.09",
            "8.08",
            "7.07");
    assertThat(largest.get(1).user()).isEqualTo("ca***le");
    assertThat(largest.get(2).user()).isEqualTo("da***er");
    assertThat(largest.get(0).createdAt()).isEqualTo(Instant.parse("2026-08-31T23:59:59.999999Z"));
    assertThat(largest)
        .allSatisfy(
            l -> {
              assertThat(l.userRef()).matches("[0-9a-f]{8}");
              assertThat(l.user()).contains("***");
            });
  }

  @Test
  void compile_knownTransactions_usersByVolumeExactAndMasked() throws Exception {
    insertKnownTransactions();

    CurrencySummary usd = section(compile(), "USD");

    Map<String, BigDecimal> volumes = new HashMap<>();
    Map<String, Long> counts = new HashMap<>();
    for (Row r : august("USD")) {
      volumes.merge(r.user(), new BigDecimal(r.amount()), BigDecimal::add);
      counts.merge(r.user(), 1L, Long::sum);
    }
    List<String> ranked =
        volumes.keySet().stream()
            .sorted(
                Comparator.comparing((String u) -> volumes.get(u)).reversed().thenComparing(u -> u))
            .toList();
    assertThat(usd.users().exact()).isTrue();
    assertThat(usd.users().distinctUsers()).isEqualTo(volumes.size());
    assertThat(usd.users().top()).hasSize(Math.min(10, ranked.size()));
    for (int i = 0; i < usd.users().top().size(); i++) {
      UserVolume v = usd.users().top().get(i);
      String user = ranked.get(i);
      assertThat(v.user()).isEqualTo(UserMask.mask(user)).isNotEqualTo(user);
      assertThat(v.amount()).isEqualByComparingTo(volumes.get(user));
      assertThat(v.count()).isEqualTo(counts.get(user));
      assertThat(v.userRef()).matches("[0-9a-f]{8}");
    }
    assertThat(usd.users().top().get(0).user()).isEqualTo("ze***er");
    // The same user has the same reference in every currency, other users another one.
    String aliceUsd =
        usd.users().top().stream()
            .filter(v -> v.user().equals("al***nd"))
            .findFirst()
            .orElseThrow()
            .userRef();
    CurrencySummary jpy = section(compile(), "JPY");
    assertThat(jpy.users().top())
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.user()).isEqualTo("al***nd");
              assertThat(v.userRef()).isEqualTo(aliceUsd);
              assertThat(v.amount()).isEqualTo(new BigDecimal("1500"));
            });
  }

  @Test
  void compile_intactVault_reportsTheVerificationOfTheWholeVault() throws Exception {
    insertKnownTransactions();

    MonthlyReport report = compile();

    var expected = vault.verify();
    assertThat(report.vault().verified()).isTrue();
    assertThat(report.vault().failure()).isNull();
    assertThat(report.vault().entries()).isEqualTo(inserted.size());
    assertThat(report.vault().headHash()).isEqualTo(expected.headHash());
    assertThat(report.vault().checkpoints()).isEqualTo(expected.checkpoints()).isPositive();
    assertThat(report.vault().lastCheckpointSeq()).isEqualTo(expected.lastCheckpointSeq());
    assertThat(report.vault().lastCheckpointAt()).isEqualTo(expected.lastCheckpointAt());
    assertThat(report.vault().lastCheckpointAt()).isNotNull();
  }

  @Test
  void compile_emptyMonth_validReportWithNoCurrencies() throws Exception {
    insert("2026-07-10T10:00:00Z", "someone-else", "1.00", "USD");

    MonthlyReport report = compile();

    assertThat(report.transactions()).isZero();
    assertThat(report.currencies()).isEmpty();
    assertThat(report.vault().verified()).isTrue();
    assertThat(report.vault().entries()).isEqualTo(1);
  }

  @Test
  void compile_emptyVault_validReport() {
    MonthlyReport report = compile();

    assertThat(report.transactions()).isZero();
    assertThat(report.vault().verified()).isTrue();
    assertThat(report.vault().headHash()).isEqualTo("00".repeat(32));
    assertThat(report.vault().lastCheckpointAt()).isNull();
  }

  @Test
  void compile_monthInProgress_saysIncomplete() {
    insert("2026-08-10T10:00:00Z", "someone", "1.00", "USD");
    clock.set(Instant.parse("2026-08-20T10:00:00.123Z"));

    MonthlyReport report = new ReportCompiler(clock).compile(vault, AUGUST_2026);

    assertThat(report.complete()).isFalse();
    assertThat(report.generatedAt()).isEqualTo(Instant.parse("2026-08-20T10:00:00Z"));
    assertThat(report.transactions()).isEqualTo(1);
  }

  @Test
  void compile_tamperedEntry_reportStatesFailureAndCoversOnlyEntriesBefore() throws Exception {
    insertKnownTransactions();
    // seq 5 is dave's 250.00 USD on August 3rd: its MAC changes, so its link breaks.
    store.replaceEntry(5, e -> e.withEntryHash(InMemoryLedgerStore.flipped(e.entryHash(), 0, 1)));

    MonthlyReport report = compile();

    assertThat(report.vault().verified()).isFalse();
    assertThat(report.vault().headHash()).isNull();
    assertThat(report.vault().entries()).isEqualTo(4);
    MonthlyReport.Failure failure = report.vault().failure();
    assertThat(failure).isNotNull();
    assertThat(failure.seq()).isEqualTo(5);
    assertThat(failure.reason()).isEqualTo(Reason.BROKEN_LINK);
    assertThat(failure.toException())
        .isInstanceOf(LedgerIntegrityException.class)
        .hasMessageContaining("seq 5")
        .hasMessageContaining("BROKEN_LINK");
    // Seq 2..4 lie in August: 10.00 USD, 5.50 EUR, 250.00 USD.
    assertThat(report.transactions()).isEqualTo(3);
    assertThat(section(report, "USD").total()).isEqualTo(new BigDecimal("260.00"));
  }

  @Test
  void compile_undecryptableEntryRechained_failsAtThatEntry() throws Exception {
    insertKnownTransactions();
    store.replaceEntry(
        8,
        e ->
            new io.securetx.ledger.LedgerEntry(
                e.seq(),
                e.txId(),
                e.createdAtMicros(),
                e.userIndex(),
                e.macKeyId(),
                e.aeadKeyId(),
                InMemoryLedgerStore.flipped(e.ciphertext(), e.ciphertext().length - 1, 1),
                e.mac(),
                e.entryHash()));
    store.rechainFrom(8);

    MonthlyReport report = compile();

    assertThat(report.vault().failure()).isNotNull();
    assertThat(report.vault().failure().seq()).isEqualTo(8);
  }

  @Test
  void compile_moreUsersThanTheExactBudget_approximateRankingBoundsTheTruth() throws Exception {
    // Three heavy users among 60 light ones, with room for 20 exact pairs and 12 counters.
    Map<String, BigDecimal> truth = new HashMap<>();
    Instant at = Instant.parse("2026-08-02T00:00:00Z");
    for (int round = 0; round < 3; round++) {
      for (int i = 0; i < 60; i++) {
        String user = "light-user-" + i;
        at = at.plusSeconds(60);
        insert(at.toString(), user, "1.00", "USD");
        truth.merge(user, new BigDecimal("1.00"), BigDecimal::add);
        if (i % 20 == 0) {
          String heavy = "heavy-user-" + (i / 20);
          insert(at.plusSeconds(1).toString(), heavy, (100 * (i / 20 + 1)) + ".00", "USD");
          truth.merge(heavy, new BigDecimal((100 * (i / 20 + 1)) + ".00"), BigDecimal::add);
        }
      }
    }
    clock.set(Instant.parse("2026-11-15T10:00:00Z"));

    MonthlyReport.UserRanking users =
        section(new ReportCompiler(clock, 20, 12).compile(vault, AUGUST_2026), "USD").users();

    assertThat(users.exact()).isFalse();
    assertThat(users.distinctUsers()).isEqualTo(12);
    assertThat(users.top()).hasSize(10);
    assertThat(users.top().subList(0, 3))
        .extracting(UserVolume::user)
        .containsExactly("he***-2", "he***-1", "he***-0");
    for (UserVolume v : users.top()) {
      assertThat(v.count()).isEqualTo(-1);
    }
    assertThat(users.top().get(0).amount()).isGreaterThanOrEqualTo(truth.get("heavy-user-2"));
    assertThat(users.top().get(0).amount())
        .isLessThanOrEqualTo(truth.get("heavy-user-2").add(users.maxOverstatement()));
    assertThat(users.maxOverstatement()).isPositive();
  }

  @Test
  void compiler_limitsBelowTen_refused() {
    assertThatThrownBy(() -> new ReportCompiler(clock, 5, 100))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static BigDecimal sum(List<Row> rows) {
    return rows.stream()
        .map(r -> new BigDecimal(r.amount()))
        .reduce(BigDecimal.ZERO, BigDecimal::add);
  }
}
