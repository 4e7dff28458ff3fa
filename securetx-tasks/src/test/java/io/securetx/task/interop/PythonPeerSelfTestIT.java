package io.securetx.task.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.securetx.task.interop.PythonClient.PythonException;
import io.securetx.task.interop.PythonClient.Send;
import io.securetx.task.interop.PythonClient.TaskOutcome;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Proves the harness Python-to-Python: the stock Celery client sends, a stock Celery worker runs,
 * and the outcome comes back through {@code celery_client.py}'s JSON line. If this fails, the
 * Java-to-Python interop tests cannot be trusted either.
 */
@Timeout(120)
class PythonPeerSelfTestIT {
  private static final int REDIS_DB = 12;
  private static final String URL = CeleryPeer.redisUrl(REDIS_DB);
  private static final Duration WAIT = Duration.ofSeconds(20);

  private static final DateTimeFormatter LOG_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss,SSS", Locale.ROOT);

  private static PythonWorker worker;
  private static PythonClient client;

  @BeforeAll
  static void startPeer() {
    CeleryPeer peer = CeleryPeer.require();
    client = peer.client(URL, URL);
    client.flushDb();
    worker = peer.startWorker(URL, URL, List.of("celery", "emails"), 2);
    System.out.printf(
        "Celery/redis-py %s: worker %s ready in %d ms%n",
        peer.versions(), worker, worker.startupTime().toMillis());
  }

  @AfterAll
  static void stopPeer() {
    if (worker != null) {
      assertThat(worker.stop()).as("warm shutdown within %s", PythonWorker.STOP_TIMEOUT).isTrue();
      assertThat(worker.log()).contains("Warm shutdown");
    }
  }

  @Test
  void sendWelcomeEmail_pythonWorker_returnsSentWithRecipient() {
    TaskOutcome outcome =
        client.send(
            Send.task("send_welcome_email")
                .kwargs(Map.of("user_id", 42, "email", "alice@example.com"))
                .await(WAIT));

    assertThat(outcome.state()).isEqualTo("SUCCESS");
    assertThat(outcome.timedOut()).isFalse();
    assertThat(outcome.exception()).isNull();
    assertThat(outcome.result().get("status").asText()).isEqualTo("sent");
    assertThat(outcome.result().get("recipient").asText()).isEqualTo("alice@example.com");
    assertThat(outcome.result().size()).isEqualTo(2);
    assertThat(worker.log()).contains("Task send_welcome_email[" + outcome.id() + "] succeeded");
  }

  @Test
  void generateMonthlyReport_countdownOnPriorityQueue_runsAfterCountdown() {
    long start = System.nanoTime();
    TaskOutcome outcome =
        client.send(
            Send.task("generate_monthly_report")
                .args("2026-11")
                .countdown(Duration.ofSeconds(2))
                .queue("emails")
                .priority(6)
                .await(WAIT));
    Duration elapsed = Duration.ofNanos(System.nanoTime() - start);

    assertThat(outcome.state()).isEqualTo("SUCCESS");
    assertThat(outcome.result().asText()).isEqualTo("/tmp/report_2026-11.pdf");
    assertThat(elapsed).isGreaterThanOrEqualTo(Duration.ofSeconds(2));
    // The worker took the message before its ETA and held it (how soon depends on the load).
    Duration held =
        Duration.between(
            logTime("generate_monthly_report", outcome.id(), "received"),
            logTime("generate_monthly_report", outcome.id(), "succeeded"));
    assertThat(held).isBetween(Duration.ofMillis(200), Duration.ofSeconds(10));
  }

  /** The time of Celery's "Task name[id] event" log line. */
  private static LocalDateTime logTime(String task, String id, String event) {
    Matcher m =
        Pattern.compile(
                "(?m)^\\[(\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d,\\d{3}): \\w+/\\S+\\] Task "
                    + Pattern.quote(task + "[" + id + "] " + event))
            .matcher(worker.log());
    assertThat(m.find()).as("log line %s[%s] %s in %s", task, id, event, worker.logFile()).isTrue();
    return LocalDateTime.parse(m.group(1), LOG_TIME);
  }

  @Test
  void alwaysFails_pythonWorker_reportsValueError() {
    TaskOutcome outcome = client.send(Send.task("always_fails").await(WAIT));

    assertThat(outcome.state()).isEqualTo("FAILURE");
    assertThat(outcome.result().isNull()).isTrue();
    assertThat(outcome.exception()).isEqualTo(new PythonException("ValueError", "always fails"));
  }

  @Test
  void accumulate_builtinTask_returnsItsArguments() {
    TaskOutcome outcome = client.send(Send.task("celery.accumulate").args(1, 2, 3).await(WAIT));

    assertThat(outcome.state()).isEqualTo("SUCCESS");
    assertThat(outcome.result().toString()).isEqualTo("[1,2,3]");
  }

  @Test
  void result_taskOnQueueNobodyConsumes_timesOutPending() {
    TaskOutcome sent =
        client.send(
            Send.task("send_welcome_email")
                .kwargs(Map.of("user_id", 1, "email", "nobody@example.com"))
                .queue("unconsumed")
                .await(Duration.ofSeconds(1)));

    assertThat(sent.timedOut()).isTrue();
    assertThat(sent.state()).isEqualTo("PENDING");
    TaskOutcome later = client.result(sent.id(), Duration.ZERO);
    assertThat(later.state()).isEqualTo("PENDING");
    assertThat(later.timedOut()).isFalse();
  }

  @Test
  void recordRun_bulkSend_eachTaskCountedOnce() {
    List<String> ids = client.bulk(Send.task("record_run").args(7), 50);

    assertThat(ids).hasSize(50).doesNotHaveDuplicates();
    await("50 record_run tasks counted")
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(500))
        .until(() -> client.runs().keySet().containsAll(ids));
    Map<String, Integer> runs = client.runs();
    assertThat(ids).allSatisfy(id -> assertThat(runs).containsEntry(id, 1));
    TaskOutcome one = client.result(ids.get(0), WAIT);
    assertThat(one.state()).isEqualTo("SUCCESS");
    assertThat(one.result().asInt()).isEqualTo(7);
  }
}
