package io.securetx.vault;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

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

  /**
   * The receipt as the JSON object every interface answers with: {@code status}, {@code tx_id},
   * {@code signature}, {@code ledger_seq}, {@code created_at} (ISO-8601 text), and {@code replayed:
   * true} only when it was replayed.
   *
   * @return a new, ordered map of JSON names to strings, numbers and booleans
   */
  public Map<String, Object> fields() {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("status", status());
    map.put("tx_id", txId);
    map.put("signature", signature);
    map.put("ledger_seq", ledgerSeq);
    map.put("created_at", createdAt.toString());
    if (replayed) {
      map.put("replayed", true);
    }
    return map;
  }
}
