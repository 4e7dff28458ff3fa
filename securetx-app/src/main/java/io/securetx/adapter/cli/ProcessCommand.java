package io.securetx.adapter.cli;

import io.securetx.config.ConfigException;
import io.securetx.config.SecureTxConfig;
import io.securetx.transaction.TransactionLimits;
import io.securetx.vault.Receipt;
import io.securetx.vault.RequestParser;
import io.securetx.vault.TransactionRequest;
import io.securetx.vault.Vault;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code securetx process}: the seed's {@code process_secure_transaction}. */
@Command(
    name = "process",
    description = "Validate, sign, encrypt and store one transaction in the vault.")
final class ProcessCommand implements Callable<Integer> {

  private static final Logger LOG = LoggerFactory.getLogger(ProcessCommand.class);

  private final CliContext context;

  @Spec picocli.CommandLine.Model.@Nullable CommandSpec spec;

  @Option(names = "--user-id", required = true, description = "The user's id.")
  String userId = "";

  @Option(names = "--amount", required = true, description = "The amount, e.g. 100.00.")
  String amount = "";

  @Option(names = "--currency", description = "ISO 4217 code (default: SECURETX_DEFAULT_CURRENCY).")
  @Nullable String currency;

  @Option(names = "--idempotency-key", description = "Makes a retry return the first result.")
  @Nullable String idempotencyKey;

  @Option(names = "--json", description = "Print only the JSON result.")
  boolean json;

  ProcessCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() {
    SecureTxConfig config = context.config();
    requireApiKey(config);
    TransactionRequest request = request(config, userId, amount, currency, idempotencyKey);
    PrintWriter out = SecureTxCli.out(spec);
    if (!json) {
      out.printf(
          "Processing secure transaction for user %s: %s%n",
          request.userId().value(), request.amount());
    }
    try (Vault vault = context.openVault()) {
      Receipt receipt = vault.process(request);
      try (MDC.MDCCloseable tx = MDC.putCloseable("tx_id", receipt.txId())) {
        LOG.info(
            "transaction {} at ledger seq {}",
            receipt.replayed() ? "replayed" : "stored",
            receipt.ledgerSeq());
      }
      out.println(Output.json(Output.receipt(receipt)));
    }
    return ExitCodes.OK;
  }

  /** The seed raised ValueError when API_KEY_V1 was empty; so do we, before touching anything. */
  static void requireApiKey(SecureTxConfig config) {
    if (config.apiKey().isEmpty()) {
      throw new ConfigException(
          List.of("API_KEY_V1 is empty; set it to process transactions (nothing was stored)"));
    }
  }

  static TransactionRequest request(
      SecureTxConfig config,
      String userId,
      String amount,
      @Nullable String currencyCode,
      @Nullable String idempotencyKey) {
    return parser(config).parse(userId, amount, currencyCode, idempotencyKey);
  }

  /** The request rules of this installation: its maximum amount and default currency. */
  static RequestParser parser(SecureTxConfig config) {
    return new RequestParser(new TransactionLimits(config.maxAmount()), config.defaultCurrency());
  }
}
