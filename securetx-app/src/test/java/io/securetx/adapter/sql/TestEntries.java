package io.securetx.adapter.sql;

import io.securetx.ledger.ChainExtension;
import io.securetx.ledger.LedgerEntry;
import io.securetx.ledger.LedgerStore.ChainExtender;
import io.securetx.ledger.PendingEntry;
import io.securetx.transaction.TransactionId;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Test data for store tests, read as English: {@code aPendingEntry().withKey("k", hash)}. */
final class TestEntries {

  private static final SecureRandom RANDOM = new SecureRandom();

  private TestEntries() {}

  static PendingEntry aPendingEntry() {
    return aPendingEntry(null);
  }

  static PendingEntry aPendingEntry(PendingEntry.@Nullable Idempotency idempotency) {
    return new PendingEntry(
        TransactionId.generate(Clock.systemUTC(), RANDOM).toString(),
        System.currentTimeMillis() * 1000,
        bytes(32),
        Integer.toUnsignedLong(RANDOM.nextInt()),
        Integer.toUnsignedLong(RANDOM.nextInt()),
        bytes(80),
        bytes(37),
        idempotency);
  }

  static PendingEntry.Idempotency key(String key, int requestVariant) {
    byte[] hash = new byte[32];
    hash[0] = (byte) requestVariant;
    return new PendingEntry.Idempotency(key, hash);
  }

  static byte[] bytes(int n) {
    byte[] b = new byte[n];
    RANDOM.nextBytes(b);
    return b;
  }

  /**
   * An extender that numbers entries after the head and gives each a recognisable fake hash. The
   * store does not check hashes; the chain itself is tested in the core.
   */
  static ChainExtender numbering() {
    return (head, fresh) -> {
      List<LedgerEntry> chained = new ArrayList<>();
      long seq = head.seq();
      for (PendingEntry p : fresh) {
        seq++;
        byte[] hash = new byte[32];
        hash[31] = (byte) seq;
        chained.add(p.at(seq, hash));
      }
      return new ChainExtension(chained, null);
    };
  }
}
