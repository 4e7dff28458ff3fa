package io.securetx.ingest;

import java.util.Locale;
import java.util.Optional;

/** The file formats {@code securetx import} reads. */
public enum ImportFormat {
  /** RFC 4180 comma-separated values with a header row. */
  CSV("csv"),
  /** JSON Lines: one JSON object per line. */
  JSONL("jsonl");

  private final String extension;

  ImportFormat(String extension) {
    this.extension = extension;
  }

  /** The usual file extension, without the dot: {@code csv}, {@code jsonl}. */
  public String extension() {
    return extension;
  }

  /**
   * The format a file name's extension names: {@code .csv}, {@code .jsonl} or {@code .ndjson}
   * (case-insensitive).
   *
   * @param fileName the file name
   * @return the format, or empty when the extension names none
   */
  public static Optional<ImportFormat> ofFileName(String fileName) {
    String lower = fileName.toLowerCase(Locale.ROOT);
    if (lower.endsWith(".csv")) {
      return Optional.of(CSV);
    }
    if (lower.endsWith(".jsonl") || lower.endsWith(".ndjson")) {
      return Optional.of(JSONL);
    }
    return Optional.empty();
  }
}
