package io.securetx.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.securetx.transaction.TransactionLimits;
import io.securetx.transaction.ValidationException;
import java.util.Arrays;
import java.util.Currency;
import org.junit.jupiter.api.Test;

class TransactionRequestTest {

  private static final Currency USD = Currency.getInstance("USD");

  @Test
  void parse_validText_buildsTheRequest() {
    TransactionRequest request =
        TransactionRequest.parse("123", "100.00", "EUR", "order-1", USD, TransactionLimits.DEFAULT);

    assertThat(request.userId().value()).isEqualTo("123");
    assertThat(request.amount().minorUnits()).isEqualTo(10_000);
    assertThat(request.amount().currency().getCurrencyCode()).isEqualTo("EUR");
    assertThat(request.idempotencyKey()).isNotNull();
  }

  @Test
  void parse_noCurrencyNoKey_usesDefaultCurrencyAndNoKey() {
    TransactionRequest request =
        TransactionRequest.parse("123", "5", null, null, USD, TransactionLimits.DEFAULT);

    assertThat(request.amount().currency()).isEqualTo(USD);
    assertThat(request.idempotencyKey()).isNull();
  }

  @Test
  void parse_everyFieldBad_firstThrownOthersSuppressed() {
    ValidationException e =
        catchThrowableOfType(
            ValidationException.class,
            () ->
                TransactionRequest.parse(
                    " ", "1.001", null, "bad key", USD, TransactionLimits.DEFAULT));

    assertThat(e.rule()).isEqualTo("user_id.required");
    assertThat(Arrays.stream(e.getSuppressed()).map(t -> ((ValidationException) t).rule()))
        .containsExactly("amount.scale", "idempotency_key.format");
  }

  @Test
  void parse_badCurrency_reportsItAndSkipsTheAmount() {
    ValidationException e =
        catchThrowableOfType(
            ValidationException.class,
            () -> TransactionRequest.parse("1", "x", "usd", null, USD, TransactionLimits.DEFAULT));

    assertThat(e.rule()).isEqualTo("currency.format");
    assertThat(e.getSuppressed()).isEmpty();
  }
}
