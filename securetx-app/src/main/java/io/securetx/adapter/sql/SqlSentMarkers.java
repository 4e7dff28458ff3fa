package io.securetx.adapter.sql;

import com.zaxxer.hikari.HikariDataSource;
import io.securetx.mail.MessageId;
import io.securetx.mail.SentMarkers;
import io.securetx.mail.TransientMailException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The sent-markers in the vault's database (table {@code mail_sent}, migration V2), so every worker
 * of a deployment sees the same ones: on SQLite the embedded vault file, on PostgreSQL the shared
 * vault. Marking twice keeps the first row ({@code ON CONFLICT DO NOTHING}, which both dialects
 * speak).
 */
public final class SqlSentMarkers implements SentMarkers, AutoCloseable {

  private final HikariDataSource dataSource;

  private SqlSentMarkers(HikariDataSource dataSource) {
    this.dataSource = dataSource;
  }

  /**
   * Opens the markers on the vault's database and applies pending migrations.
   *
   * @param url where the vault's database is
   * @return the open markers
   * @throws io.securetx.ledger.LedgerStoreException if the database cannot be reached or migrated
   */
  public static SqlSentMarkers open(DatabaseUrl url) {
    return new SqlSentMarkers(Databases.open(url, "securetx-mail-sent", 2, 2));
  }

  @Override
  public boolean isSent(MessageId id) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT 1 FROM mail_sent WHERE message_id = ?")) {
      ps.setString(1, id.value());
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    } catch (SQLException e) {
      throw new TransientMailException(
          "cannot read the sent-markers (table mail_sent): " + e.getMessage(), e);
    }
  }

  @Override
  public void markSent(MessageId id, Instant sentAt) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "INSERT INTO mail_sent (message_id, sent_at) VALUES (?, ?)"
                    + " ON CONFLICT (message_id) DO NOTHING")) {
      ps.setString(1, id.value());
      ps.setLong(2, ChronoUnit.MICROS.between(Instant.EPOCH, sentAt));
      ps.executeUpdate();
    } catch (SQLException e) {
      throw new TransientMailException(
          "cannot write the sent-markers (table mail_sent): " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    dataSource.close();
  }
}
