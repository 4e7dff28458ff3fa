package io.securetx.task.wire;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.core.util.MinimalPrettyPrinter;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.securetx.task.wire.WireFormatException.Reason;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * JSON as Python's {@code json} module and kombu's serializer read and write it: parsing that
 * rejects trailing garbage, output with Python's separators and {@code ensure_ascii}, typed field
 * reads that fail with a {@link WireFormatException}, and kombu 5.3's tagged values.
 */
final class Json {

  static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  static final JsonMapper MAPPER =
      JsonMapper.builder()
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(JsonWriteFeature.ESCAPE_NON_ASCII)
          .build();

  /** Python's {@code json.dumps} defaults: {@code ", "} and {@code ": "}, no newlines. */
  private static final ObjectWriter PYTHON_STYLE = MAPPER.writer(new PythonSeparators());

  static final String TYPE_TAG = "__type__";
  static final String VALUE_TAG = "__value__";
  private static final Pattern UUID_HEX = Pattern.compile("[0-9a-fA-F]{32}");

  private Json() {}

  static String write(JsonNode node) {
    try {
      return PYTHON_STYLE.writeValueAsString(node);
    } catch (IOException e) {
      // A tree of plain nodes always serialises; this would be a bug in Jackson or in this class.
      throw new IllegalStateException("cannot serialise a JSON tree", e);
    }
  }

  static JsonNode parse(String text, String what) {
    try {
      return MAPPER.readTree(text);
    } catch (JacksonException e) {
      throw new WireFormatException(
          Reason.NOT_JSON, what + " is not valid JSON: " + e.getOriginalMessage(), e);
    }
  }

  static JsonNode parse(byte[] utf8, String what) {
    try {
      return MAPPER.readTree(utf8);
    } catch (IOException e) {
      String detail =
          e instanceof JacksonException je
              ? je.getOriginalMessage()
              : String.valueOf(e.getMessage());
      throw new WireFormatException(Reason.NOT_JSON, what + " is not valid JSON: " + detail, e);
    }
  }

  // ---- typed reads ------------------------------------------------------------------------------

