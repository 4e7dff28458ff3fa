package io.securetx.adapter.cli;

import io.securetx.ledger.LedgerIntegrityException;
import io.securetx.transaction.TransactionId;
import io.securetx.vault.Vault;
import io.securetx.vault.VerifiedTransaction;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code securetx show TX_ID}: open one record and verify it. */
@Command(name = "show", description = "Open one transaction from the vault and verify it.")
final class ShowCommand implements Callable<Integer> {

  private final CliContext context;

  @Spec picocli.CommandLine.Model.@Nullable CommandSpec spec;

  @Parameters(index = "0", paramLabel = "TX_ID", description = "The transaction id (tx_...).")
  String txId = "";

  @Option(names = "--json", description = "Print JSON.")
  boolean json;

  ShowCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() throws LedgerIntegrityException {
    TransactionId id = TransactionId.parse(txId);
    context.config();
    PrintWriter out = SecureTxCli.out(spec);
    try (Vault vault = context.openExistingVault();
        MDC.MDCCloseable tx = MDC.putCloseable("tx_id", id.toString())) {
      Optional<VerifiedTransaction> found = vault.show(id);
      if (found.isEmpty()) {
        SecureTxCli.err(spec).println("error: no transaction " + id + " in the vault");
        return ExitCodes.NOT_FOUND;
      }
      if (json) {
        out.println(Output.json(Output.transaction(found.get())));
      } else {
        Output.transactionText(out, found.get());
      }
    }
    return ExitCodes.OK;
  }
}
