package io.securetx.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

class SpaceSavingProperties {

  record Event(int user, long weight) {}

  @Provide
  Arbitrary<List<Event>> events() {
    // Skewed: a few heavy users among many light ones, as real volumes are.
    Arbitrary<Integer> users =
        Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(3, Arbitraries.integers().between(0, 4)),
            net.jqwik.api.Tuple.of(7, Arbitraries.integers().between(5, 400)));
    Arbitrary<Long> weights = Arbitraries.longs().between(1, 100_000);
    return net.jqwik.api.Combinators.combine(users, weights)
        .as(Event::new)
        .list()
        .ofMinSize(1)
        .ofMaxSize(2_000);
  }

  @Property(tries = 200)
  void estimates_boundTrueVolumes(
      @ForAll("events") List<Event> events, @ForAll @IntRange(min = 1, max = 40) int capacity) {
    SpaceSaving summary = new SpaceSaving(capacity);
    Map<String, BigInteger> truth = new HashMap<>();
    for (Event e : events) {
      String user = "user-" + e.user();
      summary.add(user, e.user(), e.weight());
      truth.merge(user, BigInteger.valueOf(e.weight()), BigInteger::add);
    }
    BigInteger floor = summary.floor().value();

    assertThat(summary.size()).isLessThanOrEqualTo(capacity);
    Map<String, SpaceSaving.Counter> tracked = new HashMap<>();
    for (SpaceSaving.Counter c : summary.top(capacity)) {
      tracked.put(c.user, c);
      BigInteger actual = truth.get(c.user);
      BigInteger estimate = c.weight.value();
      // Never understated; overstated by at most the counter's error, itself at most the floor.
      assertThat(estimate).isGreaterThanOrEqualTo(actual);
      assertThat(estimate.subtract(c.error.value())).isLessThanOrEqualTo(actual);
      assertThat(c.error.value()).isLessThanOrEqualTo(floor);
    }
    // Every user above the floor is tracked.
    truth.forEach(
        (user, volume) -> {
          if (volume.compareTo(floor) > 0) {
            assertThat(tracked).containsKey(user);
          }
        });
    // Estimates sum to the total weight.
    BigInteger total = truth.values().stream().reduce(BigInteger.ZERO, BigInteger::add);
    BigInteger counted =
        summary.top(capacity).stream()
            .map(c -> c.weight.value())
            .reduce(BigInteger.ZERO, BigInteger::add);
    assertThat(counted).isEqualTo(total);
  }
}
