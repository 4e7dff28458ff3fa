package io.securetx.ledger;

import io.securetx.crypto.IntegrityException;
import io.securetx.crypto.KeyRing;
import io.securetx.transaction.Money;
import io.securetx.transaction.Transaction;
import io.securetx.transaction.TransactionCodec;
import io.securetx.transaction.TransactionId;
import io.securetx.transaction.UserId;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.jspecify.annotations.Nullable;

/** Test-data builder: genuinely signed and sealed pending entries, as the vault makes them. */
public final class PendingEntries {

  private static final SecureRandom RANDOM = new SecureRandom();

  private PendingEntries() {}

  /** A sealed entry for {@code user} paying {@code minorUnits} USD cents. */
  public static PendingEntry aPendingEntry(
      KeyRing keys, Clock clock, String user, long minorUnits) {
    return aPendingEntry(keys, clock, user, minorUnits, null);
  }

  /** The same, carrying an idempotency key and request hash. */
  public static PendingEntry aPendingEntry(
      KeyRing keys,
      Clock clock,
      String user,
      long minorUnits,
      PendingEntry.@Nullable Idempotency idempotency) {
    Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
    TransactionId id = TransactionId.generate(clock, RANDOM);
    Transaction tx =
        new Transaction(id, new UserId(user), new Money(minorUnits, Money.currency("USD")), now);
    byte[] canonical = TransactionCodec.encode(tx);
    byte[] mac = keys.signer().sign(canonical);
    byte[] ciphertext =
        keys.sealer().seal(canonical, id.toString().getBytes(StandardCharsets.UTF_8));
    try {
      return new PendingEntry(
          id.toString(),
          ChronoUnit.MICROS.between(Instant.EPOCH, now),
          EntryOpener.userIndex(keys, user),
          Integer.toUnsignedLong(keys.signer().keyIdOf(mac)),
          Integer.toUnsignedLong(keys.sealer().keyIdOf(ciphertext)),
          ciphertext,
          mac,
          idempotency);
    } catch (IntegrityException e) {
      throw new AssertionError("fresh output carries no key id", e);
    }
  }
}
