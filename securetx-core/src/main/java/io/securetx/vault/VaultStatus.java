package io.securetx.vault;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * The vault as stored, unverified: how long the chain is, where it ends, and its newest checkpoint.
 *
 * @param entries the number of entries (the head's sequence number)
 * @param headHash the last entry hash, hex; empty when the head row is missing
 * @param lastCheckpointSeq the newest checkpoint's sequence number, 0 if none
 * @param lastCheckpointAt when the newest checkpoint was signed, null if there is none
 */
public record VaultStatus(
    long entries, String headHash, long lastCheckpointSeq, @Nullable Instant lastCheckpointAt) {}