  static ObjectNode requireObject(@Nullable JsonNode node, String what) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      throw new WireFormatException(Reason.MISSING_FIELD, what + " is missing");
    }
    if (!node.isObject()) {
      throw wrongType(what, "an object", node);
    }
    return (ObjectNode) node;
  }

  static String requireText(ObjectNode parent, String field, String what) {
    JsonNode node = parent.get(field);
    if (node == null || node.isNull()) {
      throw new WireFormatException(Reason.MISSING_FIELD, what + " is missing");
    }
    if (!node.isTextual()) {
      throw wrongType(what, "a string", node);
    }
    return node.textValue();
  }

  static @Nullable String optionalText(ObjectNode parent, String field, String what) {
    JsonNode node = parent.get(field);
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isTextual()) {
      throw wrongType(what, "a string or null", node);
    }
    return node.textValue();
  }

  static @Nullable Integer optionalInt(ObjectNode parent, String field, String what) {
    JsonNode node = parent.get(field);
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isIntegralNumber() || !node.canConvertToInt()) {
      throw wrongType(what, "an integer", node);
    }
    return node.intValue();
  }

  static boolean optionalBoolean(ObjectNode parent, String field, String what) {
    JsonNode node = parent.get(field);
    if (node == null || node.isNull()) {
      return false;
    }
    if (!node.isBoolean()) {
      throw wrongType(what, "a boolean", node);
    }
    return node.booleanValue();
  }

  static @Nullable Double optionalSeconds(JsonNode node, String what) {
    if (node.isNull()) {
      return null;
    }
    if (!node.isNumber()) {
      throw wrongType(what, "a number or null", node);
    }
    double value = node.doubleValue();
    if (!Double.isFinite(value) || value < 0) {
      throw new WireFormatException(
          Reason.INVALID_VALUE, what + " must be a non-negative number, was " + node);
    }
    return value;
  }

  static WireFormatException wrongType(String what, String expected, JsonNode actual) {
    return new WireFormatException(
        Reason.WRONG_TYPE, what + " must be " + expected + ", was " + typeName(actual));
  }

  static String typeName(JsonNode node) {
    return switch (node.getNodeType()) {
      case ARRAY -> "an array";
      case OBJECT -> "an object";
      case STRING -> "a string";
      case NUMBER -> "a number";
      case BOOLEAN -> "a boolean";
      case NULL -> "null";
      default -> node.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
    };
  }

  /** Python writes whole numbers of seconds as ints, and a reader should see the same JSON. */
  static JsonNode seconds(@Nullable Double value) {
    if (value == null) {
      return NODES.nullNode();
    }
    double v = value;
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return NODES.numberNode((long) v);
    }
    return NODES.numberNode(v);
  }

  // ---- kombu >= 5.3 tagged values ---------------------------------------------------------------

  static boolean isTagged(JsonNode node) {
    return node.isObject() && node.size() == 2 && node.has(TYPE_TAG) && node.has(VALUE_TAG);
  }

  /**
   * Replaces every kombu 5.3 tagged value by the plain JSON kombu 5.2 writes for the same Python
   * value, so a reader sees one representation whichever kombu the producer ran: datetime, date,
   * time and decimal become their text, uuid its canonical string, bytes its text and base64 the
   * base64 text. An unknown tag fails, as it does in kombu.
   */
  static JsonNode untag(JsonNode node, String what) {
    // Tagged values are rare; a tree without any is returned as it is, not copied.
    return containsTagged(node) ? untagAll(node, what) : node;
  }

  private static boolean containsTagged(JsonNode node) {
    if (isTagged(node)) {
      return true;
    }
    if (node.isContainerNode()) {
      for (JsonNode child : node) {
        if (containsTagged(child)) {
          return true;
        }
      }
    }
    return false;
  }

  private static JsonNode untagAll(JsonNode node, String what) {
    if (isTagged(node)) {
      return untagOne(node, what);
    }
    if (node.isArray()) {
      ArrayNode out = NODES.arrayNode(node.size());
      for (JsonNode item : node) {
        out.add(untagAll(item, what));
      }
      return out;
    }
    if (node.isObject()) {
      ObjectNode out = NODES.objectNode();
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        out.set(e.getKey(), untagAll(e.getValue(), what));
      }
      return out;
    }
    return node;
  }

  private static JsonNode untagOne(JsonNode node, String what) {
    JsonNode type = node.get(TYPE_TAG);
    JsonNode value = node.get(VALUE_TAG);
    if (!type.isTextual()) {
      throw new WireFormatException(
          Reason.BAD_TAGGED_VALUE, what + " has a __type__ that is not a string");
    }
    String tag = type.textValue();
    switch (tag) {
      case "datetime", "date", "time", "decimal", "bytes" -> {
        return TextNode.valueOf(taggedText(tag, value, what));
      }
      case "base64" -> {
        String text = taggedText(tag, value, what);
        try {
          Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
          throw new WireFormatException(
              Reason.BAD_TAGGED_VALUE, what + " has a base64 value that is not base64", e);
        }
        return TextNode.valueOf(text);
      }
      case "uuid" -> {
        JsonNode hex = value.isObject() ? value.get("hex") : value;
        if (hex == null || !hex.isTextual()) {
          throw new WireFormatException(
              Reason.BAD_TAGGED_VALUE, what + " has a uuid value without a \"hex\" string");
        }
        String h = hex.textValue().replace("-", "");
        if (!UUID_HEX.matcher(h).matches()) {
          throw new WireFormatException(
              Reason.BAD_TAGGED_VALUE, what + " has a uuid value that is not 32 hex digits");
        }
        return TextNode.valueOf(
            new UUID(
                    Long.parseUnsignedLong(h.substring(0, 16), 16),
                    Long.parseUnsignedLong(h.substring(16), 16))
                .toString());
      }
      default ->
          throw new WireFormatException(
              Reason.BAD_TAGGED_VALUE, what + " has an unknown __type__ " + quote(tag));
    }
  }

  private static String taggedText(String tag, JsonNode value, String what) {
    if (!value.isTextual()) {
      throw new WireFormatException(
          Reason.BAD_TAGGED_VALUE,
          what + " has a " + tag + " value that is " + typeName(value) + ", not a string");
    }
    return value.textValue();
  }

  // ---- what may be sent -------------------------------------------------------------------------

  /**
   * Checks that a tree means the same to every reader: finite numbers only (JSON has no NaN), and
   * no object that a kombu 5.3 reader would take for a tagged value.
   *
   * @throws IllegalArgumentException if it does not
   */
  static void requireWireSafe(JsonNode node, String what) {
    List<JsonNode> pending = new ArrayList<>();
    pending.add(node);
    while (!pending.isEmpty()) {
      JsonNode n = pending.remove(pending.size() - 1);
      if (n.isFloatingPointNumber() && !Double.isFinite(n.doubleValue())) {
        throw new IllegalArgumentException(what + " contains a non-finite number: " + n);
      }
      if (n.isTextual()) {
        requireWellFormed(n.textValue(), what);
      }
      if (n.isObject()) {
        for (Map.Entry<String, JsonNode> e : n.properties()) {
          requireWellFormed(e.getKey(), what);
        }
      }
      if (isTagged(n)) {
        throw new IllegalArgumentException(
            what
                + " contains an object with exactly the keys __type__ and __value__, which kombu"
                + " 5.3 would decode as a tagged value");
      }
      if (n.isContainerNode()) {
        n.forEach(pending::add);
      }
    }
  }

  /**
   * Checks that a string is well-formed UTF-16. An unpaired surrogate has no UTF-8 encoding; Python
   * would write it as an escaped lone surrogate, which Jackson refuses to read back.
   *
   * @throws IllegalArgumentException if it is not
   */
  static @Nullable String requireWellFormed(@Nullable String s, String what) {
    if (s == null) {
      return null;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        throw new IllegalArgumentException(
            what + " contains an unpaired surrogate at index " + i + ", which JSON cannot carry");
      }
    }
    return s;
  }

  static String quote(String s) {
    String shown = s.length() > 64 ? s.substring(0, 64) + "..." : s;
    return "\"" + shown + "\"";
  }

  private static final class PythonSeparators extends MinimalPrettyPrinter {
    private static final long serialVersionUID = 1L;

    @Override
    public void writeObjectFieldValueSeparator(JsonGenerator g) throws IOException {
      g.writeRaw(": ");
    }

    @Override
    public void writeObjectEntrySeparator(JsonGenerator g) throws IOException {
      g.writeRaw(", ");
    }

    @Override
    public void writeArrayValueSeparator(JsonGenerator g) throws IOException {
      g.writeRaw(", ");
    }
  }
}
