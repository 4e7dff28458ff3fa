package io.securetx.vault;

import io.securetx.crypto.KeyRing;
import io.securetx.ledger.AppendOutcome;
import io.securetx.ledger.ChainHead;
import io.securetx.ledger.ChainVerifier;
import io.securetx.ledger.Checkpoint;
import io.securetx.ledger.EntryOpener;
import io.securetx.ledger.Ledger;
import io.securetx.ledger.LedgerEntry;
import io.securetx.ledger.LedgerIntegrityException;
import io.securetx.ledger.LedgerOptions;
import io.securetx.ledger.LedgerStore;
import io.securetx.ledger.LedgerStoreException;
import io.securetx.ledger.PendingEntry;
import io.securetx.ledger.VerificationSummary;
import io.securetx.transaction.IdempotencyKey;
import io.securetx.transaction.Transaction;
import io.securetx.transaction.TransactionCodec;
import io.securetx.transaction.TransactionId;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.jspecify.annotations.Nullable;

/**
 * Processes transactions into the vault: validate (already done by the request's types), assign a
 * time-ordered id, sign with HMAC-SHA256, seal with AES-256-GCM bound to the id, and append through
 * group commit. Thread-safe; the signing and sealing run on the caller's thread, the commit is
 * shared.
 */
public final class Vault implements AutoCloseable {

  private static final HexFormat HEX = HexFormat.of();

  /** The most {@link #recent} accepts. */
  public static final int MAX_RECENT = 1000;

  private final KeyRing keys;
  private final LedgerStore store;
  private final Ledger ledger;
  private final Clock clock;

  /**
   * Randomness for transaction ids: a DRBG per thread, so concurrent callers never queue on the one
   * lock that the platform's default {@code NativePRNG} takes for every read.
   */
  private static final ThreadLocal<SecureRandom> ID_RANDOM =
      ThreadLocal.withInitial(() -> new BufferedRandom(newDrbg()));

  private final EntryOpener opener;

  /**
   * Opens a vault over a store.
   *
   * @param keys the secret keys
   * @param store the ledger storage; closed with the vault
   * @param clock the time source
   * @param options batching and checkpoint policy
   */
  public Vault(KeyRing keys, LedgerStore store, Clock clock, LedgerOptions options) {
    this.keys = keys;
    this.store = store;
    this.clock = clock;
    this.opener = new EntryOpener(keys);
    this.ledger = new Ledger(store, keys.checkpointSigner(), clock, options);
  }

  /**
   * Processes a transaction and waits until it is durably stored.
   *
   * @param request the validated request
   * @return the receipt
   * @throws IdempotencyConflictException if the key was used with a different request
   * @throws LedgerStoreException if the vault could not store it; then nothing was stored
   */
  public Receipt process(TransactionRequest request) {
    try {
      return processAsync(request).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LedgerStoreException("interrupted while waiting for the commit", e);
    } catch (ExecutionException e) {
      throw unwrap(e.getCause());
    }
  }

  /**
   * Processes a transaction; the future completes when it is durably stored.
   *
   * @param request the validated request
   * @return the receipt, or an {@link IdempotencyConflictException} / {@link LedgerStoreException}
   */
  public CompletableFuture<Receipt> processAsync(TransactionRequest request) {
    PendingEntry pending = seal(request);
    return ledger.submit(pending).thenApply(outcome -> receipt(outcome, pending));
  }

  /**
   * Signs and seals requests for {@link #append}: the CPU-bound half of processing, safe to run on
   * several threads at once. Nothing is stored yet.
   *
   * @param requests the validated requests, in the order they should take in the chain
   * @return the sealed batch
   * @throws IllegalArgumentException if {@code requests} is empty
   */
  public SealedBatch seal(List<TransactionRequest> requests) {
    if (requests.isEmpty()) {
      throw new IllegalArgumentException("nothing to seal");
    }
    List<PendingEntry> entries = new ArrayList<>(requests.size());
    for (TransactionRequest request : requests) {
      entries.add(seal(request));
    }
    return new SealedBatch(entries);
  }

