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
import io.securetx.mail.MessageId;
import io.securetx.mail.SentMarkers;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Wires the e-mail task: the {@link Mailer} from {@code SMTP_URL} (or the outbox), the sender from
 * {@code MAIL_DEFAULT_SENDER}, and the sent-markers in the vault's database. The markers'
 * connection pool opens on the first e-mail, so a process that only sends tasks (an API server on
 * Redis) never opens it, and is held until {@link #close()}.
 */
final class MailTasks implements AutoCloseable {

  private final LazyMarkers markers;
  private final SendWelcomeEmail sendWelcomeEmail;

  private MailTasks(LazyMarkers markers, SendWelcomeEmail sendWelcomeEmail) {
    this.markers = markers;
    this.sendWelcomeEmail = sendWelcomeEmail;
  }

  /**
   * Checks the mail settings and builds the handlers; the sent-markers open on first use.
   *
   * @param config the configuration
   * @param clock the time source for {@code Date} headers and sent-markers
   * @return the open mail tasks
   * @throws ConfigException if {@code SMTP_URL}, the SMTP credentials, {@code MAIL_DEFAULT_SENDER}
   *     or {@code DB_URL} is unusable (messages never contain a password)
   */
  static MailTasks open(SecureTxConfig config, Clock clock) {
    requireNonNull(config, "config");
    requireNonNull(clock, "clock");
    Mailer mailer = mailer(config, clock);
    EmailAddress sender = sender(config);
    DatabaseUrl database = databaseUrl(config);
    LazyMarkers markers = new LazyMarkers(() -> SqlSentMarkers.open(database));
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

  /** The sent-markers, opened on first use and closed with the tasks. */
  static final class LazyMarkers implements SentMarkers, AutoCloseable {

    private final Supplier<SqlSentMarkers> open;
    private @Nullable SqlSentMarkers markers;
    private boolean closed;

    LazyMarkers(Supplier<SqlSentMarkers> open) {
      this.open = open;
    }

    private synchronized SqlSentMarkers markers() {
      if (closed) {
        throw new IllegalStateException("the mail tasks are closed");
      }
      SqlSentMarkers opened = markers;
      if (opened == null) {
        opened = open.get();
        markers = opened;
      }
      return opened;
    }

    @Override
    public boolean isSent(MessageId id) {
      return markers().isSent(id);
    }

    @Override
    public void markSent(MessageId id, Instant sentAt) {
      markers().markSent(id, sentAt);
    }

    @Override
    public synchronized void close() {
      closed = true;
      if (markers != null) {
        markers.close();
        markers = null;
      }
    }
  }
}
