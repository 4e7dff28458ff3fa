package io.securetx.report;

import io.securetx.report.MonthlyReport.UserRanking;
import io.securetx.report.MonthlyReport.UserVolume;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Currency;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Volume per user and currency, in bounded memory. Exact while the distinct (currency, user) pairs
 * fit {@code exactLimit} across all currencies; past that, every currency switches to a {@link
 * SpaceSaving} summary of {@code counters} counters, seeded with the largest exact tallies, and the
 * report says the ranking is approximate and by how much it may overstate.
 */
final class UserVolumes {

  /** One user's exact tally. */
  private static final class Tally {
    final int ref;
    final Sum amount = new Sum();
    long count;

    Tally(int ref) {
      this.ref = ref;
    }
  }

  /** The users of one currency: exact until the budget is spent, then a summary. */
  private static final class PerCurrency {
    Map<String, Tally> exact = new HashMap<>();
    @Nullable SpaceSaving summary;
  }

  private final int exactLimit;
  private final int counters;
  private final Map<Currency, PerCurrency> currencies = new HashMap<>();
  private long exactPairs;
  private boolean approximate;

  UserVolumes(int exactLimit, int counters) {
    if (exactLimit < 1 || counters < 1) {
      throw new IllegalArgumentException("limits must be >= 1");
    }
    this.exactLimit = exactLimit;
    this.counters = counters;
  }

  void add(Currency currency, String user, int ref, long amount) {
    PerCurrency users = currencies.computeIfAbsent(currency, c -> newPerCurrency());
    if (users.summary == null && !users.exact.containsKey(user) && exactPairs == exactLimit) {
      summariseAll();
    }
    SpaceSaving summary = users.summary;
    if (summary != null) {
      summary.add(user, ref, amount);
      return;
    }
    Tally tally = users.exact.get(user);
    if (tally == null) {
      tally = new Tally(ref);
      users.exact.put(user, tally);
      exactPairs++;
    }
    tally.amount.add(amount);
    tally.count++;
  }

  private PerCurrency newPerCurrency() {
    PerCurrency users = new PerCurrency();
    if (approximate) {
      users.exact = Map.of();
      users.summary = new SpaceSaving(counters);
    }
    return users;
  }

  /** Past the exact budget: each currency keeps its largest tallies as counters. */
  private void summariseAll() {
    approximate = true;
    for (PerCurrency users : currencies.values()) {
      List<Map.Entry<String, Tally>> largest = new ArrayList<>(users.exact.entrySet());
      largest.sort(
          Comparator.<Map.Entry<String, Tally>, Sum>comparing(e -> e.getValue().amount)
              .reversed()
              .thenComparing(e -> e.getKey()));
      SpaceSaving summary = new SpaceSaving(counters);
      for (Map.Entry<String, Tally> e : largest.subList(0, Math.min(counters, largest.size()))) {
        summary.seed(e.getKey(), e.getValue().ref, e.getValue().amount);
      }
      users.summary = summary;
      users.exact = Map.of();
    }
    exactPairs = 0;
  }

  /** The {@code n} users with the largest volume in {@code currency}. */
  UserRanking ranking(Currency currency, int n) {
    int digits = currency.getDefaultFractionDigits();
    PerCurrency users = currencies.get(currency);
    if (users == null) {
      return new UserRanking(List.of(), true, 0, BigDecimal.ZERO.setScale(digits));
    }
    SpaceSaving summary = users.summary;
    if (summary != null) {
      List<UserVolume> top = new ArrayList<>();
      for (SpaceSaving.Counter c : summary.top(n)) {
        top.add(
            new UserVolume(
                UserMask.mask(c.user), UserMask.reference(c.ref), -1, c.weight.toDecimal(digits)));
      }
      return new UserRanking(top, false, summary.size(), summary.floor().toDecimal(digits));
    }
    List<Map.Entry<String, Tally>> all = new ArrayList<>(users.exact.entrySet());
    all.sort(
        Comparator.<Map.Entry<String, Tally>, Sum>comparing(e -> e.getValue().amount)
            .reversed()
            .thenComparing(e -> e.getKey()));
    List<UserVolume> top = new ArrayList<>();
    for (Map.Entry<String, Tally> e : all.subList(0, Math.min(n, all.size()))) {
      Tally t = e.getValue();
      top.add(
          new UserVolume(
              UserMask.mask(e.getKey()),
              UserMask.reference(t.ref),
              t.count,
              t.amount.toDecimal(digits)));
    }
    return new UserRanking(top, true, all.size(), BigDecimal.ZERO.setScale(digits));
  }
}
