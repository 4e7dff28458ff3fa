package io.securetx.transaction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.InstanceOfAssertFactories.type;

import java.math.BigDecimal;
import java.util.Currency;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class MoneyTest {

  private static final Currency USD = Currency.getInstance("USD");
  private static final Currency JPY = Currency.getInstance("JPY");
  private static final Currency BHD = Currency.getInstance("BHD");
  private static final TransactionLimits LIMITS = TransactionLimits.DEFAULT;

  private static void assertRefused(Runnable action, String field, String rule) {
    assertThatThrownBy(action::run)
        .isInstanceOf(ValidationException.class)
        .hasMessageStartingWith(field + ": ")
        .asInstanceOf(type(ValidationException.class))
        .satisfies(
            e -> {
              assertThat(e.field()).isEqualTo(field);
              assertThat(e.rule()).isEqualTo(rule);
            });
  }

  private static void assertAmountRefused(String text, Currency currency, String rule) {
    assertRefused(() -> Money.parse(text, currency, LIMITS), "amount", rule);
  }

  @Test
  void parse_plainDecimal_givesMinorUnits() {
    Money money = Money.parse("100.25", USD, LIMITS);

    assertThat(money.minorUnits()).isEqualTo(10_025L);
    assertThat(money.currency()).isEqualTo(USD);
    assertThat(money).hasToString("100.25 USD");
  }

  @Test
  void parse_trailingZerosBeyondScale_acceptedAsExactValue() {
    assertThat(Money.parse("1.100", USD, LIMITS).minorUnits()).isEqualTo(110L);
  }

  @Test
  void parse_integerAmount_scaledToMinorUnits() {
    assertThat(Money.parse("100", USD, LIMITS).minorUnits()).isEqualTo(10_000L);
    assertThat(Money.parse("1500", JPY, LIMITS).minorUnits()).isEqualTo(1_500L);
    assertThat(Money.parse("1.234", BHD, LIMITS).minorUnits()).isEqualTo(1_234L);
  }

  @Test
  void parse_surroundingWhitespace_ignored() {
    assertThat(Money.parse(" 5.00\t", USD, LIMITS).minorUnits()).isEqualTo(500L);
  }

  @Test
  void parse_exactlyTheMaximum_accepted() {
    assertThat(Money.parse("1000000.00", USD, LIMITS).minorUnits()).isEqualTo(100_000_000L);
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "0.00", "000", "-5", "-0.01", "-1000000000"})
  void parse_zeroOrNegative_refusedWithPositiveRule(String text) {
    assertAmountRefused(text, USD, "amount.positive");
  }

  @ParameterizedTest
  @ValueSource(strings = {"NaN", "nan", "Infinity", "-Infinity", "+Infinity", "inf"})
  void parse_nonFinite_refusedWithFiniteRule(String text) {
    assertAmountRefused(text, USD, "amount.finite");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "1e400",
        "1E2",
        "+5",
        "1,000.00",
        "1.",
        ".5",
        "1.0.0",
        "0x10",
        "1 000",
        "١٢",
        "１２",
        "٣.٥",
        "5-",
        "1_000"
      })
  void parse_notPlainAsciiDecimal_refusedWithFormatRule(String text) {
    assertAmountRefused(text, USD, "amount.format");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "\t\n", "\u2003"})
  void parse_blank_refusedWithRequiredRule(String text) {
    assertAmountRefused(text, USD, "amount.required");
  }

  @Test
  void parse_overLongText_refusedWithFormatRuleBeforeParsing() {
    String longest = "1" + "0".repeat(Money.MAX_TEXT_LENGTH - 1);
    String tooLong = "0".repeat(Money.MAX_TEXT_LENGTH) + "1";

    assertAmountRefused(longest, USD, "amount.maximum");
    assertAmountRefused(tooLong, USD, "amount.format");
    assertThatThrownBy(() -> Money.parse(tooLong, USD, LIMITS))
        .hasMessageContaining("longer than " + Money.MAX_TEXT_LENGTH);
  }

  @Test
  void parse_tooManyFractionDigits_refusedWithScaleRule() {
    assertAmountRefused("1.001", USD, "amount.scale");
    assertAmountRefused("1.5", JPY, "amount.scale");
    assertAmountRefused("1.0001", BHD, "amount.scale");
    assertThatThrownBy(() -> Money.parse("1.5", JPY, LIMITS))
        .hasMessage("amount: JPY allows at most 0 decimal places, got 1");
  }

  @Test
  void parse_aboveLimit_refusedWithMaximumRule() {
    assertAmountRefused("1000000.01", USD, "amount.maximum");
    assertAmountRefused("1000001", JPY, "amount.maximum");
    assertThat(Money.parse("5.00", USD, new TransactionLimits(new BigDecimal("5"))).minorUnits())
        .isEqualTo(500L);
  }

  @Test
  void parse_aboveCustomLimit_refusedWithMaximumRuleNamingLimit() {
    TransactionLimits five = new TransactionLimits(new BigDecimal("5"));

    assertRefused(() -> Money.parse("5.01", USD, five), "amount", "amount.maximum");
    assertThatThrownBy(() -> Money.parse("5.01", USD, five)).hasMessageContaining("5 USD");
  }

  @Test
  void of_decimalWithTooManyDigits_refusedWithScaleRule() {
    assertRefused(() -> Money.of(new BigDecimal("0.001"), USD, LIMITS), "amount", "amount.scale");
    assertThat(Money.of(new BigDecimal("12.30"), USD, LIMITS).minorUnits()).isEqualTo(1_230L);
  }

  @Test
  void constructor_nonPositiveMinorUnits_refusedWithPositiveRule() {
    assertRefused(() -> new Money(0, USD), "amount", "amount.positive");
    assertRefused(() -> new Money(-1, USD), "amount", "amount.positive");
  }

  @Test
  void currency_isoCode_resolved() {
    assertThat(Money.currency("USD")).isEqualTo(USD);
    assertThat(Money.currency("BHD").getDefaultFractionDigits()).isEqualTo(3);
  }

  @ParameterizedTest
  @ValueSource(strings = {"usd", "Usd", "US", "USDX", "", " USD", "U$D", "ＵＳＤ"})
  void currency_notThreeCapitalLetters_refusedWithFormatRule(String code) {
    assertRefused(() -> Money.currency(code), "currency", "currency.format");
  }

  @ParameterizedTest
  @CsvSource({"XXX", "XAU", "XTS"})
  void currency_noMinorUnit_refusedWithUnsupportedRule(String code) {
    assertRefused(() -> Money.currency(code), "currency", "currency.unsupported");
  }

  @Test
  void currency_unknownCode_refusedWithUnknownRule() {
    assertRefused(() -> Money.currency("ABC"), "currency", "currency.unknown");
  }

  @Test
  void parse_currencyWithoutMinorUnit_refusedWithUnsupportedRule() {
    assertRefused(
        () -> Money.parse("1", Currency.getInstance("XXX"), LIMITS),
        "currency",
        "currency.unsupported");
  }

  @Test
  void toDecimal_keepsCurrencyScale() {
    assertThat(new Money(500, USD).toDecimal()).isEqualByComparingTo("5").hasScaleOf(2);
    assertThat(new Money(500, JPY).toDecimal().toPlainString()).isEqualTo("500");
    assertThat(new Money(5, BHD).toDecimal().toPlainString()).isEqualTo("0.005");
  }

  @Test
  void limits_outOfRange_refused() {
    assertThatThrownBy(() -> new TransactionLimits(BigDecimal.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new TransactionLimits(new BigDecimal("1000000000000.01")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(TransactionLimits.DEFAULT.maxAmount()).isEqualByComparingTo("1000000");
  }

  @ParameterizedTest
  @CsvSource({
    "100.0, USD, 10000",
    "0.1, USD, 10",
    "19.99, USD, 1999",
    "1000000.0, USD, 100000000",
    "1500.0, JPY, 1500",
    "1.234, BHD, 1234",
    "0.01, EUR, 1"
  })
  void ofBinaryFloat_exactDecimalOfCurrency_givesMinorUnits(
      double amount, String currency, long minor) {
    Money money = Money.ofBinaryFloat(amount, Currency.getInstance(currency), LIMITS);

    assertThat(money.minorUnits()).isEqualTo(minor);
  }

  @Test
  void ofBinaryFloat_sumThatIsNotADecimal_refusedNotRounded() {
    assertRefused(() -> Money.ofBinaryFloat(0.1 + 0.2, USD, LIMITS), "amount", "amount.scale");
    assertRefused(() -> Money.ofBinaryFloat(100.001, USD, LIMITS), "amount", "amount.scale");
    assertRefused(() -> Money.ofBinaryFloat(100.5, JPY, LIMITS), "amount", "amount.scale");
    assertRefused(() -> Money.ofBinaryFloat(1e-9, USD, LIMITS), "amount", "amount.scale");
  }

  @Test
  void ofBinaryFloat_notFiniteOrNotPositiveOrTooLarge_refused() {
    assertRefused(() -> Money.ofBinaryFloat(Double.NaN, USD, LIMITS), "amount", "amount.finite");
    assertRefused(
        () -> Money.ofBinaryFloat(Double.POSITIVE_INFINITY, USD, LIMITS),
        "amount",
        "amount.finite");
    assertRefused(() -> Money.ofBinaryFloat(0.0, USD, LIMITS), "amount", "amount.positive");
    assertRefused(() -> Money.ofBinaryFloat(-0.0, USD, LIMITS), "amount", "amount.positive");
    assertRefused(() -> Money.ofBinaryFloat(-5.0, USD, LIMITS), "amount", "amount.positive");
    assertRefused(() -> Money.ofBinaryFloat(1000000.01, USD, LIMITS), "amount", "amount.maximum");
    assertRefused(() -> Money.ofBinaryFloat(1e300, USD, LIMITS), "amount", "amount.maximum");
  }
}
