package io.securetx.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.securetx.adapter.sql.DatabaseUrl;
import io.securetx.adapter.sql.SqlLedgerStore;
import io.securetx.crypto.tink.TinkKeyRing;
import io.securetx.ledger.AppendOutcome;
import io.securetx.ledger.ForwardingLedgerStore;
import io.securetx.ledger.LedgerOptions;
import io.securetx.ledger.LedgerStore;
import io.securetx.ledger.LedgerStoreException;
import io.securetx.ledger.PendingEntry;
import io.securetx.task.RetryPolicy;
import io.securetx.task.TaskRegistry;
import io.securetx.task.broker.Broker;
import io.securetx.task.client.AsyncResult;
import io.securetx.task.client.TaskClient;
import io.securetx.task.client.TaskFailedException;
import io.securetx.task.memory.InMemoryBroker;
import io.securetx.task.memory.InMemoryResultBackend;
import io.securetx.task.wire.CeleryCodec;
import io.securetx.task.wire.Envelope;
import io.securetx.task.wire.TaskMessage;
import io.securetx.task.worker.Worker;
import io.securetx.task.worker.WorkerOptions;
import io.securetx.transaction.TransactionId;
import io.securetx.transaction.TransactionLimits;
import io.securetx.vault.RequestParser;
import io.securetx.vault.Vault;
import io.securetx.vault.VerifiedTransaction;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code process_transaction} run by the real worker over the in-memory broker and result backend,
 * into a real SQLite vault, called the way a Celery client calls it.
 */
class ProcessTransactionTest {

  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final RetryPolicy FAST_RETRY =
      RetryPolicy.builder()
          .maxRetries(5)
          .baseDelay(Duration.ofMillis(10))
          .maxDelay(Duration.ofMillis(50))
          .retryOn(LedgerStoreException.class)
          .build();

  @TempDir Path dir;

  private final Clock clock = Clock.systemUTC();
  private final InMemoryBroker broker = new InMemoryBroker(clock);
  private final InMemoryResultBackend backend = new InMemoryResultBackend();
  private final TaskClient client = new TaskClient(broker, backend, clock);
  private final List<Worker> workers = new ArrayList<>();
  private final TinkKeyRing keys = TinkKeyRing.generate();
  private FlakyStore store;
  private Vault vault;

  @BeforeEach
  void openVault() {
    store =
        new FlakyStore(
            SqlLedgerStore.open(
                DatabaseUrl.sqlite(dir.resolve("vault.db")), clock, Duration.ofHours(24)));
    vault = new Vault(keys, store, clock, LedgerOptions.DEFAULT);
  }

  @AfterEach
  void stop() throws InterruptedException {
    for (Worker worker : workers) {
      worker.shutdownNow();
      assertThat(worker.awaitTermination(WAIT)).isTrue();
    }
    vault.close();
  }

  private void startWorker(InMemoryResultBackend results) {
    RequestParser parser =
        new RequestParser(TransactionLimits.DEFAULT, Currency.getInstance("EUR"));
    TaskRegistry registry =
        TaskRegistry.builder()
            .register(
                ProcessTransaction.NAME, new ProcessTransaction(() -> vault, parser, FAST_RETRY))
            .build();
    Worker worker =
        new Worker(WorkerOptions.defaults().withConcurrency(2), broker, results, registry, clock);
    worker.start();
    workers.add(worker);
  }

  private long entries() throws Exception {
    return vault.verify().entries();
  }

  private VerifiedTransaction shown(JsonNode result) throws Exception {
    return vault.show(TransactionId.parse(result.get("tx_id").asText())).orElseThrow();
  }

  @Test
  void run_seedStyleCall_successResultLikeProcessJson() throws Exception {
    startWorker(backend);

    JsonNode result;
    try (AsyncResult call = client.task(ProcessTransaction.NAME).args(123, "100.00").send()) {
      result = call.get(WAIT);
    }

    assertThat(result.fieldNames())
        .toIterable()
        .containsExactly("status", "tx_id", "signature", "ledger_seq", "created_at");
    assertThat(result.get("status").asText()).isEqualTo("success");
    assertThat(result.get("tx_id").asText()).matches("tx_[0-9a-f-]{36}");
    assertThat(result.get("signature").asText()).matches("[0-9a-f]{74}");
    assertThat(result.get("ledger_seq").asLong()).isEqualTo(1);
    assertThat(Instant.parse(result.get("created_at").asText())).isBeforeOrEqualTo(Instant.now());
    VerifiedTransaction tx = shown(result);
    assertThat(tx.transaction().userId().value()).isEqualTo("123");
    assertThat(tx.transaction().amount().toString()).isEqualTo("100.00 EUR");
    assertThat(tx.signature()).isEqualTo(result.get("signature").asText());
  }

  @Test
  void run_kwargsWithCurrencyAndExactFloat_stored() throws Exception {
    startWorker(backend);

    JsonNode result;
    try (AsyncResult call =
        client
            .task(ProcessTransaction.NAME)
            .kwarg("user_id", "alice")
            .kwarg("amount", 19.99)
            .kwarg("currency", "USD")
            .send()) {
      result = call.get(WAIT);
    }

    assertThat(shown(result).transaction().amount().toString()).isEqualTo("19.99 USD");
  }

  @Test
  void run_invalidAmounts_failAsValueErrorAndStoreNothing() throws Exception {
    startWorker(backend);

    for (Object amount : new Object[] {"-5.00", "1.001", "NaN", "abc", 0.1 + 0.2, "2000000"}) {
      try (AsyncResult call =
          client
              .task(ProcessTransaction.NAME)
              .kwarg("user_id", "bob")
              .kwarg("amount", amount)
              .send()) {
        assertThatThrownBy(() -> call.get(WAIT))
            .as("amount %s", amount)
            .isInstanceOfSatisfying(
                TaskFailedException.class,
                e -> {
                  assertThat(e.exceptionType()).isEqualTo("ValueError");
                  assertThat(e.exceptionModule()).isEqualTo("builtins");
                  assertThat(e.getMessage()).contains("amount: ");
                });
      }
    }
    assertThat(entries()).isZero();
    assertThat(store.appendCalls.get()).isZero();
  }

