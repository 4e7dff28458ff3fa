package io.securetx.adapter.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.securetx.mail.EmailAddress;
import io.securetx.mail.MessageId;
import io.securetx.mail.TransientMailException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The sent-marker contract, run against each database the vault supports. Two stores opened on the
 * same database stand for two workers of one deployment.
 */
abstract class SentMarkersContract {

  private static final EmailAddress SENDER = EmailAddress.parse("noreply@example.com");
  private static final Instant T0 = Instant.parse("2026-11-27T10:15:30.123456Z");

  private final List<AutoCloseable> opened = new ArrayList<>();

  /** Where the vault's database is. */
  protected abstract DatabaseUrl url();

  /** A plain connection to the same database, for checking rows. */
  protected abstract Connection connect() throws SQLException;

  private SqlSentMarkers open() {
    SqlSentMarkers markers = SqlSentMarkers.open(url());
    opened.add(markers);
    return markers;
  }

  private static MessageId id(String task) {
    return MessageId.forTask("welcome", task, SENDER);
  }

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : opened) {
      c.close();
    }
  }

  private long rows(MessageId id) throws SQLException {
    try (Connection c = connect();
        PreparedStatement ps =
            c.prepareStatement("SELECT count(*) FROM mail_sent WHERE message_id = ?")) {
      ps.setString(1, id.value());
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private long sentAt(MessageId id) throws SQLException {
    try (Connection c = connect();
        PreparedStatement ps =
            c.prepareStatement("SELECT sent_at FROM mail_sent WHERE message_id = ?")) {
      ps.setString(1, id.value());
      try (ResultSet rs = ps.executeQuery()) {
        assertThat(rs.next()).as("a row for %s", id).isTrue();
        return rs.getLong(1);
      }
    }
  }

  @Test
  void isSent_neverMarked_false() {
    assertThat(open().isSent(id("task-1"))).isFalse();
  }

  @Test
  void markSent_thenIsSent_trueForThatIdOnly() throws SQLException {
    SqlSentMarkers markers = open();

    markers.markSent(id("task-1"), T0);

    assertThat(markers.isSent(id("task-1"))).isTrue();
    assertThat(markers.isSent(id("task-2"))).isFalse();
    assertThat(sentAt(id("task-1"))).isEqualTo(1_795_774_530_123_456L);
  }

  @Test
  void markSent_byOneWorker_seenByAnother() {
    SqlSentMarkers first = open();
    SqlSentMarkers second = open();

    first.markSent(id("task-1"), T0);

    assertThat(second.isSent(id("task-1"))).isTrue();
  }

  @Test
  void markSent_twice_keepsTheFirstTime() throws SQLException {
    SqlSentMarkers markers = open();

    markers.markSent(id("task-1"), T0);
    markers.markSent(id("task-1"), T0.plus(Duration.ofMinutes(5)));
    open().markSent(id("task-1"), T0.plus(Duration.ofMinutes(9)));

    assertThat(rows(id("task-1"))).isEqualTo(1);
    assertThat(sentAt(id("task-1"))).isEqualTo(1_795_774_530_123_456L);
  }

  @Test
  void markSent_sameIdFromManyThreadsOfTwoWorkers_oneRowNoError() throws Exception {
    SqlSentMarkers first = open();
    SqlSentMarkers second = open();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Callable<Boolean>> marks = new ArrayList<>();
      for (int i = 0; i < 32; i++) {
        SqlSentMarkers markers = i % 2 == 0 ? first : second;
        marks.add(
            () -> {
              markers.markSent(id("race"), Clock.systemUTC().instant());
              return markers.isSent(id("race"));
            });
      }
      for (Future<Boolean> f : pool.invokeAll(marks)) {
        assertThat(f.get()).isTrue();
      }
    } finally {
      pool.shutdown();
      assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(rows(id("race"))).isEqualTo(1);
  }

  @Test
  void open_beside_theLedgerStoreOnTheSameDatabase() {
    open().markSent(id("task-1"), T0);

    try (SqlLedgerStore store =
        SqlLedgerStore.open(url(), Clock.systemUTC(), Duration.ofHours(1))) {
      assertThat(store.head()).isPresent();
    }
    assertThat(open().isSent(id("task-1"))).isTrue();
  }

  @Test
  void isSent_storeClosed_transientFailure() {
    SqlSentMarkers markers = SqlSentMarkers.open(url());
    markers.close();

    assertThatThrownBy(() -> markers.isSent(id("task-1")))
        .isInstanceOf(TransientMailException.class)
        .hasMessageContaining("mail_sent");
    assertThatThrownBy(() -> markers.markSent(id("task-1"), T0))
        .isInstanceOf(TransientMailException.class);
  }
}
