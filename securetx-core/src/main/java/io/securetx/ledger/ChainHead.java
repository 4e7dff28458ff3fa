package io.securetx.ledger;

/**
 * The end of the chain as the store holds it, read under the store's append lock.
 *
 * @param seq the last sequence number, 0 for an empty ledger
 * @param entryHash the last entry hash, {@link ChainHash#GENESIS} for an empty ledger
 * @param lastCheckpointSeq the sequence number of the newest checkpoint, 0 if none
 * @param lastCheckpointMicros when the newest checkpoint was made, 0 if none
 */
public record ChainHead(
    long seq, byte[] entryHash, long lastCheckpointSeq, long lastCheckpointMicros) {}
