package io.securetx.app;

import static java.util.Objects.requireNonNull;

import io.securetx.ledger.LedgerStoreException;
import io.securetx.mail.EmailAddress;
import io.securetx.mail.Mailer;
import io.securetx.mail.MessageId;
import io.securetx.mail.OutgoingMail;
import io.securetx.mail.SentMarkers;
import io.securetx.mail.TransientMailException;
import io.securetx.mail.WelcomeEmail;
import io.securetx.task.RetryPolicy;
import io.securetx.task.TaskContext;
import io.securetx.task.TaskHandler;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The seed's {@code send_welcome_email(user_id, email)}, sending for real.
 *
 * <ol>
 *   <li>The address is validated; an invalid one fails at once as a {@code ValueError}.
 *   <li>The message id is derived from the task id ({@code <welcome.TASK-ID@sender-domain>}). If
 *       the sent-markers already hold it, nothing is sent and the result says {@code already_sent}.
 *       If they cannot be read (the database is unreachable), nothing is sent and the run is
 *       retried like a transient mail failure.
 *   <li>The e-mail (plain text and HTML) goes to the {@link Mailer}; a transient failure (no
 *       connection, timeout, 4xx) is retried with exponential backoff and full jitter, 5 attempts
 *       in all; a permanent one (5xx, refused credentials) fails at once.
 *   <li>Once the server accepted it, the message id is marked as sent. A crash between acceptance
 *       and marking sends the message once more on redelivery, with the same message id, which
 *       receivers can use to drop the duplicate. A marker that cannot be written is logged and the
 *       task still succeeds: retrying would send a second e-mail.
 * </ol>
 *
 * The result is the seed's {@code {"status": "sent", "recipient": ...}} plus {@code message_id} and
 * {@code already_sent}.
 */
final class SendWelcomeEmail implements TaskHandler<SendWelcomeEmail.Args, Map<String, Object>> {

  /** The task name, the seed's. */
  static final String NAME = "send_welcome_email";

  /** 5 attempts in all, backoff up to 2 s, 4 s, 8 s, 16 s; only transient failures. */
  static final RetryPolicy RETRY =
      RetryPolicy.builder()
          .maxRetries(4)
          .baseDelay(Duration.ofSeconds(2))
          .maxDelay(Duration.ofMinutes(5))
          .retryOn(TransientMailException.class)
          .build();

  private static final Logger log = LoggerFactory.getLogger(SendWelcomeEmail.class);

  /**
   * The arguments, in the seed's order: {@code send_welcome_email.delay(123, "user@example.com")}
   * and {@code .delay(user_id=123, email="user@example.com")} both bind.
   *
   * @param userId the new user's id (Python {@code int})
   * @param email the address to welcome (Python {@code str}), validated when the task runs
   */
  record Args(long userId, String email) {}

  private final Mailer mailer;
  private final SentMarkers markers;
  private final EmailAddress sender;
  private final Clock clock;

  SendWelcomeEmail(Mailer mailer, SentMarkers markers, EmailAddress sender, Clock clock) {
    this.mailer = requireNonNull(mailer, "mailer");
    this.markers = requireNonNull(markers, "markers");
    this.sender = requireNonNull(sender, "sender");
    this.clock = requireNonNull(clock, "clock");
  }

  @Override
  public Class<Args> argumentType() {
    return Args.class;
  }

  /**
   * {@inheritDoc}
   *
   * @throws IllegalArgumentException if the address is invalid (a Python {@code ValueError})
   * @throws io.securetx.mail.TransientMailException if sending failed for now; retried
   * @throws io.securetx.mail.PermanentMailException if the server refused; not retried
   */
  @Override
  public Map<String, Object> run(Args arguments, TaskContext context) {
    EmailAddress recipient;
    try {
      recipient = EmailAddress.parse(arguments.email());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          context.taskName() + "() argument 'email' is invalid: " + e.getMessage(), e);
    }
    MessageId id = MessageId.forTask(WelcomeEmail.KIND, context.taskId(), sender);
    if (alreadySent(id)) {
      log.info("task {}[{}]: message {} was sent before; not again", NAME, context.taskId(), id);
      return result(recipient, id, true);
    }
    OutgoingMail mail = WelcomeEmail.compose(id, sender, recipient, arguments.userId());
    mailer.send(mail);
    try {
      markers.markSent(id, clock.instant());
    } catch (RuntimeException e) {
      log.error(
          "task {}[{}]: message {} was sent but cannot be marked; a redelivery would send it"
              + " again: {}",
          NAME,
          context.taskId(),
          id,
          e.getMessage());
    }
    return result(recipient, id, false);
  }

  /**
   * Whether the sent-markers hold the message id. The markers live in the vault's database: when it
   * cannot be reached (its pool opens on the first e-mail, or a query fails), nothing has been sent
   * yet, so the run fails as a {@link TransientMailException} and is retried with the task's
   * backoff. Only this check, before sending, may be retried: once the server accepted the message
   * a failing {@code markSent} is logged and the task succeeds, since a retry would send it again.
   */
  private boolean alreadySent(MessageId id) {
    try {
      return markers.isSent(id);
    } catch (LedgerStoreException e) {
      throw new TransientMailException(
          "cannot read the sent-markers, nothing sent: " + e.getMessage(), e);
    }
  }

  private static Map<String, Object> result(
      EmailAddress recipient, MessageId id, boolean alreadySent) {
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("status", "sent");
    result.put("recipient", recipient.toString());
    result.put("message_id", id.headerValue());
    result.put("already_sent", alreadySent);
    return result;
  }

  @Override
  public RetryPolicy retryPolicy() {
    return RETRY;
  }
}
