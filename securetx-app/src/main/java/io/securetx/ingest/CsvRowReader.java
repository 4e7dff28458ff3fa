package io.securetx.ingest;

import io.securetx.transaction.ValidationException;
import io.securetx.vault.RequestParser;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * CSV as RFC 4180 defines it: fields separated by commas, a field in double quotes may hold commas,
 * line breaks and doubled quotes; nothing is trimmed. The first non-blank record is the header
 * naming the columns {@code user_id}, {@code amount} and, optionally, {@code currency} and {@code
 * idempotency_key}, in any order. Blank lines are skipped. A record that breaks the syntax is
 * refused alone: an unterminated quote refuses only the line it opens on, and reading resumes with
 * the next line.
 */
final class CsvRowReader implements RowReader {

  /** A quoted field may span lines, but a record longer than this is an unterminated quote. */
  static final int MAX_RECORD_CHARS = 16 * 1024;

  private static final List<String> COLUMNS =
      List.of("user_id", "amount", "currency", "idempotency_key");

  private final InputStream stream;
  private final Lines lines;
  private final RequestParser parser;
  private final RowKeys keys;
  private final Deque<Line> pushedBack = new ArrayDeque<>();
  private final int userColumn;
  private final int amountColumn;
  private final int currencyColumn;
  private final int keyColumn;
  private final int width;
  private final String header;

  CsvRowReader(InputStream in, RequestParser parser, RowKeys keys) throws IOException {
    this.stream = in;
    this.lines = new Lines(in);
    this.parser = parser;
    this.keys = keys;
    Line first = take(true);
    if (first == null) {
      throw new ImportFileException(
          "the file is empty; a CSV import starts with a header row such as user_id,amount");
    }
    Object parsed = first.text == null ? "it is not valid UTF-8" : parse(first.text);
    if (!(parsed instanceof List<?>)) {
      throw new ImportFileException(
          "line " + first.number + ": the header row cannot be read: " + reasonOf(parsed));
    }
    List<String> names = new ArrayList<>();
    for (Object name : (List<?>) parsed) {
      names.add(String.valueOf(name).strip().toLowerCase(Locale.ROOT));
    }
    for (String name : names) {
      if (!COLUMNS.contains(name)) {
        throw new ImportFileException(
            "line "
                + first.number
                + ": unknown column '"
                + name
                + "'; the columns are user_id, amount and optionally currency and"
                + " idempotency_key");
      }
      if (names.indexOf(name) != names.lastIndexOf(name)) {
        throw new ImportFileException(
            "line " + first.number + ": column '" + name + "' appears twice");
      }
    }
    if (!names.contains("user_id") || !names.contains("amount")) {
      throw new ImportFileException(
          "line "
              + first.number
              + ": the header row must name the columns user_id and amount (found: "
              + String.join(",", names)
              + ")");
    }
    userColumn = names.indexOf("user_id");
    amountColumn = names.indexOf("amount");
    currencyColumn = names.indexOf("currency");
    keyColumn = names.indexOf("idempotency_key");
    width = names.size();
    header = String.join(",", names);
  }

