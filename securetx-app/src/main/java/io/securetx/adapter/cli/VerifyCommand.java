package io.securetx.adapter.cli;

import io.securetx.ledger.LedgerIntegrityException;
import io.securetx.ledger.VerificationSummary;
import io.securetx.observability.Audit;
import io.securetx.vault.Vault;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code securetx verify}: check the whole vault. */
@Command(
    name = "verify",
    description = {
      "Verify the whole vault: hash chain, signed checkpoints, and (with the secret keys) every"
          + " record's encryption and MAC.",
      "Exits 1 naming the first bad sequence number and why."
    })
final class VerifyCommand implements Callable<Integer> {

  private final CliContext context;

  @Spec picocli.CommandLine.Model.@Nullable CommandSpec spec;

  @Option(
      names = "--public-key",
      paramLabel = "FILE",
      description =
          "Verify with only this public checkpoint keyset (from keys export-public); no secret"
              + " key is read.")
  @Nullable Path publicKey;

  @Option(names = "--json", description = "Print JSON.")
  boolean json;

  VerifyCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() throws LedgerIntegrityException, IOException {
    context.config();
    VerificationSummary summary;
    try {
      summary = verify();
    } catch (LedgerIntegrityException e) {
      Audit.failure("vault.verify")
          .with("source", "cli")
          .with("public_key_only", publicKey != null)
          .with("seq", e.seq())
          .with("reason", e.reason().name().toLowerCase(Locale.ROOT))
          .log();
      throw e;
    }
    Audit.success("vault.verify")
        .with("source", "cli")
        .with("public_key_only", publicKey != null)
        .with("entries", summary.entries())
        .log();
    PrintWriter out = SecureTxCli.out(spec);
    if (json) {
      out.println(Output.json(Output.verification(summary)));
    } else {
      Output.verificationText(out, "", summary);
    }
    return ExitCodes.OK;
  }

  private VerificationSummary verify() throws LedgerIntegrityException, IOException {
    VerificationSummary summary;
    if (publicKey != null) {
      if (!Files.isRegularFile(publicKey)) {
        throw new CommandLine.ParameterException(
            SecureTxCli.spec(spec).commandLine(), "--public-key: no such file: " + publicKey);
      }
      summary = context.verifyWithPublicKey(Files.readString(publicKey, StandardCharsets.UTF_8));
    } else {
      try (Vault vault = context.openExistingVault()) {
        summary = vault.verify();
      }
    }
    return summary;
  }
}
