package io.securetx.adapter.sql;

import io.securetx.crypto.MasterKey;
import io.securetx.crypto.tink.TinkKeyRing;
import io.securetx.ledger.LedgerOptions;
import io.securetx.transaction.Money;
import io.securetx.transaction.TransactionLimits;
import io.securetx.transaction.UserId;
import io.securetx.vault.TransactionRequest;
import io.securetx.vault.Vault;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A second JVM for {@link PostgresConcurrencyIT}: appends {@code count} transactions from {@code
 * threads} threads to the vault at {@code jdbcUrl}, then prints {@code appended N}.
 */
public final class AppendProcess {

  private AppendProcess() {}

  /**
   * Runs the appender.
   *
   * @param args jdbcUrl, key directory, master key (base64), count, threads, user id prefix
   * @throws Exception on any failure, which exits non-zero
   */
  public static void main(String[] args) throws Exception {
    String url = args[0];
    Path keyDir = Path.of(args[1]);
    MasterKey master = MasterKey.fromBase64(args[2]);
    int count = Integer.parseInt(args[3]);
    int threads = Integer.parseInt(args[4]);
    String prefix = args[5];
    int appended = append(url, TinkKeyRing.load(keyDir, master), count, threads, prefix);
    System.out.println("appended " + appended);
  }

  static int append(String url, TinkKeyRing keys, int count, int threads, String prefix)
      throws Exception {
    SqlLedgerStore store =
        SqlLedgerStore.open(DatabaseUrl.parse(url), Clock.systemUTC(), Duration.ofHours(1));
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try (Vault vault = new Vault(keys, store, Clock.systemUTC(), LedgerOptions.DEFAULT)) {
      List<Future<?>> futures = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        String user = prefix + "-" + (i % 17);
        String amount = (1 + i % 500) + "." + String.format("%02d", i % 100);
        futures.add(
            pool.submit(
                () ->
                    vault.process(
                        new TransactionRequest(
                            new UserId(user),
                            Money.parse(amount, Money.currency("USD"), TransactionLimits.DEFAULT),
                            null))));
      }
      for (Future<?> f : futures) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
    return count;
  }
}
