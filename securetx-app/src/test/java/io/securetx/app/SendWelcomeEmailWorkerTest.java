package io.securetx.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.securetx.adapter.smtp.ScriptedSmtpServer;
import io.securetx.adapter.smtp.SmtpMailer;
import io.securetx.adapter.smtp.SmtpUrl;
import io.securetx.adapter.sql.DatabaseUrl;
import io.securetx.adapter.sql.SqlSentMarkers;
import io.securetx.mail.EmailAddress;
import io.securetx.mail.SentMarkers;
import io.securetx.task.TaskRegistry;
import io.securetx.task.broker.BrokerStats;
import io.securetx.task.client.AsyncResult;
import io.securetx.task.client.TaskClient;
import io.securetx.task.client.TaskFailedException;
import io.securetx.task.memory.InMemoryBroker;
import io.securetx.task.memory.InMemoryResultBackend;
import io.securetx.task.wire.TaskState;
import io.securetx.task.worker.Worker;
import io.securetx.task.worker.WorkerOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code send_welcome_email} through a real {@link Worker} on the in-memory broker and backend,
 * against a real SMTP server whose replies the test scripts. Retries are driven by the test clock.
 */
class SendWelcomeEmailWorkerTest {

  private static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir Path dataDir;

  private final TestClock clock = new TestClock(Instant.parse("2026-11-27T10:15:30Z"));
  private final InMemoryBroker broker = new InMemoryBroker(clock);
  private final InMemoryResultBackend backend = new InMemoryResultBackend();
  private final TaskClient client = new TaskClient(broker, backend, clock);
  private ScriptedSmtpServer server;
  private AutoCloseable markers;
  private Worker worker;

  private void start(ScriptedSmtpServer.Script script) throws Exception {
    SqlSentMarkers opened = SqlSentMarkers.open(DatabaseUrl.sqlite(dataDir.resolve("vault.db")));
    markers = opened;
    start(script, opened);
  }

  private void start(ScriptedSmtpServer.Script script, SentMarkers sentMarkers) throws Exception {
    server = ScriptedSmtpServer.start(script);
    SmtpMailer mailer =
        new SmtpMailer(
            SmtpUrl.parse("smtp://127.0.0.1:" + server.port() + "?starttls=false&timeout=5"),
            clock);
    SendWelcomeEmail handler =
        new SendWelcomeEmail(mailer, sentMarkers, EmailAddress.parse("noreply@example.com"), clock);
    TaskRegistry registry = TaskRegistry.builder().register(SendWelcomeEmail.NAME, handler).build();
    worker = new Worker(WorkerOptions.defaults(), broker, backend, registry, clock);
    worker.start();
  }

  @AfterEach
  void stop() throws Exception {
    if (worker != null) {
      worker.shutdownNow();
      assertThat(worker.awaitTermination(WAIT)).isTrue();
    }
    if (server != null) {
      server.close();
    }
    if (markers != null) {
      markers.close();
    }
  }

  @Test
  void delay_positionalArgsAsThePythonSeedSendsThem_success() throws Exception {
    start((connection, command) -> null);

    try (AsyncResult result =
        client.task(SendWelcomeEmail.NAME).args(123, "user@example.com").send()) {
      JsonNode value = result.get(WAIT);

      assertThat(value.get("status").asText()).isEqualTo("sent");
      assertThat(value.get("recipient").asText()).isEqualTo("user@example.com");
      assertThat(value.get("message_id").asText())
          .isEqualTo("<welcome." + result.id() + "@example.com>");
      assertThat(value.get("already_sent").asBoolean()).isFalse();
    }
    assertThat(server.delivered()).hasSize(1);
  }

  @Test
  void delay_421OnFirstConnection_retriedThenSuccess() throws Exception {
    start(
        (connection, command) ->
            connection == 1 && command.equals("CONNECT") ? "421 4.3.2 busy, try later" : null);

    try (AsyncResult result =
        client
            .task(SendWelcomeEmail.NAME)
            .kwarg("user_id", 123)
            .kwarg("email", "user@example.com")
            .send()) {
      await().atMost(WAIT).until(() -> result.state().equals(TaskState.RETRY));
      assertThat(result.meta().exception().orElseThrow().type())
          .isEqualTo("TransientMailException");
      assertThat(server.delivered()).isEmpty();

      // The first retry is due within the policy's first backoff bound.
      clock.advance(SendWelcomeEmail.RETRY.upperBound(0));

      assertThat(result.get(WAIT).get("status").asText()).isEqualTo("sent");
      // A retried message names the first run as its parent, as Celery's do.
      assertThat(result.meta().parentId()).isEqualTo(result.id());
    }
    assertThat(server.connections()).isEqualTo(2);
    assertThat(server.delivered()).hasSize(1);
    assertThat(broker.deadLetters(10)).isEmpty();
  }

