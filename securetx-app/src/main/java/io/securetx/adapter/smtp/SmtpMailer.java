package io.securetx.adapter.smtp;

import static java.util.Objects.requireNonNull;

import io.securetx.mail.Mailer;
import io.securetx.mail.OutgoingMail;
import io.securetx.mail.PermanentMailException;
import jakarta.mail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.NoSuchProviderException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.MimeMessage;
import java.time.Clock;
import java.util.Properties;
import javax.net.ssl.SSLSocketFactory;
import org.eclipse.angus.mail.smtp.SMTPTransport;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends each message over its own SMTP connection, as {@link SmtpUrl} describes: STARTTLS required
 * by default (a server that does not offer it fails the send), or implicit TLS; the server's
 * certificate is checked against the JVM's trust store and its host name. Connect, read and write
 * timeouts come from the URL. The envelope sender is the message's {@code From}, the one recipient
 * its {@code To}, both in ASCII. Failures are sorted by {@link SmtpFailures} into transient and
 * permanent ones; the password never appears in a message or a log line.
 */
public final class SmtpMailer implements Mailer {

  private static final Logger log = LoggerFactory.getLogger(SmtpMailer.class);

  private final SmtpUrl url;
  private final Clock clock;
  private final Properties properties;
  private final String protocol;

  /**
   * Creates a mailer that trusts the JVM's default trust store.
   *
   * @param url the server
   * @param clock the source of the {@code Date} header
   */
  public SmtpMailer(SmtpUrl url, Clock clock) {
    this(url, clock, null);
  }

  /**
   * Creates a mailer with its own TLS socket factory, so tests can trust a test certificate.
   *
   * @param tls the TLS socket factory, or null for the JVM's default
   */
  SmtpMailer(SmtpUrl url, Clock clock, @Nullable SSLSocketFactory tls) {
    this.url = requireNonNull(url, "url");
    this.clock = requireNonNull(clock, "clock");
    this.protocol = url.security() == SmtpUrl.Security.IMPLICIT_TLS ? "smtps" : "smtp";
    this.properties = properties(url, protocol, tls);
  }

  private static Properties properties(
      SmtpUrl url, String protocol, @Nullable SSLSocketFactory tls) {
    String p = "mail." + protocol + ".";
    Properties props = new Properties();
    props.put("mail.transport.protocol", protocol);
    props.put(p + "host", url.host());
    props.put(p + "port", Integer.toString(url.port()));
    props.put(p + "connectiontimeout", Long.toString(url.connectTimeout().toMillis()));
    props.put(p + "timeout", Long.toString(url.timeout().toMillis()));
    props.put(p + "writetimeout", Long.toString(url.timeout().toMillis()));
    props.put(p + "auth", Boolean.toString(url.username() != null));
    // A dead connection after the message was accepted must not turn a success into a failure.
    props.put(p + "quitwait", "false");
    switch (url.security()) {
      case STARTTLS -> {
        props.put(p + "starttls.enable", "true");
        props.put(p + "starttls.required", "true");
        props.put(p + "ssl.checkserveridentity", "true");
        props.put(p + "ssl.protocols", "TLSv1.3 TLSv1.2");
      }
      case IMPLICIT_TLS -> {
        props.put(p + "ssl.enable", "true");
        props.put(p + "ssl.checkserveridentity", "true");
        props.put(p + "ssl.protocols", "TLSv1.3 TLSv1.2");
      }
      case NONE -> props.put(p + "starttls.enable", "false");
    }
    if (tls != null) {
      props.put(p + "ssl.socketFactory", tls);
    }
    return props;
  }

  @Override
  public void send(OutgoingMail mail) {
    requireNonNull(mail, "mail");
    Properties props = new Properties();
    props.putAll(properties);
    // The EHLO name: the sender's domain, rather than a reverse lookup of this host.
    props.put("mail." + protocol + ".localhost", mail.from().asciiDomain());
    Session session = Session.getInstance(props);
    MimeMessage message;
    Transport transport;
    try {
      message = MimeMessages.build(session, mail, clock.instant());
      transport = session.getTransport(protocol);
    } catch (NoSuchProviderException e) {
      throw new IllegalStateException("Jakarta Mail has no " + protocol + " provider", e);
    } catch (MessagingException e) {
      throw new PermanentMailException(
          "cannot build message " + mail.id() + ": " + SmtpFailures.clean(e.getMessage()), 0, e);
    }
    try {
      transport.connect(url.host(), url.port(), url.username(), url.insecurePassword());
      try {
        transport.sendMessage(message, new Address[] {message.getAllRecipients()[0]});
      } finally {
        closeQuietly(transport);
      }
    } catch (MessagingException e) {
      int code = -1;
      String reply = null;
      if (transport instanceof SMTPTransport smtp) {
        code = smtp.getLastReturnCode();
        reply = smtp.getLastServerResponse();
      }
      throw SmtpFailures.classify(url.server(), e, code, reply);
    }
    log.info("message {} accepted by {}", mail.id(), url.server());
  }

  private static void closeQuietly(Transport transport) {
    try {
      transport.close();
    } catch (MessagingException e) {
      // The server has accepted the message; a failing QUIT changes nothing about that.
      log.debug("closing the SMTP connection failed: {}", SmtpFailures.clean(e.getMessage()));
    }
  }

  @Override
  public String toString() {
    return "SmtpMailer[" + url + "]";
  }
}
