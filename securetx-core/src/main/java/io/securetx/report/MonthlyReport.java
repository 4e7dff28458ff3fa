package io.securetx.report;

import io.securetx.ledger.LedgerIntegrityException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Currency;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What a monthly report says: the month's transactions summed per currency, and the state of the
 * vault they came from. Amounts are exact decimals in major units (no float anywhere); user ids
 * appear only masked. Currencies are never added together: every figure is per currency.
 *
 * @param month the month covered
 * @param generatedAt when the report was compiled
 * @param complete whether the month had ended by then (false: figures up to {@code generatedAt})
 * @param transactions how many of the month's transactions were read (all of them when the vault
 *     verified; those before the first bad entry otherwise)
 * @param currencies one summary per currency that occurs, most transactions first
 * @param vault whether the whole vault verified, and its head and newest checkpoint
 */
public record MonthlyReport(
    ReportMonth month,
    Instant generatedAt,
    boolean complete,
    long transactions,
    List<CurrencySummary> currencies,
    VaultStatus vault) {

  /** Copies the list. */
  public MonthlyReport {
    currencies = List.copyOf(currencies);
  }

  /**
   * The month's figures in one currency.
   *
   * @param currency the currency
   * @param count how many transactions
   * @param total their sum, in major units at the currency's scale
   * @param days one entry per day of the month, in order, days without transactions included
   * @param largest the largest transactions, largest first (ties: earlier first), at most ten
   * @param users the users by volume in this currency
   */
  public record CurrencySummary(
      Currency currency,
      long count,
      BigDecimal total,
      List<DayVolume> days,
      List<LargeTransaction> largest,
      UserRanking users) {

    /** Copies the lists. */
    public CurrencySummary {
      days = List.copyOf(days);
      largest = List.copyOf(largest);
    }
  }

  /**
   * One day's volume in one currency.
   *
   * @param day the UTC date
   * @param count how many transactions
   * @param amount their sum, in major units
   */
  public record DayVolume(LocalDate day, long count, BigDecimal amount) {}

  /**
   * One of the largest transactions.
   *
   * @param txId its id
   * @param createdAt when it was created
   * @param amount its amount, in major units
   * @param user the masked user id
   * @param userRef the user's pseudonymous reference
   */
  public record LargeTransaction(
      String txId, Instant createdAt, BigDecimal amount, String user, String userRef) {}

  /**
   * The users with the largest volume in one currency.
   *
   * @param top the largest first, at most ten
   * @param exact whether the volumes are exact; false when more distinct users occurred than the
   *     report tracks exactly, and a heavy-hitters summary (Space-Saving) took over
   * @param distinctUsers how many distinct users occurred in this currency, when {@code exact};
   *     otherwise how many the summary tracks
   * @param maxOverstatement when not exact, the most any listed volume can exceed the true one (it
   *     is never understated, and every user whose true volume exceeds this is tracked); zero when
   *     exact
   */
  public record UserRanking(
      List<UserVolume> top, boolean exact, long distinctUsers, BigDecimal maxOverstatement) {

    /** Copies the list. */
    public UserRanking {
      top = List.copyOf(top);
    }
  }

  /**
   * One user's volume in one currency.
   *
   * @param user the masked user id
   * @param userRef the user's pseudonymous reference
   * @param count how many transactions, or -1 when the ranking is approximate
   * @param amount their sum in major units; when the ranking is approximate, an upper bound at most
   *     {@link UserRanking#maxOverstatement()} above the true sum
   */
  public record UserVolume(String user, String userRef, long count, BigDecimal amount) {}

  /**
   * The vault's verification, which covers every entry of every month.
   *
   * @param verified whether the whole vault verified
   * @param entries how many entries verified (all of them, or those before the first bad one)
   * @param headHash the chain head's hash, hex; null when verification failed
   * @param checkpoints how many signed checkpoints verified; 0 when verification failed
   * @param lastCheckpointSeq the newest checkpoint's sequence number; 0 if none or failed
   * @param lastCheckpointAt when the newest checkpoint was signed; null if none or failed
   * @param failure the first failure, or null
   */
  public record VaultStatus(
      boolean verified,
      long entries,
      @Nullable String headHash,
      long checkpoints,
      long lastCheckpointSeq,
      @Nullable Instant lastCheckpointAt,
      @Nullable Failure failure) {}

  /**
   * Where and why verification failed.
   *
   * @param seq the first bad sequence number
   * @param reason the kind of failure
   * @param detail what exactly is wrong
   */
  public record Failure(long seq, LedgerIntegrityException.Reason reason, String detail) {

    /** The failure as the exception {@link io.securetx.vault.Vault#verify()} would throw. */
    public LedgerIntegrityException toException() {
      return new LedgerIntegrityException(seq, reason, detail);
    }
  }
}