  @Test
  void delay_databaseUnreachableWhenTheMarkersOpen_retriedThenSentOnce() throws Exception {
    // The vault's directory cannot be made while a plain file stands in its place: opening the
    // markers fails with LedgerStoreException, as with a database that is down.
    Path blocked = dataDir.resolve("db");
    Files.writeString(blocked, "not a directory");
    MailTasks.LazyMarkers lazy =
        new MailTasks.LazyMarkers(
            () -> SqlSentMarkers.open(DatabaseUrl.sqlite(blocked.resolve("vault.db"))));
    markers = lazy;
    start((connection, command) -> null, lazy);

    try (AsyncResult result =
        client.task(SendWelcomeEmail.NAME).args(123, "user@example.com").send()) {
      await().atMost(WAIT).until(() -> result.state().equals(TaskState.RETRY));
      assertThat(result.meta().exception().orElseThrow().type())
          .isEqualTo("TransientMailException");
      assertThat(server.connections()).isZero();

      // The database is back before the retry is due.
      Files.delete(blocked);
      clock.advance(SendWelcomeEmail.RETRY.upperBound(0));

      assertThat(result.get(WAIT).get("already_sent").asBoolean()).isFalse();
    }
    assertThat(server.delivered()).hasSize(1);
    assertThat(blocked.resolve("vault.db")).exists();
  }

  @Test
  void delay_550OnRecipient_failureAtOnceWithoutRetry() throws Exception {
    start((connection, command) -> command.equals("RCPT") ? "550 5.1.1 no such user here" : null);

    try (AsyncResult result =
        client.task(SendWelcomeEmail.NAME).args(123, "nobody@example.com").send()) {
      assertThatThrownBy(() -> result.get(WAIT))
          .isInstanceOfSatisfying(
              TaskFailedException.class,
              e -> {
                assertThat(e.state()).isEqualTo("FAILURE");
                assertThat(e.exceptionType()).isEqualTo("PermanentMailException");
                assertThat(e.exceptionModule()).isEqualTo("io.securetx.mail");
              });
      assertThat(result.meta().traceback()).contains("550 5.1.1 no such user here");
    }
    assertThat(server.connections()).isEqualTo(1);
    assertThat(server.delivered()).isEmpty();
    // Exhausted retries would be dead-lettered; a permanent failure is not a retry case at all.
    assertThat(broker.deadLetters(10)).isEmpty();
  }

  @Test
  void delay_invalidAddress_valueErrorWithoutConnecting() throws Exception {
    start((connection, command) -> null);

    try (AsyncResult result =
        client.task(SendWelcomeEmail.NAME).args(123, "user@@example.com").send()) {
      assertThatThrownBy(() -> result.get(WAIT))
          .isInstanceOfSatisfying(
              TaskFailedException.class,
              e -> {
                assertThat(e.exceptionType()).isEqualTo("ValueError");
                assertThat(e.exceptionModule()).isEqualTo("builtins");
              });
    }
    assertThat(server.connections()).isZero();
  }

  @Test
  void delay_sameTaskIdDeliveredTwice_oneEmail() throws Exception {
    start((connection, command) -> null);
    String id = "6f1c9b2e-0d4e-4c1f-9a57-3b1e2f0c8d11";

    try (AsyncResult first =
        client.task(SendWelcomeEmail.NAME).id(id).args(123, "user@example.com").send()) {
      assertThat(first.get(WAIT).get("already_sent").asBoolean()).isFalse();
    }
    // The same task delivered again (its worker died after sending, say): it runs once more and
    // is acknowledged; the stored SUCCESS stays the first one, as SUCCESS is final.
    String again =
        client.task(SendWelcomeEmail.NAME).id(id).args(123, "user@example.com").publish();
    assertThat(again).isEqualTo(id);
    await()
        .atMost(WAIT)
        .until(
            () -> {
              BrokerStats stats = broker.stats(List.of("celery"));
              return stats.inFlight() == 0 && stats.queueDepths().getOrDefault("celery", 0L) == 0;
            });
    assertThat(server.connections()).isEqualTo(1);
    assertThat(server.delivered()).hasSize(1);
  }
}
