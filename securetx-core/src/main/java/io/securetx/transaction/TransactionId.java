package io.securetx.transaction;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * A transaction id: {@code tx_} followed by a UUID version 7 (RFC 9562). The first 48 bits are the
 * creation time in milliseconds, so ids sort by time; the other 74 bits come from a {@link
 * SecureRandom}, so ids cannot be guessed from one another.
 *
 * @param uuid the underlying version 7 UUID
 */
public record TransactionId(UUID uuid) {

  /** The prefix every rendered id carries. */
  public static final String PREFIX = "tx_";

  private static final Pattern TEXT =
      Pattern.compile("tx_[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");

  /** Validates that the UUID is a version 7, RFC 9562 variant UUID. */
  public TransactionId {
    if (uuid.version() != 7 || uuid.variant() != 2) {
      throw new ValidationException("tx_id", "tx_id.format", "must be a version 7 UUID");
    }
  }

  /**
   * Creates a new id for the current time of {@code clock}.
   *
   * @param clock the time source
   * @param random the source of the 74 random bits
   * @return a new id
   */
  public static TransactionId generate(Clock clock, SecureRandom random) {
    return generate(clock.instant(), random);
  }

  /**
   * Creates a new id for the instant {@code at}.
   *
   * @param at the creation time; its milliseconds go into the id
   * @param random the source of the 74 random bits
   * @return a new id
   */
  public static TransactionId generate(Instant at, SecureRandom random) {
    long millis = at.toEpochMilli();
    long randA = random.nextInt(1 << 12);
    long msb = (millis << 16) | (0x7L << 12) | randA;
    long lsb = (random.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
    return new TransactionId(new UUID(msb, lsb));
  }

  /**
   * Parses the text form {@code tx_0190...}.
   *
   * @param text the id as printed
   * @return the id
   * @throws ValidationException if the text is not a transaction id
   */
  public static TransactionId parse(String text) {
    String lower = text.strip().toLowerCase(Locale.ROOT);
    if (lower.length() > 60 || !TEXT.matcher(lower).matches()) {
      throw new ValidationException(
          "tx_id", "tx_id.format", "must look like tx_ followed by a version 7 UUID");
    }
    return new TransactionId(UUID.fromString(lower.substring(PREFIX.length())));
  }

  /** The creation time embedded in the id, in milliseconds since the epoch. */
  public long epochMillis() {
    return uuid.getMostSignificantBits() >>> 16;
  }

  @Override
  public String toString() {
    return PREFIX + uuid;
  }
}
