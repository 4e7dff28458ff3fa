package io.securetx.adapter.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.securetx.ledger.VerificationSummary;
import io.securetx.transaction.Transaction;
import io.securetx.vault.Receipt;
import io.securetx.vault.VerifiedTransaction;
import java.io.PrintWriter;
import java.util.Map;

/** Renders results for people and, with {@code --json}, for scripts. */
final class Output {

  private static final ObjectMapper JSON = new ObjectMapper();

  private Output() {}

  static Map<String, Object> receipt(Receipt receipt) {
    return receipt.fields();
  }

  static Map<String, Object> transaction(VerifiedTransaction verified) {
    return verified.fields();
  }

  static Map<String, Object> verification(VerificationSummary summary) {
    return summary.fields();
  }

  static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot render JSON", e);
    }
  }

  static void verificationText(PrintWriter out, String indent, VerificationSummary summary) {
    out.printf(
        "%sVault OK: %s, %s (latest at seq %d), head %s%n",
        indent,
        count(summary.entries(), "entry", "entries"),
        count(summary.checkpoints(), "checkpoint", "checkpoints"),
        summary.lastCheckpointSeq(),
        summary.headHash());
    out.println(
        indent
            + (summary.recordsOpened()
                ? "Every record opened and its MAC verified."
                : "Chain and checkpoints verified with the public key only; records were not"
                    + " opened."));
  }

  private static String count(long n, String one, String many) {
    return n + " " + (n == 1 ? one : many);
  }

  static void transactionText(PrintWriter out, VerifiedTransaction verified) {
    Transaction tx = verified.transaction();
    out.printf(
        "%s  user %s  %s  created %s  seq %d  (verified)%n",
        tx.id(), tx.userId().value(), tx.amount(), tx.createdAt(), verified.ledgerSeq());
  }
}
