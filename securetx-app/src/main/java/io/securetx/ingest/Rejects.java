package io.securetx.ingest;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * The rejects file: one record per refused row with its line number, the rule it broke, why, and
 * the row exactly as it stood. CSV for a CSV import ({@code line,rule,reason,row}), JSON Lines for
 * a JSON Lines import ({@code {"line":…,"rule":…,"reason":…,"row":…}}). Created (emptied) when the
 * import starts, so a file that cannot be written stops the import before anything is stored, and
 * deleted at the end when no row was refused.
 */
final class Rejects implements AutoCloseable {

  private static final JsonMapper JSON =
      JsonMapper.builder()
          .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
          .disable(StreamWriteFeature.FLUSH_PASSED_TO_STREAM)
          .build();

  private final Path path;
  private final ImportFormat format;
  private final BufferedWriter out;
  private long count;

  Rejects(Path path, ImportFormat format) {
    this.path = path;
    this.format = format;
    try {
      this.out = Files.newBufferedWriter(path, StandardCharsets.UTF_8);
      if (format == ImportFormat.CSV) {
        out.write("line,rule,reason,row\n");
      }
    } catch (IOException e) {
      throw new ImportFileException("cannot write the rejects file " + path + ": " + e, e);
    }
  }

  /** Appends one refused row. */
  synchronized void write(long line, String rule, String reason, String raw) {
    count++;
    try {
      if (format == ImportFormat.CSV) {
        out.write(Long.toString(line));
        out.write(',');
        out.write(csvField(rule));
        out.write(',');
        out.write(csvField(reason));
        out.write(',');
        out.write(csvField(raw));
        out.write('\n');
      } else {
        try (JsonGenerator json = JSON.createGenerator(out)) {
          json.writeStartObject();
          json.writeNumberField("line", line);
          json.writeStringField("rule", rule);
          json.writeStringField("reason", reason);
          json.writeStringField("row", raw);
          json.writeEndObject();
        }
        out.write('\n');
      }
    } catch (IOException e) {
      throw new ImportFileException("cannot write the rejects file " + path + ": " + e, e);
    }
  }

  /** How many rows were written. */
  synchronized long count() {
    return count;
  }

  /**
   * Closes the file, deleting it when it holds no row.
   *
   * @return the file, or null when it was deleted
   */
  synchronized @Nullable Path finish() throws IOException {
    out.close();
    if (count == 0) {
      Files.deleteIfExists(path);
      return null;
    }
    return path;
  }

  @Override
  public synchronized void close() throws IOException {
    out.close();
  }

  static String csvField(String value) {
    boolean quote = false;
    for (int i = 0; i < value.length() && !quote; i++) {
      char c = value.charAt(i);
      quote = c == ',' || c == '"' || c == '\n' || c == '\r';
    }
    return quote ? '"' + value.replace("\"", "\"\"") + '"' : value;
  }
}
