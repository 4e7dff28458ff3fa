package io.securetx.transaction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TransactionCodecTest {

  private static final HexFormat HEX = HexFormat.of();
  private static final String VECTORS = "/vectors/canonical-transaction-v1.txt";

  /** The vectors' transactions, built here in code; the file must describe the same ones. */
  private static final Map<String, Transaction> FIXED =
      Map.of(
          "usd-ascii-user",
          tx(
              "01890a5d-ac96-774b-bcce-b302099a8057",
              "2023-06-27T12:34:56.789012Z",
              "alice",
              "USD",
              12_345),
          "jpy-non-ascii-user-before-epoch",
          tx(
              "018f3b6c-1d2e-7f00-8a1b-2c3d4e5f6071",
              "1969-12-31T23:59:59.999999Z",
              "用户-Zoë",
              "JPY",
              1_500),
          "bhd-three-digit-minor-unit",
          tx(
              "0190c2a4-5b6c-7d8e-9f01-23456789abcd",
              "2024-07-01T00:00:00Z",
              "bob@example.com",
              "BHD",
              1));

  private static Transaction tx(
      String uuid, String createdAt, String user, String currency, long minor) {
    return new Transaction(
        new TransactionId(UUID.fromString(uuid)),
        new UserId(user),
        new Money(minor, Money.currency(currency)),
        Instant.parse(createdAt));
  }

  /** One block of the vector file. */
  record Vector(String name, Map<String, String> fields, String hex) {
    @Override
    public String toString() {
      return name;
    }

    String field(String key) {
      return Objects.requireNonNull(fields.get(key), key);
    }
  }

  static List<Vector> vectors() throws IOException {
    String text;
    try (InputStream in = TransactionCodecTest.class.getResourceAsStream(VECTORS)) {
      assertThat(in).as(VECTORS).isNotNull();
      text = new String(Objects.requireNonNull(in).readAllBytes(), StandardCharsets.UTF_8);
    }
    List<Vector> vectors = new ArrayList<>();
    for (String block : text.split("\n\\s*\n")) {
      Map<String, String> fields = new LinkedHashMap<>();
      for (String line : block.split("\n")) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        int colon = line.indexOf(": ");
        fields.put(line.substring(0, colon), line.substring(colon + 2));
      }
      if (!fields.isEmpty()) {
        vectors.add(
            new Vector(
                Objects.requireNonNull(fields.remove("name")),
                fields,
                Objects.requireNonNull(fields.remove("hex"))));
      }
    }
    return vectors;
  }

  @Test
  void vectors_file_holdsOneVectorPerFixedTransaction() throws IOException {
    assertThat(vectors())
        .extracting(Vector::name)
        .containsExactlyInAnyOrderElementsOf(FIXED.keySet());
  }

  @ParameterizedTest
  @MethodSource("vectors")
  void vector_fields_describeTheFixedTransaction(Vector vector) {
    Transaction fixed = Objects.requireNonNull(FIXED.get(vector.name()));

    assertThat(vector.field("tx_id")).isEqualTo(fixed.id().toString());
    assertThat(Instant.parse(vector.field("created_at"))).isEqualTo(fixed.createdAt());
    long micros = Long.parseLong(vector.field("created_at_micros"));
    assertThat(Instant.EPOCH.plusNanos(Math.multiplyExact(micros, 1000L)))
        .isEqualTo(fixed.createdAt());
    assertThat(vector.field("user_id")).isEqualTo(fixed.userId().value());
    assertThat(vector.field("currency")).isEqualTo(fixed.amount().currency().getCurrencyCode());
    assertThat(Long.parseLong(vector.field("amount_minor"))).isEqualTo(fixed.amount().minorUnits());
  }

  @ParameterizedTest
  @MethodSource("vectors")
  void encode_fixedTransaction_matchesIndependentlyComputedHex(Vector vector) {
    Transaction fixed = Objects.requireNonNull(FIXED.get(vector.name()));

    assertThat(HEX.formatHex(TransactionCodec.encode(fixed))).isEqualTo(vector.hex());
  }

  @ParameterizedTest
  @MethodSource("vectors")
  void decode_vectorHex_givesFixedTransaction(Vector vector) {
    Transaction decoded = TransactionCodec.decode(HEX.parseHex(vector.hex()));

    assertThat(decoded).isEqualTo(FIXED.get(vector.name()));
  }

  @Test
  void docs_canonicalEncoding_listsTheSameVectors() throws IOException {
    Path doc = findUpwards(Path.of("docs", "canonical-encoding.md"));
    String markdown = Files.readString(doc, StandardCharsets.UTF_8);

    for (Vector vector : vectors()) {
      assertThat(markdown)
          .contains("`" + vector.hex() + "`")
          .contains("`" + vector.name() + "`")
          .contains(vector.field("tx_id"))
          .contains(vector.field("user_id"));
    }
  }

  private static Path findUpwards(Path relative) {
    @Nullable Path dir = Path.of("").toAbsolutePath();
    while (dir != null) {
      Path candidate = dir.resolve(relative);
      if (Files.isRegularFile(candidate)) {
        return candidate;
      }
      dir = dir.getParent();
    }
    throw new AssertionError("no " + relative + " above the working directory");
  }

  @Test
  void encode_layout_fixedPartIs41BytesThenUtf8User() {
    Transaction tx = Objects.requireNonNull(FIXED.get("jpy-non-ascii-user-before-epoch"));
    byte[] user = tx.userId().value().getBytes(StandardCharsets.UTF_8);

    byte[] encoded = TransactionCodec.encode(tx);

    assertThat(encoded).hasSize(41 + user.length);
    assertThat(Arrays.copyOfRange(encoded, 0, 4))
        .isEqualTo("STX1".getBytes(StandardCharsets.US_ASCII));
    assertThat(Arrays.copyOfRange(encoded, 41, encoded.length)).isEqualTo(user);
  }

  private static byte[] vectorBytes() {
    return TransactionCodec.encode(
        Objects.requireNonNull(FIXED.get("jpy-non-ascii-user-before-epoch")));
  }

  static Stream<Integer> everyTruncation() {
    return Stream.iterate(0, n -> n < vectorBytes().length, n -> n + 1);
  }

  @ParameterizedTest
  @MethodSource("everyTruncation")
  void decode_truncated_throwsIllegalArgument(int length) {
    byte[] truncated = Arrays.copyOf(vectorBytes(), length);

    assertThatThrownBy(() -> TransactionCodec.decode(truncated))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void decode_extendedByOneByte_throwsIllegalArgument() {
    byte[] valid = vectorBytes();
    for (int extra = 0; extra < 256; extra++) {
      byte[] extended = Arrays.copyOf(valid, valid.length + 1);
      extended[valid.length] = (byte) extra;

      assertThatThrownBy(() -> TransactionCodec.decode(extended))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("user id length");
    }
  }

  @Test
  void decode_badMagic_throwsIllegalArgument() {
    for (String magic : List.of("STX2", "stx1", "STX0", "\0\0\0\0")) {
      byte[] bytes = vectorBytes();
      System.arraycopy(magic.getBytes(StandardCharsets.US_ASCII), 0, bytes, 0, 4);

      assertThatThrownBy(() -> TransactionCodec.decode(bytes))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("version 1");
    }
  }

  /** Overwrites the bytes at {@code offset} of the named vector's encoding. */
  private static byte[] withBytes(String vector, int offset, String replacementHex) {
    byte[] bytes = TransactionCodec.encode(Objects.requireNonNull(FIXED.get(vector)));
    byte[] replacement = HEX.parseHex(replacementHex);
    System.arraycopy(replacement, 0, bytes, offset, replacement.length);
    return bytes;
  }

  private static byte[] withBytes(int offset, String replacementHex) {
    return withBytes("jpy-non-ascii-user-before-epoch", offset, replacementHex);
  }

  static Stream<Arguments> invalidFields() {
    return Stream.of(
        Arguments.of("uuid version 4", withBytes(4 + 6, "4f00")),
        Arguments.of("uuid variant 0", withBytes(4 + 8, "4a")),
        Arguments.of("unknown currency", withBytes(28, "414243")),
        Arguments.of("currency without minor unit", withBytes(28, "585858")),
        Arguments.of("lower-case currency", withBytes(28, "757364")),
        Arguments.of("non-ASCII currency", withBytes(28, "c39c53")),
        Arguments.of("zero amount", withBytes(31, "0000000000000000")),
        Arguments.of("negative amount", withBytes(31, "ffffffffffffffff")),
        Arguments.of("lone UTF-8 continuation", withBytes(41, "c3")),
        Arguments.of("overlong UTF-8", withBytes(41, "c080")),
        Arguments.of("UTF-8 encoded surrogate", withBytes(41, "eda0")),
        Arguments.of("control character", withBytes("bhd-three-digit-minor-unit", 41, "07")),
        Arguments.of("leading space", withBytes("bhd-three-digit-minor-unit", 41, "20")),
        Arguments.of("bidi override", withBytes("bhd-three-digit-minor-unit", 41, "e280ae")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidFields")
  void decode_invalidField_throwsIllegalArgument(String name, byte[] bytes) {
    assertThatThrownBy(() -> TransactionCodec.decode(bytes))
        .as(name)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("canonical transaction");
  }

  @Test
  void decode_malformedUtf8User_throwsIllegalArgument() {
    byte[] bytes = withBytes(41, "c3");

    assertThatThrownBy(() -> TransactionCodec.decode(bytes))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("UTF-8");
  }

  @Test
  void decode_version4Uuid_throwsIllegalArgumentWithCause() {
    byte[] bytes = withBytes(4 + 6, "4f00");

    assertThatThrownBy(() -> TransactionCodec.decode(bytes))
        .isInstanceOf(IllegalArgumentException.class)
        .hasCauseInstanceOf(ValidationException.class);
  }

  @Test
  void decode_userLengthDisagreesWithBytes_throwsIllegalArgument() {
    assertThatThrownBy(() -> TransactionCodec.decode(withBytes(39, "000c")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TransactionCodec.decode(withBytes(39, "000a")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TransactionCodec.decode(withBytes(39, "ffff")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void transaction_subMicrosecondTime_refused() {
    Transaction fixed = Objects.requireNonNull(FIXED.get("usd-ascii-user"));

    assertThatThrownBy(
            () ->
                new Transaction(
                    fixed.id(), fixed.userId(), fixed.amount(), fixed.createdAt().plusNanos(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("microseconds");
  }

  @Test
  void transaction_timeBeyondEncodableRange_refusedInsteadOfOverflowingInEncode() {
    Transaction fixed = Objects.requireNonNull(FIXED.get("usd-ascii-user"));

    assertThatThrownBy(
            () ->
                new Transaction(
                    fixed.id(),
                    fixed.userId(),
                    fixed.amount(),
                    Instant.parse("2300-01-01T00:00:00Z")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("createdAt must be between");
  }

  @Test
  void transaction_encodableRangeBounds_roundTripAndOneMicroBeyondRefused() {
    Transaction fixed = Objects.requireNonNull(FIXED.get("usd-ascii-user"));
    for (Instant bound : List.of(Transaction.MIN_CREATED_AT, Transaction.MAX_CREATED_AT)) {
      Transaction tx = new Transaction(fixed.id(), fixed.userId(), fixed.amount(), bound);
      assertThat(TransactionCodec.decode(TransactionCodec.encode(tx))).isEqualTo(tx);
    }

    assertThatThrownBy(
            () ->
                new Transaction(
                    fixed.id(),
                    fixed.userId(),
                    fixed.amount(),
                    Transaction.MIN_CREATED_AT.minusNanos(1000)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                new Transaction(
                    fixed.id(),
                    fixed.userId(),
                    fixed.amount(),
                    Transaction.MAX_CREATED_AT.plusNanos(1000)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void decode_timeBeyondEncodableRange_throwsIllegalArgument() {
    byte[] bytes = withBytes(20, "7fffffffffffffff");

    assertThatThrownBy(() -> TransactionCodec.decode(bytes))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
