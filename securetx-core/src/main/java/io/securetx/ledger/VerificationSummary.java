package io.securetx.ledger;

import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What a successful verification covered.
 *
 * @param entries the number of entries checked
 * @param headHash the last entry hash, hex ({@code 00..} for an empty ledger)
 * @param checkpoints the number of checkpoints checked
 * @param lastCheckpointSeq the newest checkpoint's sequence number, 0 if none
 * @param lastCheckpointAt when the newest checkpoint was signed, null if there is none
 * @param recordsOpened whether every record was also opened and its MAC checked
 */
public record VerificationSummary(
    long entries,
    String headHash,
    long checkpoints,
    long lastCheckpointSeq,
    @Nullable Instant lastCheckpointAt,
    boolean recordsOpened) {

  /**
   * The fields every interface shows ({@code securetx verify --json}, {@code GET
   * /v1/vault/verify}), in their order.
   *
   * @return a new ordered map
   */
  public Map<String, Object> fields() {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("status", "ok");
    map.put("entries", entries);
    map.put("checkpoints", checkpoints);
    map.put("last_checkpoint_seq", lastCheckpointSeq);
    map.put("head_hash", headHash);
    map.put("records_opened", recordsOpened);
    return map;
  }

  static VerificationSummary of(
      long entries,
      byte[] head,
      long checkpoints,
      long lastCheckpointSeq,
      @Nullable Instant lastCheckpointAt,
      boolean opened) {
    return new VerificationSummary(
        entries,
        HexFormat.of().formatHex(head),
        checkpoints,
        lastCheckpointSeq,
        lastCheckpointAt,
        opened);
  }
}
