package io.securetx.transaction;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Currency;
import java.util.List;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

class TransactionCodecProperties {

  /** About ±285 years around 1970: inside the range {@link Transaction} accepts. */
  private static final long MICROS_RANGE = 9_000_000_000_000_000L;

  @Provide
  Arbitrary<Transaction> transactions() {
    Arbitrary<TransactionId> ids =
        Combinators.combine(Arbitraries.longs(), Arbitraries.longs())
            .as(
                (msb, lsb) ->
                    new TransactionId(
                        new UUID(
                            (msb & ~0xF000L) | 0x7000L,
                            (lsb & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L)));
    Arbitrary<Instant> times =
        Arbitraries.longs()
            .between(-MICROS_RANGE, MICROS_RANGE)
            .map(micros -> Instant.EPOCH.plusNanos(micros * 1000L));
    Arbitrary<Money> amounts =
        Combinators.combine(
                Arbitraries.longs().between(1, Long.MAX_VALUE),
                Arbitraries.of("USD", "EUR", "JPY", "BHD", "CHF", "KWD").map(Currency::getInstance))
            .as(Money::new);
    return Combinators.combine(ids, userIds(), amounts, times).as(Transaction::new);
  }

  private static Arbitrary<UserId> userIds() {
    Arbitrary<Integer> codePoint =
        Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(6, Arbitraries.integers().between('!', '~')),
            net.jqwik.api.Tuple.of(1, Arbitraries.just((int) ' ')),
            net.jqwik.api.Tuple.of(2, Arbitraries.integers().between(0xC0, 0x17F)),
            net.jqwik.api.Tuple.of(2, Arbitraries.integers().between(0x4E00, 0x9FA5)),
            net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(0x1F600, 0x1F64F)));
    return codePoint
        .list()
        .ofMinSize(1)
        .ofMaxSize(UserId.MAX_LENGTH)
        .map(TransactionCodecProperties::fromCodePoints)
        .filter(s -> s.strip().equals(s) && !s.isBlank() && !s.contains("\u00D7\u00D7"))
        .map(UserId::new);
  }

  private static String fromCodePoints(List<Integer> codePoints) {
    int[] array = codePoints.stream().mapToInt(Integer::intValue).toArray();
    return new String(array, 0, array.length);
  }

  @Property(tries = 1000)
  void decode_encodedTransaction_givesSameTransaction(@ForAll("transactions") Transaction tx) {
    assertThat(TransactionCodec.decode(TransactionCodec.encode(tx))).isEqualTo(tx);
  }

  @Property(tries = 1000)
  void encode_anyTransaction_matchesIndependentEncoderOfDocumentedLayout(
      @ForAll("transactions") Transaction tx) throws IOException {
    assertThat(TransactionCodec.encode(tx)).isEqualTo(documentedLayout(tx));
  }

  /** The layout from TransactionCodec's Javadoc, written with DataOutputStream, not ByteBuffer. */
  private static byte[] documentedLayout(Transaction tx) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    out.writeBytes("STX1");
    out.writeLong(tx.id().uuid().getMostSignificantBits());
    out.writeLong(tx.id().uuid().getLeastSignificantBits());
    Instant t = tx.createdAt();
    out.writeLong(
        Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1000));
    out.writeBytes(tx.amount().currency().getCurrencyCode());
    out.writeLong(tx.amount().minorUnits());
    byte[] user = tx.userId().value().getBytes(StandardCharsets.UTF_8);
    out.writeShort(user.length);
    out.write(user);
    out.flush();
    return bytes.toByteArray();
  }

  @Property(tries = 1000)
  void decode_mutatedByte_refusedOrItselfCanonical(
      @ForAll("transactions") Transaction tx,
      @ForAll @IntRange(min = 0, max = 10_000) int position,
      @ForAll @IntRange(min = 1, max = 255) int xor) {
    byte[] bytes = TransactionCodec.encode(tx);
    byte[] mutated = bytes.clone();
    mutated[position % bytes.length] ^= (byte) xor;

    Transaction decoded;
    try {
      decoded = TransactionCodec.decode(mutated);
    } catch (IllegalArgumentException refused) {
      return;
    }
    // Accepted bytes must be the one encoding of what they decode to, and differ from the original.
    assertThat(TransactionCodec.encode(decoded)).isEqualTo(mutated);
    assertThat(decoded).isNotEqualTo(tx);
  }

  @Property(tries = 500)
  void decode_truncatedOrExtended_throwsIllegalArgument(
      @ForAll("transactions") Transaction tx, @ForAll @IntRange(min = 1, max = 600) int delta) {
    byte[] bytes = TransactionCodec.encode(tx);
    byte[] truncated = Arrays.copyOf(bytes, Math.max(0, bytes.length - delta));
    byte[] extended = Arrays.copyOf(bytes, bytes.length + delta);

    assertThat(catchIllegalArgument(truncated)).isTrue();
    assertThat(catchIllegalArgument(extended)).isTrue();
  }

  private static boolean catchIllegalArgument(byte[] bytes) {
    try {
      TransactionCodec.decode(bytes);
      return false;
    } catch (IllegalArgumentException expected) {
      return true;
    }
  }
}
