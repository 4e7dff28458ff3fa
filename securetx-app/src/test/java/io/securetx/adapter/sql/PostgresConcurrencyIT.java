package io.securetx.adapter.sql;

import static org.assertj.core.api.Assertions.assertThat;

import io.securetx.crypto.MasterKey;
import io.securetx.crypto.tink.TinkKeyRing;
import io.securetx.ledger.ChainVerifier;
import io.securetx.ledger.EntryOpener;
import io.securetx.ledger.LedgerEntry;
import io.securetx.ledger.VerificationSummary;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many appenders on one PostgreSQL vault — threads in this JVM, several independent writers (each
 * with its own connection pool and group-commit thread), and two more JVMs — and the chain stays
 * one valid chain: every sequence number once, no gap, every record opens.
 */
class PostgresConcurrencyIT {

  private final PostgresSchema schema = PostgresSchema.create();
  private final TinkKeyRing keys = TinkKeyRing.generate();

  @TempDir Path dir;

  @AfterEach
  void dropSchema() {
    schema.drop();
  }

  @Test
  void append_manyThreadsAcrossFourWriters_oneValidChain() throws Exception {
    List<CompletableFuture<Integer>> writers = new ArrayList<>();
    for (int w = 0; w < 4; w++) {
      String prefix = "writer" + w;
      writers.add(
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return AppendProcess.append(schema.jdbcUrl(), keys, 500, 8, prefix);
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              }));
    }
    int total = 0;
    for (CompletableFuture<Integer> writer : writers) {
      total += writer.get(120, TimeUnit.SECONDS);
    }

    assertOneChainOf(total);
  }

  @Test
  void append_twoJvmsAndThisOne_oneValidChain() throws Exception {
    MasterKey master = MasterKey.generate(new SecureRandom());
    Path keyDir = dir.resolve("keys");
    keys.save(keyDir, master);
    List<Process> children = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      children.add(
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-cp",
                  System.getProperty("java.class.path"),
                  AppendProcess.class.getName(),
                  schema.jdbcUrl(),
                  keyDir.toString(),
                  master.insecureBase64(),
                  "1000",
                  "8",
                  "jvm" + i)
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("child" + i + ".log").toFile())
              .start());
    }
    int here = AppendProcess.append(schema.jdbcUrl(), keys, 1000, 8, "parent");

    for (int i = 0; i < children.size(); i++) {
      Process child = children.get(i);
      boolean exited = child.waitFor(180, TimeUnit.SECONDS);
      if (!exited) {
        child.destroyForcibly();
      }
      assertThat(exited).as("child %d finished", i).isTrue();
      assertThat(child.exitValue()).as("child %d exit; log: %s", i, log(i)).isZero();
      assertThat(log(i)).contains("appended 1000");
    }
    assertOneChainOf(here + 2000);
  }

  private String log(int child) throws IOException {
    return java.nio.file.Files.readString(
        dir.resolve("child" + child + ".log"), StandardCharsets.UTF_8);
  }

  private void assertOneChainOf(int expected) throws Exception {
    try (SqlLedgerStore store =
        SqlLedgerStore.open(schema.url(), Clock.systemUTC(), Duration.ofHours(1))) {
      VerificationSummary summary =
          new ChainVerifier(keys.checkpointSigner().verifier(), new EntryOpener(keys))
              .verify(store);
      assertThat(summary.entries()).isEqualTo(expected);
      Set<Long> seqs = new HashSet<>();
      Set<String> txIds = new HashSet<>();
      List<Long> order = new ArrayList<>();
      store.scan(
          1,
          (LedgerEntry e) -> {
            seqs.add(e.seq());
            txIds.add(e.txId());
            order.add(e.seq());
          });
      assertThat(seqs).hasSize(expected);
      assertThat(txIds).hasSize(expected);
      assertThat(order.get(0)).isEqualTo(1L);
      assertThat(order.get(order.size() - 1)).isEqualTo((long) expected);
    }
  }
}
