package io.securetx.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;

class SumTest {

  @Test
  void add_pastLongMaxValue_staysExact() {
    Sum sum = new Sum();
    BigInteger expected = BigInteger.ZERO;
    for (int i = 0; i < 5; i++) {
      sum.add(Long.MAX_VALUE);
      expected = expected.add(BigInteger.valueOf(Long.MAX_VALUE));
    }
    sum.add(7);

    assertThat(sum.value()).isEqualTo(expected.add(BigInteger.valueOf(7)));
    assertThat(sum.toDecimal(2)).isEqualTo(new BigDecimal(sum.value(), 2));
  }

  @Test
  void compareTo_acrossTheLongBoundary_ordersByValue() {
    Sum small = new Sum();
    small.add(Long.MAX_VALUE);
    Sum large = new Sum();
    large.add(Long.MAX_VALUE);
    large.add(1);

    assertThat(small).isLessThan(large);
    assertThat(large).isGreaterThan(small);
    Sum copy = new Sum();
    copy.set(large);
    assertThat(copy).isEqualByComparingTo(large);
  }
}
