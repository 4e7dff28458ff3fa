package io.securetx.transaction;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.Currency;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class MoneyProperties {

  private static final TransactionLimits LIMITS = TransactionLimits.DEFAULT;

  @Provide
  Arbitrary<Money> moneyWithinLimits() {
    return Arbitraries.of("USD", "EUR", "JPY", "BHD")
        .map(Currency::getInstance)
        .flatMap(
            currency -> {
              long max =
                  LIMITS
                      .maxAmount()
                      .movePointRight(currency.getDefaultFractionDigits())
                      .longValue();
              return Arbitraries.longs()
                  .between(1, max)
                  .edgeCases(edges -> edges.add(1L, max))
                  .map(minor -> new Money(minor, currency));
            });
  }

  @Property
  void parse_plainStringOfDecimal_givesSameMoney(@ForAll("moneyWithinLimits") Money money) {
    String text = money.toDecimal().toPlainString();

    assertThat(Money.parse(text, money.currency(), LIMITS)).isEqualTo(money);
  }

  @Provide
  Arbitrary<String> amountLikeText() {
    Arbitrary<String> noise = Arbitraries.strings().ofMaxLength(50);
    Arbitrary<String> alphabet =
        Arbitraries.strings().withChars("0123456789.-+eE,_ NaInfy١٢\u2003").ofMaxLength(45);
    Arbitrary<String> decimals =
        Combinators.combine(
                Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(20),
                Arbitraries.strings().numeric().ofMaxLength(20))
            .as((whole, fraction) -> fraction.isEmpty() ? whole : whole + "." + fraction);
    return Arbitraries.oneOf(noise, alphabet, decimals);
  }

  @Property(tries = 2000)
  void parse_anyText_positiveWithinLimitsOrValidationException(
      @ForAll("amountLikeText") String text, @ForAll("currencies") Currency currency) {
    Money parsed;
    try {
      parsed = Money.parse(text, currency, LIMITS);
    } catch (ValidationException e) {
      // Any other exception escapes and fails the property.
      assertThat(e.field()).isEqualTo("amount");
      assertThat(e.rule()).startsWith("amount.");
      return;
    }
    assertThat(parsed.minorUnits()).isPositive();
    assertThat(parsed.currency()).isEqualTo(currency);
    assertThat(parsed.toDecimal()).isLessThanOrEqualTo(LIMITS.maxAmount());
    assertThat(parsed.toDecimal()).isEqualByComparingTo(new BigDecimal(text.strip()));
  }

  @Provide
  Arbitrary<Currency> currencies() {
    return Arbitraries.of("USD", "EUR", "JPY", "BHD").map(Currency::getInstance);
  }

  @Provide
  Arbitrary<String> plainDecimals() {
    return Combinators.combine(
            Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(19),
            Arbitraries.strings().numeric().ofMaxLength(6))
        .as((whole, fraction) -> fraction.isEmpty() ? whole : whole + "." + fraction);
  }

  /** The fast path for plain text must agree with the general rules, accepted or refused. */
  @Property(tries = 3000)
  void parse_plainDecimal_sameAsGeneralPath(
      @ForAll("plainDecimals") String text, @ForAll("currencies") Currency currency) {
    String viaText = outcome(() -> Money.parse(text, currency, LIMITS));
    String viaDecimal = outcome(() -> Money.of(new BigDecimal(text), currency, LIMITS));

    assertThat(viaText).isEqualTo(viaDecimal);
  }

  /** A binary float is accepted exactly when its shortest decimal form is a valid amount. */
  @Property(tries = 3000)
  void ofBinaryFloat_acceptedExactlyWhenShortestDecimalIsValid(
      @ForAll("moneyWithinLimits") Money money, @ForAll double noise) {
    double exact = money.toDecimal().doubleValue();
    assertThat(Money.ofBinaryFloat(exact, money.currency(), LIMITS)).isEqualTo(money);
    double nudged = Math.nextUp(exact);
    String viaFloat = outcome(() -> Money.ofBinaryFloat(nudged, money.currency(), LIMITS));
    String viaShortest =
        outcome(() -> Money.of(new BigDecimal(Double.toString(nudged)), money.currency(), LIMITS));
    assertThat(viaFloat).isEqualTo(viaShortest);
  }

  private static String outcome(java.util.function.Supplier<Money> parse) {
    try {
      return "ok " + parse.get();
    } catch (ValidationException e) {
      return "refused " + e.rule();
    }
  }
}
