package io.securetx.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.securetx.adapter.smtp.OutboxMailer;
import io.securetx.adapter.smtp.SmtpMailer;
import io.securetx.config.ConfigException;
import io.securetx.config.ConfigLoader;
import io.securetx.config.SecureTxConfig;
import io.securetx.task.TaskContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MailTasksTest {

  private static final String SECRET = "LEAKCHECK-smtp-9d1";

  @TempDir Path dataDir;

  private final TestClock clock = new TestClock(Instant.parse("2026-11-27T10:15:30Z"));

  private Map<String, String> env() {
    Map<String, String> env = new HashMap<>();
    env.put("SECURETX_DATA_DIR", dataDir.toString());
    env.put("MAIL_DEFAULT_SENDER", "welcome@bank.example");
    return env;
  }

  private SecureTxConfig config(Map<String, String> env) {
    return ConfigLoader.load(env);
  }

  @Test
  void open_noSmtpUrl_welcomeEmailGoesToTheOutboxOnce() throws Exception {
    try (MailTasks mail = MailTasks.open(config(env()), clock)) {
      SendWelcomeEmail handler = mail.sendWelcomeEmail();
      SendWelcomeEmail.Args args = new SendWelcomeEmail.Args(5, "user@example.com");
      TaskContext context = new TaskContext("task-9", SendWelcomeEmail.NAME, 0);

      Map<String, Object> first = handler.run(args, context);
      Map<String, Object> second = handler.run(args, context);

      assertThat(first).containsEntry("message_id", "<welcome.task-9@bank.example>");
      assertThat(second).containsEntry("already_sent", true);
    }
    try (Stream<Path> files = Files.list(dataDir.resolve("outbox"))) {
      assertThat(files).containsExactly(dataDir.resolve("outbox/welcome.task-9@bank.example.eml"));
    }
    assertThat(dataDir.resolve("vault.db")).exists();
  }

  @Test
  void mailer_smtpUrlSet_smtpMailerWithoutThePasswordInItsName() {
    Map<String, String> env = env();
    env.put("SMTP_URL", "smtps://mail.bank.example");
    env.put("SMTP_USERNAME", "mailer");
    env.put("SMTP_PASSWORD", SECRET);

    var mailer = MailTasks.mailer(config(env), clock);

    assertThat(mailer).isInstanceOf(SmtpMailer.class);
    assertThat(mailer.toString())
        .isEqualTo("SmtpMailer[smtps://mailer:****@mail.bank.example:465]");
  }

  @Test
  void mailer_noSmtpUrl_outboxInTheDataDirectory() {
    var mailer = MailTasks.mailer(config(env()), clock);

    assertThat(mailer).isInstanceOf(OutboxMailer.class);
    assertThat(((OutboxMailer) mailer).directory())
        .isEqualTo(dataDir.resolve("outbox").toAbsolutePath());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "ftp://u:" + SECRET + "@mail.bank.example|||must start with smtp://",
        "smtp://u:" + SECRET + "@mail.bank.example|mailer|x|one place only",
        "smtp://mail.bank.example|mailer||set together",
        "smtp://mail.bank.example||" + SECRET + "|set together",
        "smtp://localhost:1025?starttls=false|mailer|" + SECRET + "|clear text",
        "|mailer|" + SECRET + "|need SMTP_URL"
      })
  void mailer_unusableSettings_configExceptionWithoutThePassword(
      String url, String user, String password, String reason) {
    Map<String, String> env = env();
    if (url != null) {
      env.put("SMTP_URL", url);
    }
    if (user != null) {
      env.put("SMTP_USERNAME", user);
    }
    if (password != null) {
      env.put("SMTP_PASSWORD", password);
    }

    ConfigException e =
        catchThrowableOfType(ConfigException.class, () -> MailTasks.mailer(config(env), clock));

    assertThat(e).isNotNull();
    assertThat(e.getMessage()).contains(reason).doesNotContain(SECRET);
  }
}
