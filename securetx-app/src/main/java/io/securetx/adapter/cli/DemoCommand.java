package io.securetx.adapter.cli;

import io.securetx.config.SecureTxConfig;
import io.securetx.ledger.LedgerIntegrityException;
import io.securetx.ledger.VerificationSummary;
import io.securetx.task.client.AsyncResult;
import io.securetx.task.client.TaskClient;
import io.securetx.task.memory.InProcessQueue;
import io.securetx.task.wire.ResultMeta;
import io.securetx.transaction.TransactionId;
import io.securetx.vault.Vault;
import io.securetx.vault.VerifiedTransaction;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;

/**
 * {@code securetx demo}: the seed's example, end to end on the embedded defaults. The seed's three
 * background tasks run through a queue inside this process (no Redis): {@code process_transaction}
 * stores user 123's 100.00 USD in the vault, {@code send_welcome_email} writes the welcome e-mail
 * (to the outbox without {@code SMTP_URL}), {@code generate_monthly_report} renders this month's
 * PDF; then the transaction is read back verified and the whole vault verified.
 */
@Command(
    name = "demo",
    description =
        "Run the seed's example end to end through an in-process queue: process user 123's"
            + " 100.00 USD transaction, send the welcome e-mail, generate this month's report,"
            + " show the transaction verified, verify the vault.")
final class DemoCommand implements Callable<Integer> {

  /** The seed's example call, {@code process_secure_transaction(user_id, amount)}. */
  static final String USER_ID = "123";

  static final String AMOUNT = "100.00";

  /** The seed's example call, {@code send_welcome_email.delay(user_id=123, email=...)}. */
  static final String EMAIL = "user@example.com";

  private static final Duration TASK_TIMEOUT = Duration.ofMinutes(2);

  private final CliContext context;

  @Spec picocli.CommandLine.Model.@Nullable CommandSpec spec;

  DemoCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() throws LedgerIntegrityException, InterruptedException, TimeoutException {
    SecureTxConfig config = context.config();
    ProcessCommand.requireApiKey(config);
    // Validated here, so a bad default currency is a usage error before anything runs.
    ProcessCommand.request(config, USER_ID, AMOUNT, null, null);
    PrintWriter out = SecureTxCli.out(spec);
    out.println(
        "securetx demo — vault: "
            + (config.dbUrl() == null ? config.sqliteFile().toString() : "DB_URL")
            + ", keys: "
            + config.keyDir()
            + ", queue: in-process");
    String month = YearMonth.now(context.clock().withZone(ZoneOffset.UTC)).toString();
    List<ResultMeta> results = new ArrayList<>();
    String txId;
    try (CliContext.InstalledTasks tasks = context.openTasks();
        InProcessQueue queue = InProcessQueue.start(tasks.registry(), 2, context.clock())) {
      TaskClient client = queue.client();
      out.printf(
          "%n1. process_transaction(user_id=%s, amount=\"%s\")  — the seed's example%n",
          USER_ID, AMOUNT);
      ResultMeta processed =
          run(
              out,
              client.task("process_transaction").kwarg("user_id", USER_ID).kwarg("amount", AMOUNT));
      results.add(processed);
      txId = processed.result().path("tx_id").asText("");

      out.printf("%n2. send_welcome_email(user_id=%s, email=\"%s\")%n", USER_ID, EMAIL);
      ResultMeta sent =
          run(
              out,
              client
                  .task("send_welcome_email")
                  .kwarg("user_id", Integer.parseInt(USER_ID))
                  .kwarg("email", EMAIL));
      results.add(sent);
      String messageId = sent.result().path("message_id").asText("");
      if (config.smtpUrl() == null && messageId.length() > 2) {
        // The outbox names each file after the message id, without its angle brackets.
        out.println(
            "   written to "
                + config
                    .outboxDir()
                    .resolve(messageId.substring(1, messageId.length() - 1) + ".eml"));
      }

      out.printf("%n3. generate_monthly_report(month=\"%s\")%n", month);
      results.add(run(out, client.task("generate_monthly_report").kwarg("month", month)));
    }
    if (results.stream().anyMatch(meta -> TaskOutput.exitCode(meta) != ExitCodes.OK)) {
      return ExitCodes.TASK_FAILED;
    }
    try (Vault vault = context.openExistingVault()) {
      out.printf("%n4. Reading %s back from the vault%n", txId);
      VerifiedTransaction shown =
          vault
              .show(TransactionId.parse(txId))
              .orElseThrow(() -> new IllegalStateException("the processed transaction is missing"));
      out.print("   ");
      Output.transactionText(out, shown);

      out.printf("%n5. Verifying the whole vault%n");
      VerificationSummary summary = vault.verify();
      Output.verificationText(out, "   ", summary);
    }
    return ExitCodes.OK;
  }

  /** Sends one task and waits for its result, printing the id, the state and the result. */
  private static ResultMeta run(PrintWriter out, TaskClient.Call call)
      throws InterruptedException, TimeoutException {
    try (AsyncResult result = call.send()) {
      out.printf("   task %s%n", result.id());
      out.flush();
      ResultMeta meta = result.await(TASK_TIMEOUT);
      out.print("   ");
      TaskOutput.print(out, meta, false);
      return meta;
    }
  }
}
