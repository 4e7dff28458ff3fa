package io.securetx.adapter.cli;

import io.securetx.config.SecureTxConfig;
import io.securetx.ledger.LedgerIntegrityException;
import io.securetx.ledger.VerificationSummary;
import io.securetx.transaction.TransactionId;
import io.securetx.vault.Receipt;
import io.securetx.vault.TransactionRequest;
import io.securetx.vault.Vault;
import io.securetx.vault.VerifiedTransaction;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;

/**
 * {@code securetx demo}: the seed's example, end to end on the embedded defaults — process the
 * transaction, read it back verified, verify the whole vault.
 */
@Command(
    name = "demo",
    description =
        "Run the seed's example end to end: process user 123's 100.00 USD transaction, show it"
            + " verified, verify the vault.")
final class DemoCommand implements Callable<Integer> {

  /** The seed's example call, {@code process_secure_transaction(user_id, amount)}. */
  static final String USER_ID = "123";

  static final String AMOUNT = "100.00";

  private final CliContext context;

  @Spec picocli.CommandLine.Model.@Nullable CommandSpec spec;

  DemoCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() throws LedgerIntegrityException {
    SecureTxConfig config = context.config();
    ProcessCommand.requireApiKey(config);
    PrintWriter out = SecureTxCli.out(spec);
    out.println(
        "securetx demo — vault: "
            + (config.dbUrl() == null ? config.sqliteFile().toString() : "DB_URL")
            + ", keys: "
            + config.keyDir());
    TransactionRequest request = ProcessCommand.request(config, USER_ID, AMOUNT, null, null);
    try (Vault vault = context.openVault()) {
      out.printf(
          "%n1. Processing secure transaction for user %s: %s%n",
          request.userId().value(), request.amount());
      Receipt receipt = vault.process(request);
      out.println("   " + Output.json(Output.receipt(receipt)));

      out.printf("%n2. Reading %s back from the vault%n", receipt.txId());
      VerifiedTransaction shown =
          vault
              .show(TransactionId.parse(receipt.txId()))
              .orElseThrow(() -> new IllegalStateException("the processed transaction is missing"));
      out.print("   ");
      Output.transactionText(out, shown);

      out.printf("%n3. Verifying the whole vault%n");
      VerificationSummary summary = vault.verify();
      Output.verificationText(out, "   ", summary);
    }
    return ExitCodes.OK;
  }
}
