package io.securetx.vault;

import io.securetx.transaction.Transaction;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A transaction read back from the vault, opened and checked.
 *
 * @param transaction the decrypted transaction
 * @param ledgerSeq its position in the vault
 * @param signature its MAC tag, hex
 * @param macKeyId the MAC key that signed it
 * @param aeadKeyId the AEAD key that sealed it
 */
public record VerifiedTransaction(
    Transaction transaction, long ledgerSeq, String signature, long macKeyId, long aeadKeyId) {

  /**
   * The fields every interface shows ({@code securetx show --json}, {@code GET
   * /v1/transactions/{id}}), in their order.
   *
   * @return a new ordered map
   */
  public Map<String, Object> fields() {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("tx_id", transaction.id().toString());
    map.put("user_id", transaction.userId().value());
    map.put("amount", transaction.amount().toDecimal().toPlainString());
    map.put("currency", transaction.amount().currency().getCurrencyCode());
    map.put("created_at", transaction.createdAt().toString());
    map.put("ledger_seq", ledgerSeq);
    map.put("signature", signature);
    map.put("mac_key_id", macKeyId);
    map.put("aead_key_id", aeadKeyId);
    map.put("verified", true);
    return map;
  }
}
