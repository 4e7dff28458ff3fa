package io.securetx.ingest;

import io.securetx.vault.TransactionRequest;
import org.jspecify.annotations.Nullable;

/**
 * One record of an import file: either a validated request or the reason it was refused.
 *
 * @param line the line it starts on, counting from 1
 * @param raw the record as it stood in the file
 * @param request the validated request, or null when refused
 * @param rule a stable, machine-readable name of the broken rule, or null
 * @param reason why it was refused, or null
 */
record Row(
    long line,
    String raw,
    @Nullable TransactionRequest request,
    @Nullable String rule,
    @Nullable String reason) {

  static Row accepted(long line, String raw, TransactionRequest request) {
    return new Row(line, raw, request, null, null);
  }

  static Row refused(long line, String raw, String rule, String reason) {
    return new Row(line, raw, null, rule, reason);
  }
}