  /**
   * Appends a sealed batch after every batch appended before it, keeping its order; its entries are
   * committed together (group commit), and the future completes when all of them are durable. A
   * request whose idempotency key was used with a different request is a {@link Outcome.Conflict}
   * and does not affect the others.
   *
   * @param batch from {@link #seal(List)}
   * @return one outcome per request, in order, or a {@link LedgerStoreException} if the commit
   *     failed; then nothing of the batch was stored
   */
  public CompletableFuture<List<Outcome>> append(SealedBatch batch) {
    return ledger
        .submitAll(batch.entries())
        .thenApply(
            outcomes -> {
              List<Outcome> result = new ArrayList<>(outcomes.size());
              for (AppendOutcome outcome : outcomes) {
                result.add(outcomeOf(outcome));
              }
              return result;
            });
  }

  private static Outcome outcomeOf(AppendOutcome outcome) {
    if (outcome instanceof AppendOutcome.Appended appended) {
      return new Outcome.Processed(appended.entry(), false);
    }
    if (outcome instanceof AppendOutcome.Replayed replayed) {
      return new Outcome.Processed(replayed.entry(), true);
    }
    return new Outcome.Conflict(((AppendOutcome.Conflict) outcome).idempotencyKey());
  }

  private PendingEntry seal(TransactionRequest request) {
    Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
    // One reading of the clock for both, so the id's embedded time is the creation time.
    TransactionId id = TransactionId.generate(now, ID_RANDOM.get());
    Transaction tx = new Transaction(id, request.userId(), request.amount(), now);
    byte[] canonical = TransactionCodec.encode(tx);
    byte[] mac = keys.signer().sign(canonical);
    String txId = id.toString();
    byte[] ciphertext = keys.sealer().seal(canonical, txId.getBytes(StandardCharsets.UTF_8));
    IdempotencyKey key = request.idempotencyKey();
    PendingEntry.@Nullable Idempotency idempotency =
        key == null
            ? null
            : new PendingEntry.Idempotency(
                key.value(), keys.blindIndex().compute("request", request.identity()));
    try {
      return new PendingEntry(
          txId,
          ChronoUnit.MICROS.between(Instant.EPOCH, now),
          EntryOpener.userIndex(keys, request.userId().value()),
          Integer.toUnsignedLong(keys.signer().keyIdOf(mac)),
          Integer.toUnsignedLong(keys.sealer().keyIdOf(ciphertext)),
          ciphertext,
          mac,
          idempotency);
    } catch (io.securetx.crypto.IntegrityException e) {
      throw new IllegalStateException("freshly made MAC or ciphertext carries no key id", e);
    }
  }

  private static Receipt receipt(AppendOutcome outcome, PendingEntry pending) {
    if (outcome instanceof AppendOutcome.Appended appended) {
      return receiptOf(appended.entry(), false);
    }
    if (outcome instanceof AppendOutcome.Replayed replayed) {
      return receiptOf(replayed.entry(), true);
    }
    PendingEntry.Idempotency idempotency = pending.idempotency();
    throw new IdempotencyConflictException(idempotency == null ? "" : idempotency.key());
  }

  static Receipt receiptOf(LedgerEntry entry, boolean replayed) {
    return new Receipt(
        entry.txId(),
        HEX.formatHex(entry.mac()),
        entry.seq(),
        Instant.EPOCH.plus(entry.createdAtMicros(), ChronoUnit.MICROS),
        replayed);
  }

  /**
   * Reads one transaction back, opened and checked against its stored columns.
   *
   * @param id the transaction id
   * @return the transaction, or empty if the vault has no such id
   * @throws LedgerIntegrityException if the stored record was altered
   */
  public Optional<VerifiedTransaction> show(TransactionId id) throws LedgerIntegrityException {
    Optional<LedgerEntry> found = store.findByTxId(id.toString());
    if (found.isEmpty()) {
      return Optional.empty();
    }
    LedgerEntry entry = found.get();
    Transaction tx = opener.open(entry);
    return Optional.of(
        new VerifiedTransaction(
            tx, entry.seq(), HEX.formatHex(entry.mac()), entry.macKeyId(), entry.aeadKeyId()));
  }

