package io.securetx.ingest;

import java.io.Closeable;
import java.io.IOException;
import org.jspecify.annotations.Nullable;

/** Reads an import file record by record, validating each. */
interface RowReader extends Closeable {

  /**
   * The next record; blank lines are skipped.
   *
   * @return the record, or null at the end of the file
   * @throws IOException if the file cannot be read
   */
  @Nullable Row next() throws IOException;
}
