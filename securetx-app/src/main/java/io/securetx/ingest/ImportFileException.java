package io.securetx.ingest;

import io.securetx.SecureTxException;

/**
 * A file that cannot be imported at all: unreadable, of an unknown format, without a usable header
 * row, or whose rejects file cannot be written. Nothing of it was stored.
 */
public final class ImportFileException extends SecureTxException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what is wrong with the file, and how to fix it
   */
  public ImportFileException(String message) {
    super(message);
  }

  /**
   * Creates the exception.
   *
   * @param message what is wrong with the file
   * @param cause the I/O failure
   */
  public ImportFileException(String message, Throwable cause) {
    super(message, cause);
  }
}