  @Override
  public @Nullable Row next() throws IOException {
    Line first = take(true);
    if (first == null) {
      return null;
    }
    if (first.text == null) {
      return Row.refused(first.number, first.lossy, "encoding", "the line is not valid UTF-8");
    }
    if (first.tooLong) {
      return Row.refused(
          first.number,
          first.text,
          "csv.length",
          "the line is longer than " + Lines.MAX_LINE_BYTES + " bytes");
    }
    StringBuilder record = new StringBuilder(first.text);
    List<Line> continued = new ArrayList<>();
    Object parsed = parse(first.text);
    while (parsed == NEED_MORE) {
      Line more = take(false);
      if (more == null || more.text == null || more.tooLong || record.length() > MAX_RECORD_CHARS) {
        // Only the opening line is refused; what follows it is read again as records.
        if (more != null) {
          pushedBack.addFirst(more);
        }
        for (int i = continued.size() - 1; i >= 0; i--) {
          pushedBack.addFirst(continued.get(i));
        }
        return Row.refused(
            first.number,
            first.text,
            "csv.quote",
            "a quoted field is not closed (a quote opens it and no closing quote follows)");
      }
      continued.add(more);
      record.append('\n').append(more.text);
      parsed = parse(record.toString());
    }
    String text = record.toString();
    if (!(parsed instanceof List<?>)) {
      Problem problem = (Problem) parsed;
      return Row.refused(first.number, text, problem.rule, problem.reason);
    }
    @SuppressWarnings("unchecked")
    List<String> fields = (List<String>) parsed;
    if (fields.size() != width) {
      return Row.refused(
          first.number,
          text,
          "csv.columns",
          "expected "
              + width
              + " field"
              + (width == 1 ? "" : "s")
              + " ("
              + header
              + "), got "
              + fields.size());
    }
    String key = keyColumn < 0 ? null : emptyToNull(fields.get(keyColumn));
    try {
      return Row.accepted(
          first.number,
          text,
          parser.parse(
              fields.get(userColumn),
              fields.get(amountColumn),
              currencyColumn < 0 ? null : emptyToNull(fields.get(currencyColumn)),
              key == null ? keys.keyFor(first.number) : key));
    } catch (ValidationException e) {
      return Row.refused(first.number, text, e.rule(), String.valueOf(e.getMessage()));
    }
  }

  private static @Nullable String emptyToNull(String field) {
    return field.isEmpty() ? null : field;
  }

  private @Nullable Line take(boolean skipBlank) throws IOException {
    while (true) {
      Line line = pushedBack.pollFirst();
      if (line == null) {
        if (!lines.next()) {
          return null;
        }
        line = new Line(lines.number(), lines.text(), lines.lossyText(), lines.tooLong());
        if (skipBlank && lines.blank()) {
          continue;
        }
      } else if (skipBlank && line.text != null && line.text.isBlank()) {
        continue;
      }
      return line;
    }
  }

  /** Marks a record whose quoted field continues on the next line. */
  private static final Object NEED_MORE = new Object();

  /**
   * Splits one record: the list of fields, {@link #NEED_MORE}, or a {@link Problem}.
   *
   * @param s the record's text
   */
  static Object parse(String s) {
    List<String> fields = new ArrayList<>(4);
    int n = s.length();
    int i = 0;
    while (true) {
      if (i < n && s.charAt(i) == '"') {
        StringBuilder field = new StringBuilder();
        i++;
        while (true) {
          if (i >= n) {
            return NEED_MORE;
          }
          char c = s.charAt(i);
          if (c == '"') {
            if (i + 1 < n && s.charAt(i + 1) == '"') {
              field.append('"');
              i += 2;
              continue;
            }
            i++;
            break;
          }
          field.append(c);
          i++;
        }
        fields.add(field.toString());
        if (i == n) {
          return fields;
        }
        if (s.charAt(i) != ',') {
          return new Problem(
              "csv.quote", "unexpected text after the closing quote of field " + fields.size());
        }
        i++;
      } else {
        int comma = s.indexOf(',', i);
        int end = comma < 0 ? n : comma;
        String field = s.substring(i, end);
        if (field.indexOf('"') >= 0) {
          return new Problem(
              "csv.quote",
              "a quote inside unquoted field "
                  + (fields.size() + 1)
                  + " (quote the whole field and double the quote)");
        }
        fields.add(field);
        if (comma < 0) {
          return fields;
        }
        i = comma + 1;
      }
    }
  }

  private static String reasonOf(Object parsed) {
    if (parsed == NEED_MORE) {
      return "a quoted field is not closed";
    }
    return parsed instanceof Problem problem ? problem.reason : String.valueOf(parsed);
  }

  @Override
  public void close() throws IOException {
    stream.close();
  }

  private record Problem(String rule, String reason) {}

  private record Line(long number, @Nullable String text, String lossy, boolean tooLong) {}
}
