package io.securetx.adapter.cli;

/** The exit codes a script can rely on; the README lists them too. */
public final class ExitCodes {
  /** Success. */
  public static final int OK = 0;

  /** Verification found tampering (or a record that does not verify). */
  public static final int INTEGRITY = 1;

  /** Bad command-line usage or invalid input; nothing was stored. */
  public static final int USAGE = 2;

  /** Invalid configuration, e.g. an empty {@code API_KEY_V1}; nothing was stored. */
  public static final int CONFIG = 3;

  /** An idempotency key was reused with a different request; nothing was stored. */
  public static final int CONFLICT = 4;

  /** The requested transaction does not exist. */
  public static final int NOT_FOUND = 5;

  /** The vault, the keys, the broker or the result backend could not be reached or read. */
  public static final int UNAVAILABLE = 6;

  /** A task ended in FAILURE or REVOKED. */
  public static final int TASK_FAILED = 7;

  /** A task's result did not arrive within the time waited. */
  public static final int TIMEOUT = 8;

  /**
   * An import finished but refused some rows (they are in its rejects file); every other row was
   * stored or was already in the vault.
   */
  public static final int REJECTED = 9;

  /** An unexpected internal error. */
  public static final int INTERNAL = 70;

  private ExitCodes() {}
}