  /**
   * The most recent transactions, newest first, each opened and checked against its stored columns
   * as {@link #show} does. Reads only the last {@code limit} entries (by sequence number) of one
   * consistent snapshot, so it costs the same on a vault of ten entries or ten million; it does not
   * check the chain, which is {@link #verify()}'s job.
   *
   * @param limit how many to return at most, 1 to 1,000
   * @return up to {@code limit} transactions, the newest first
   * @throws IllegalArgumentException if {@code limit} is out of range
   * @throws LedgerIntegrityException if one of those records was altered
   * @throws LedgerStoreException if the store cannot be read
   */
  public List<VerifiedTransaction> recent(int limit) throws LedgerIntegrityException {
    if (limit < 1 || limit > MAX_RECENT) {
      throw new IllegalArgumentException("limit must be in 1.." + MAX_RECENT + ", got " + limit);
    }
    List<LedgerEntry> entries =
        store.snapshot(
            reader -> {
              long head = reader.head().map(ChainHead::seq).orElse(0L);
              List<LedgerEntry> found = new ArrayList<>(limit);
              if (head > 0) {
                reader.<RuntimeException>scan(
                    Math.max(1, head - limit + 1),
                    entry -> {
                      // Appends after the head was read belong to a later snapshot's answer.
                      if (entry.seq() <= head) {
                        found.add(entry);
                      }
                    });
              }
              return found;
            });
    List<VerifiedTransaction> result = new ArrayList<>(entries.size());
    for (int i = entries.size() - 1; i >= 0; i--) {
      LedgerEntry entry = entries.get(i);
      result.add(
          new VerifiedTransaction(
              opener.open(entry),
              entry.seq(),
              HEX.formatHex(entry.mac()),
              entry.macKeyId(),
              entry.aeadKeyId()));
    }
    return result;
  }

  /**
   * The vault's size and ends as stored, read from one snapshot without verifying anything: cheap
   * enough to show on every refresh of a dashboard. Whether the chain is intact is {@link
   * #verify()}'s answer, not this one's.
   *
   * @return the status
   * @throws LedgerStoreException if the store cannot be read
   */
  public VaultStatus status() {
    return store.snapshot(
        reader -> {
          Optional<ChainHead> head = reader.head();
          Checkpoint checkpoint = reader.lastCheckpoint().orElse(null);
          return new VaultStatus(
              head.map(ChainHead::seq).orElse(0L),
              head.map(h -> HEX.formatHex(h.entryHash())).orElse(""),
              checkpoint == null ? 0 : checkpoint.seq(),
              checkpoint == null
                  ? null
                  : Instant.EPOCH.plus(checkpoint.createdAtMicros(), ChronoUnit.MICROS));
        });
  }

  /**
   * Verifies the whole vault with the secret keys: the chain, the checkpoints, and every record.
   *
   * @return what was verified
   * @throws LedgerIntegrityException at the first bad entry
   */
  public VerificationSummary verify() throws LedgerIntegrityException {
    return new ChainVerifier(keys.checkpointSigner().verifier(), opener).verify(store);
  }

  /**
   * Verifies the whole vault as {@link #verify()} does and, in the same single pass, hands each
   * record to {@code visitor} once it is verified (opened, MAC checked, linked), in sequence order.
   * Reports use it to read and verify without a second pass; the visitor picks the records it needs
   * (by {@link io.securetx.transaction.Transaction#createdAt()}, say).
   *
   * @param visitor receives every verified record with its decrypted transaction
   * @return what was verified
   * @throws LedgerIntegrityException at the first bad entry; the visitor has then seen exactly the
   *     records before it
   */
  public VerificationSummary verify(ChainVerifier.RecordVisitor visitor)
      throws LedgerIntegrityException {
    return new ChainVerifier(keys.checkpointSigner().verifier(), opener).verify(store, visitor);
  }

  /** Commits what was submitted, then closes the store. */
  @Override
  public void close() {
    ledger.close();
    store.close();
  }

  private static SecureRandom newDrbg() {
    try {
      return SecureRandom.getInstance("DRBG");
    } catch (java.security.NoSuchAlgorithmException e) {
      return new SecureRandom();
    }
  }

  private static RuntimeException unwrap(@Nullable Throwable cause) {
    Throwable t = cause;
    while (t instanceof CompletionException && t.getCause() != null) {
      t = t.getCause();
    }
    if (t instanceof RuntimeException runtime) {
      return runtime;
    }
    return new LedgerStoreException(
        "processing failed", t == null ? new IllegalStateException() : t);
  }
}
