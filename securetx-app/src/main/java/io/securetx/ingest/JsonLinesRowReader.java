package io.securetx.ingest;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.securetx.transaction.ValidationException;
import io.securetx.vault.RequestParser;
import java.io.IOException;
import java.io.InputStream;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * JSON Lines: one JSON object per line with the fields {@code user_id} and {@code amount} (see
 * {@link JsonRequests} for the JSON types they may have), and optionally {@code currency} and
 * {@code idempotency_key} (string or null). A line that is not exactly one JSON object, or that has
 * unknown or repeated fields, is refused. Blank lines are skipped.
 */
final class JsonLinesRowReader implements RowReader {

  private static final JsonMapper MAPPER =
      JsonMapper.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

  private static final Set<String> FIELDS =
      Set.of("user_id", "amount", "currency", "idempotency_key");

  private final InputStream stream;
  private final Lines lines;
  private final RequestParser parser;
  private final RowKeys keys;

  JsonLinesRowReader(InputStream in, RequestParser parser, RowKeys keys) {
    this.stream = in;
    this.lines = new Lines(in);
    this.parser = parser;
    this.keys = keys;
  }

  @Override
  public @Nullable Row next() throws IOException {
    while (lines.next()) {
      if (lines.blank()) {
        continue;
      }
      long line = lines.number();
      String text = lines.text();
      if (text == null) {
        return Row.refused(line, lines.lossyText(), "encoding", "the line is not valid UTF-8");
      }
      if (lines.tooLong()) {
        return Row.refused(
            line,
            text,
            "json.length",
            "the line is longer than " + Lines.MAX_LINE_BYTES + " bytes");
      }
      return row(line, text);
    }
    return null;
  }

  private Row row(long line, String text) {
    JsonNode node;
    try {
      node = MAPPER.readTree(text);
    } catch (JacksonException e) {
      return Row.refused(line, text, "json.syntax", "not valid JSON: " + e.getOriginalMessage());
    }
    if (node == null || !node.isObject()) {
      return Row.refused(
          line,
          text,
          "json.type",
          "a line must hold one JSON object, not "
              + (node == null ? "nothing" : JsonRequests.typeOf(node)));
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      String name = it.next().getKey();
      if (!FIELDS.contains(name)) {
        return Row.refused(
            line,
            text,
            "json.field",
            "unknown field '"
                + name
                + "'; the fields are user_id, amount and optionally currency and"
                + " idempotency_key");
      }
    }
    try {
      JsonNode user = node.get("user_id");
      JsonNode amount = node.get("amount");
      if (user == null || amount == null) {
        throw new ValidationException(
            user == null ? "user_id" : "amount", "json.missing", "is missing");
      }
      String currency = optionalText(node, "currency");
      String key = optionalText(node, "idempotency_key");
      return Row.accepted(
          line,
          text,
          JsonRequests.parse(
              parser, user, amount, currency, key == null ? keys.keyFor(line) : key));
    } catch (ValidationException e) {
      return Row.refused(line, text, e.rule(), String.valueOf(e.getMessage()));
    }
  }

  private static @Nullable String optionalText(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isTextual()) {
      throw new ValidationException(
          field, "json.type", "must be a string or null, not " + JsonRequests.typeOf(value));
    }
    return value.textValue();
  }

  @Override
  public void close() throws IOException {
    stream.close();
  }
}