  @Test
  void run_amountOfWrongType_failsAsTypeError() throws Exception {
    startWorker(backend);

    try (AsyncResult call =
        client.task(ProcessTransaction.NAME).kwarg("user_id", "bob").kwarg("amount", true).send()) {
      assertThatThrownBy(() -> call.get(WAIT))
          .isInstanceOfSatisfying(
              TaskFailedException.class,
              e -> {
                assertThat(e.exceptionType()).isEqualTo("TypeError");
                assertThat(e.getMessage())
                    .contains("process_transaction() argument 'amount' must be a decimal string");
              });
    }
    assertThat(entries()).isZero();
  }

  @Test
  void run_sameIdempotencyKey_sameRequestReplays_otherRequestIsValueError() throws Exception {
    startWorker(backend);
    JsonNode first;
    try (AsyncResult call =
        client.task(ProcessTransaction.NAME).args("carol", "7.50", null, "order-7").send()) {
      first = call.get(WAIT);
    }

    JsonNode again;
    try (AsyncResult call =
        client.task(ProcessTransaction.NAME).args("carol", "7.50", null, "order-7").send()) {
      again = call.get(WAIT);
    }
    try (AsyncResult call =
        client.task(ProcessTransaction.NAME).args("carol", "8.00", null, "order-7").send()) {
      assertThatThrownBy(() -> call.get(WAIT))
          .isInstanceOfSatisfying(
              TaskFailedException.class,
              e -> {
                assertThat(e.exceptionType()).isEqualTo("ValueError");
                assertThat(e.getMessage()).contains("order-7").contains("different request");
              });
    }

    assertThat(first.has("replayed")).isFalse();
    assertThat(again.get("replayed").asBoolean()).isTrue();
    assertThat(again.get("tx_id")).isEqualTo(first.get("tx_id"));
    assertThat(again.get("ledger_seq")).isEqualTo(first.get("ledger_seq"));
    assertThat(entries()).isEqualTo(1);
  }

  @Test
  void redelivered_afterCommitButResultLost_oneVaultEntryAndReplayedResult() throws Exception {
    // The first worker commits and stores its result in a backend the second never sees, as when
    // a worker dies between the vault's commit and the result's storage.
    TaskMessage message =
        TaskMessage.builder(ProcessTransaction.NAME)
            .kwarg("user_id", "dave")
            .kwarg("amount", "3.00")
            .build();
    CeleryCodec codec = CeleryCodec.create();
    InMemoryResultBackend lost = new InMemoryResultBackend();
    startWorker(lost);
    Envelope envelope = Envelope.of(message, "celery", 0);
    broker.publish(List.of(new Broker.Outgoing(envelope.listName(), codec.encode(envelope))));
    JsonNode first;
    try (AsyncResult call = new TaskClient(broker, lost, clock).result(message.id())) {
      first = call.get(WAIT);
    }
    workers.get(0).shutdown();
    assertThat(workers.get(0).awaitTermination(WAIT)).isTrue();

    startWorker(backend);
    Envelope again = envelope.markedRedelivered();
    broker.publish(List.of(new Broker.Outgoing(again.listName(), codec.encode(again))));
    JsonNode second;
    try (AsyncResult call = client.result(message.id())) {
      second = call.get(WAIT);
    }

    assertThat(second.get("tx_id")).isEqualTo(first.get("tx_id"));
    assertThat(second.get("replayed").asBoolean()).isTrue();
    assertThat(entries()).isEqualTo(1);
    assertThat(store.appendCalls.get()).isEqualTo(2);
  }

  @Test
  void run_vaultUnavailableTwice_retriedWithBackoffThenStoredOnce() throws Exception {
    store.failNext.set(2);
    startWorker(backend);

    JsonNode result;
    try (AsyncResult call = client.task(ProcessTransaction.NAME).args("erin", "12.00").send()) {
      result = call.get(WAIT);
    }

    assertThat(result.get("ledger_seq").asLong()).isEqualTo(1);
    assertThat(store.appendCalls.get()).isEqualTo(3);
    assertThat(entries()).isEqualTo(1);
  }

  @Test
  void derivedKey_celeryId_isPrefixedId_otherIdsHashed() {
    assertThat(ProcessTransaction.derivedKey("5f0c2a6e-1b2c-4d5e-8f90-123456789abc"))
        .isEqualTo("task:5f0c2a6e-1b2c-4d5e-8f90-123456789abc");
    assertThat(ProcessTransaction.derivedKey("my task/1"))
        .matches("task:sha256:[0-9a-f]{32}")
        .isEqualTo(ProcessTransaction.derivedKey("my task/1"))
        .isNotEqualTo(ProcessTransaction.derivedKey("my task/2"));
  }

  /** The real SQL store, which can be told to fail its next appends as an unreachable one does. */
  private static final class FlakyStore extends ForwardingLedgerStore {
    final AtomicInteger failNext = new AtomicInteger();
    final AtomicInteger appendCalls = new AtomicInteger();

    FlakyStore(LedgerStore delegate) {
      super(delegate);
    }

    @Override
    public List<AppendOutcome> append(List<PendingEntry> batch, ChainExtender extender) {
      appendCalls.incrementAndGet();
      if (failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        throw new LedgerStoreException("cannot append to the vault: connection refused");
      }
      return super.append(batch, extender);
    }
  }
}
