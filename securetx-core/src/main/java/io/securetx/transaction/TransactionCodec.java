package io.securetx.transaction;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Currency;
import java.util.UUID;

/**
 * The canonical encoding of a {@link Transaction}: the exact bytes that are MAC'd, sealed and, as
 * ciphertext, hashed into the ledger. It is deterministic (one transaction, one encoding) and
 * unambiguous (length-prefixed fields). Version 1, all integers big-endian:
 *
 * <pre>
 *   magic        4 bytes   "STX1"
 *   tx_id       16 bytes   the UUID's 128 bits
 *   created_at   8 bytes   signed microseconds since 1970-01-01T00:00:00Z
 *   currency     3 bytes   ISO 4217 code, ASCII
 *   amount       8 bytes   signed minor units (always positive)
 *   user_id      2 bytes   length n of the UTF-8 user id, then n bytes
 * </pre>
 *
 * Test vectors are in {@code docs/canonical-encoding.md} and checked by {@code
 * TransactionCodecTest}.
 */
public final class TransactionCodec {

  private static final byte[] MAGIC = {'S', 'T', 'X', '1'};
  private static final int FIXED_LENGTH = 4 + 16 + 8 + 3 + 8 + 2;

  private TransactionCodec() {}

  /**
   * Encodes a transaction.
   *
   * @param tx the transaction
   * @return its canonical bytes
   */
  public static byte[] encode(Transaction tx) {
    byte[] user = tx.userId().value().getBytes(StandardCharsets.UTF_8);
    ByteBuffer buf = ByteBuffer.allocate(FIXED_LENGTH + user.length);
    buf.put(MAGIC);
    buf.putLong(tx.id().uuid().getMostSignificantBits());
    buf.putLong(tx.id().uuid().getLeastSignificantBits());
    buf.putLong(ChronoUnit.MICROS.between(Instant.EPOCH, tx.createdAt()));
    buf.put(tx.amount().currency().getCurrencyCode().getBytes(StandardCharsets.US_ASCII));
    buf.putLong(tx.amount().minorUnits());
    buf.putShort((short) user.length);
    buf.put(user);
    return buf.array();
  }

  /**
   * Decodes canonical bytes; every field is validated again as when it was first built.
   *
   * @param bytes the canonical encoding
   * @return the transaction
   * @throws IllegalArgumentException if the bytes are not a valid version 1 encoding
   */
  public static Transaction decode(byte[] bytes) {
    if (bytes.length < FIXED_LENGTH) {
      throw new IllegalArgumentException("canonical transaction too short: " + bytes.length);
    }
    ByteBuffer buf = ByteBuffer.wrap(bytes);
    byte[] magic = new byte[4];
    buf.get(magic);
    if (!java.util.Arrays.equals(magic, MAGIC)) {
      throw new IllegalArgumentException("not a version 1 canonical transaction");
    }
    UUID uuid = new UUID(buf.getLong(), buf.getLong());
    Instant createdAt = Instant.EPOCH.plus(buf.getLong(), ChronoUnit.MICROS);
    byte[] code = new byte[3];
    buf.get(code);
    long minor = buf.getLong();
    int userLength = Short.toUnsignedInt(buf.getShort());
    if (buf.remaining() != userLength) {
      throw new IllegalArgumentException("canonical transaction has a bad user id length");
    }
    byte[] user = new byte[userLength];
    buf.get(user);
    try {
      Currency currency = Money.currency(new String(code, StandardCharsets.US_ASCII));
      return new Transaction(
          new TransactionId(uuid),
          new UserId(strictUtf8(user)),
          new Money(minor, currency),
          createdAt);
    } catch (ValidationException e) {
      throw new IllegalArgumentException("canonical transaction holds an invalid field", e);
    }
  }

  /** Refuses malformed UTF-8: replacing it would let two byte strings decode to one transaction. */
  private static String strictUtf8(byte[] bytes) {
    try {
      return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException("canonical transaction has a malformed UTF-8 user id", e);
    }
  }
}
