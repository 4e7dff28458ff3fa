package io.securetx.adapter.smtp;

import static java.util.Objects.requireNonNull;

import io.securetx.mail.Mailer;
import io.securetx.mail.OutgoingMail;
import io.securetx.mail.PermanentMailException;
import io.securetx.mail.TransientMailException;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The mailer when no {@code SMTP_URL} is set: each message becomes {@code <message-id>.eml} in the
 * outbox directory, the MIME message exactly as it would go over SMTP, so any mail client opens it.
 * A file is written under a temporary name in the same directory, forced to disk and then renamed
 * atomically, so a reader never sees half a message. A message whose file already exists is not
 * written again. The directory and its files are readable by their owner only: they hold addresses.
 */
public final class OutboxMailer implements Mailer {

  private static final Logger log = LoggerFactory.getLogger(OutboxMailer.class);

  private static final String SUFFIX = ".eml";
  private static final String TEMP_PREFIX = ".tmp-";

  private final Path dir;
  private final Clock clock;
  private final Session session = Session.getInstance(new Properties());

  /**
   * Creates the mailer; the directory is created on the first send.
   *
   * @param dir the outbox directory, usually {@code $SECURETX_DATA_DIR/outbox}
   * @param clock the source of the {@code Date} header
   */
  public OutboxMailer(Path dir, Clock clock) {
    this.dir = requireNonNull(dir, "dir").toAbsolutePath();
    this.clock = requireNonNull(clock, "clock");
  }

  /** The outbox directory. */
  public Path directory() {
    return dir;
  }

  /**
   * The file a message is written to.
   *
   * @param mail the message
   * @return {@code <dir>/<message id without brackets>.eml}
   */
  public Path fileOf(OutgoingMail mail) {
    return dir.resolve(mail.id().value() + SUFFIX);
  }

  /**
   * {@inheritDoc}
   *
   * @throws TransientMailException if the file cannot be written (a full disk may clear)
   */
  @Override
  public void send(OutgoingMail mail) {
    requireNonNull(mail, "mail");
    Path target = fileOf(mail);
    if (Files.exists(target)) {
      log.info("message {} is already in the outbox; not written again", mail.id());
      return;
    }
    MimeMessage message;
    try {
      message = MimeMessages.build(session, mail, clock.instant());
    } catch (MessagingException e) {
      throw new PermanentMailException(
          "cannot build message " + mail.id() + ": " + SmtpFailures.clean(e.getMessage()), 0, e);
    }
    Path temp = null;
    try {
      createDirectory();
      temp = Files.createTempFile(dir, TEMP_PREFIX, SUFFIX + ".part", ownerOnlyFile());
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE);
          OutputStream out = Channels.newOutputStream(channel)) {
        message.writeTo(out);
        out.flush();
        channel.force(true);
      }
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
      temp = null;
    } catch (FileAlreadyExistsException e) {
      // Another worker wrote the same message in between: it is in the outbox once.
      log.info("message {} was written to the outbox concurrently", mail.id());
    } catch (IOException | MessagingException e) {
      throw new TransientMailException(
          "cannot write message " + mail.id() + " to the outbox " + dir + ": " + e, e);
    } finally {
      if (temp != null) {
        try {
          Files.deleteIfExists(temp);
        } catch (IOException e) {
          log.warn("cannot remove the temporary file {}: {}", temp, e.toString());
        }
      }
    }
    log.info("message {} written to {}", mail.id(), target);
  }

  private void createDirectory() throws IOException {
    if (Files.isDirectory(dir)) {
      return;
    }
    if (isPosix()) {
      Files.createDirectories(
          dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    } else {
      Files.createDirectories(dir);
    }
  }

  private FileAttribute<?>[] ownerOnlyFile() {
    return isPosix()
        ? new FileAttribute<?>[] {
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))
        }
        : new FileAttribute<?>[0];
  }

  private static boolean isPosix() {
    return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
  }

  @Override
  public String toString() {
    return "OutboxMailer[" + dir + "]";
  }
}
