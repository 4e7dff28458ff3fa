package io.securetx.app;

import static java.util.Objects.requireNonNull;

import io.securetx.adapter.smtp.OutboxMailer;
import io.securetx.adapter.smtp.SmtpMailer;
import io.securetx.adapter.smtp.SmtpUrl;
import io.securetx.adapter.sql.DatabaseUrl;
import io.securetx.adapter.sql.SqlSentMarkers;
import io.securetx.config.ConfigException;
import io.securetx.config.SecureTxConfig;
import io.securetx.mail.EmailAddress;
import io.securetx.mail.Mailer;
import java.time.Clock;
import java.util.List;

/**
 * Wires the e-mail task: the {@link Mailer} from {@code SMTP_URL} (or the outbox), the sender from
 * {@code MAIL_DEFAULT_SENDER}, and the sent-markers in the vault's database. Holds the markers'
 * connection pool until {@link #close()}.
 */
final class MailTasks implements AutoCloseable {

  private final SqlSentMarkers markers;
  private final SendWelcomeEmail sendWelcomeEmail;

  private MailTasks(SqlSentMarkers markers, SendWelcomeEmail sendWelcomeEmail) {
    this.markers = markers;
    this.sendWelcomeEmail = sendWelcomeEmail;
  }

  /**
   * Opens the sent-markers and builds the handlers.
   *
   * @param config the configuration
   * @param clock the time source for {@code Date} headers and sent-markers
   * @return the open mail tasks
   * @throws ConfigException if {@code SMTP_URL}, the SMTP credentials, {@code MAIL_DEFAULT_SENDER}
   *     or {@code DB_URL} is unusable (messages never contain a password)
   * @throws io.securetx.ledger.LedgerStoreException if the vault's database cannot be opened
   */
  static MailTasks open(SecureTxConfig config, Clock clock) {
    requireNonNull(config, "config");
    requireNonNull(clock, "clock");
    Mailer mailer = mailer(config, clock);
    EmailAddress sender = sender(config);
    SqlSentMarkers markers = SqlSentMarkers.open(databaseUrl(config));
    return new MailTasks(markers, new SendWelcomeEmail(mailer, markers, sender, clock));
  }

  /** The {@code send_welcome_email} handler; register it under {@link SendWelcomeEmail#NAME}. */
  SendWelcomeEmail sendWelcomeEmail() {
    return sendWelcomeEmail;
  }

  /**
   * The mailer {@code SMTP_URL} asks for: {@link SmtpMailer} when it is set, with credentials from
   * the URL or from {@code SMTP_USERNAME}/{@code SMTP_PASSWORD}; otherwise an {@link OutboxMailer}
   * writing to {@code $SECURETX_DATA_DIR/outbox}.
   *
   * @throws ConfigException if the URL or the credentials are unusable
   */
  static Mailer mailer(SecureTxConfig config, Clock clock) {
    if (config.smtpUrl() == null) {
      if (config.smtpUsername() != null || config.smtpPassword() != null) {
        throw new ConfigException(
            List.of(
                "SMTP_USERNAME and SMTP_PASSWORD need SMTP_URL; without it mail goes to the"
                    + " outbox"));
      }
      return new OutboxMailer(config.outboxDir(), clock);
    }
    try {
      SmtpUrl url = SmtpUrl.parse(config.smtpUrl().insecureValue());
      String user = config.smtpUsername();
      if (user != null || config.smtpPassword() != null) {
        if (user == null || config.smtpPassword() == null) {
          throw new IllegalArgumentException(
              "SMTP_USERNAME and SMTP_PASSWORD must be set together");
        }
        url = url.withCredentials(user, config.smtpPassword().insecureValue());
      }
      return new SmtpMailer(url, clock);
    } catch (IllegalArgumentException e) {
      // SmtpUrl's messages name the variable and never contain the password.
      throw new ConfigException(List.of(String.valueOf(e.getMessage())));
    }
  }

  /**
   * The sender, {@code MAIL_DEFAULT_SENDER}.
   *
   * @throws ConfigException if it is not a valid address
   */
  static EmailAddress sender(SecureTxConfig config) {
    try {
      return EmailAddress.parse(config.mailSender());
    } catch (IllegalArgumentException e) {
      throw new ConfigException(List.of("MAIL_DEFAULT_SENDER: " + e.getMessage()));
    }
  }

  private static DatabaseUrl databaseUrl(SecureTxConfig config) {
    try {
      return config.dbUrl() == null
          ? DatabaseUrl.sqlite(config.sqliteFile())
          : DatabaseUrl.parse(config.dbUrl().insecureValue());
    } catch (IllegalArgumentException e) {
      // The parser's message names DB_URL and never contains the password.
      throw new ConfigException(List.of(String.valueOf(e.getMessage())));
    }
  }

  @Override
  public void close() {
    markers.close();
  }
}
