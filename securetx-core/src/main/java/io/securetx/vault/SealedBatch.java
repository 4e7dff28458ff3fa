package io.securetx.vault;

import io.securetx.ledger.PendingEntry;
import java.util.List;

/**
 * Requests that {@link Vault#seal} signed and sealed, waiting for {@link Vault#append}. Sealing is
 * the costly, parallel half of processing; appending keeps the order in which batches are handed
 * over. Opaque: nothing in it can be changed between the two.
 */
public final class SealedBatch {

  private final List<PendingEntry> entries;

  SealedBatch(List<PendingEntry> entries) {
    this.entries = List.copyOf(entries);
  }

  List<PendingEntry> entries() {
    return entries;
  }

  /** How many requests the batch holds. */
  public int size() {
    return entries.size();
  }
}
