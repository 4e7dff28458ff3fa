package io.securetx.vault;

import java.time.Instant;

/**
 * The answer to a processed transaction, the seed's {@code {"status": "success", "tx_id": ...}}
 * with what a caller needs to find and check it later.
 *
 * @param txId the transaction id
 * @param signature the MAC tag over the canonical transaction, hex
 * @param ledgerSeq the entry's position in the vault
 * @param createdAt when the transaction was created
 * @param replayed true when an earlier request with the same idempotency key produced this result
 */
public record Receipt(
    String txId, String signature, long ledgerSeq, Instant createdAt, boolean replayed) {

  /** Always {@code "success"}: failures are exceptions, never receipts. */
  public String status() {
    return "success";
  }
}
