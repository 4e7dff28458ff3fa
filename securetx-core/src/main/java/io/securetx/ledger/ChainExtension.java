package io.securetx.ledger;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The entries a batch adds to the chain, and the checkpoint over the last of them when one is due.
 *
 * @param entries the chained entries, in sequence order
 * @param checkpoint a signed checkpoint, or null
 */
public record ChainExtension(List<LedgerEntry> entries, @Nullable Checkpoint checkpoint) {

  /** Copies the list. */
  public ChainExtension {
    entries = List.copyOf(entries);
  }
}
