package io.securetx.task.wire;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.Map;

/**
 * Python's {@code repr()} of JSON values, for the {@code argsrepr} and {@code kwargsrepr} headers
 * that Celery only logs. Close to Python's output for the values JSON can carry; exact for strings
 * of printable characters, ints, booleans, None, lists and dicts.
 */
final class PythonRepr {

  /** Celery's default {@code argsrepr} limit of 1024 characters. */
  static final int MAX_LENGTH = 1024;

  private PythonRepr() {}

  static String of(JsonNode node) {
    StringBuilder out = new StringBuilder();
    append(node, out);
    if (out.length() > MAX_LENGTH) {
      out.setLength(MAX_LENGTH - 3);
      out.append("...");
    }
    return out.toString();
  }

  private static void append(JsonNode node, StringBuilder out) {
    switch (node.getNodeType()) {
      case NULL, MISSING -> out.append("None");
      case BOOLEAN -> out.append(node.booleanValue() ? "True" : "False");
      case NUMBER -> out.append(node.isIntegralNumber() ? node.asText() : floatRepr(node));
      case STRING -> string(node.textValue(), out);
      case ARRAY -> {
        out.append('[');
        String sep = "";
        for (JsonNode item : node) {
          out.append(sep);
          append(item, out);
          sep = ", ";
        }
        out.append(']');
      }
      case OBJECT -> {
        out.append('{');
        String sep = "";
        for (Map.Entry<String, JsonNode> e : node.properties()) {
          out.append(sep);
          string(e.getKey(), out);
          out.append(": ");
          append(e.getValue(), out);
          sep = ", ";
        }
        out.append('}');
      }
      default -> out.append(node.asText());
    }
  }

  /** Python's float repr: positional from 1e-4 up to 1e16, otherwise {@code 1e+16} style. */
  private static String floatRepr(JsonNode node) {
    double d = node.doubleValue();
    if (!Double.isFinite(d)) {
      return Double.isNaN(d) ? "nan" : d > 0 ? "inf" : "-inf";
    }
    double abs = Math.abs(d);
    if (d == 0 || (abs >= 1e-4 && abs < 1e16)) {
      String plain = new BigDecimal(Double.toString(d)).stripTrailingZeros().toPlainString();
      return plain.contains(".") ? plain : plain + ".0";
    }
    String java = Double.toString(d); // e.g. 1.0E16 or 1.5E-5
    int e = java.indexOf('E');
    String mantissa = java.substring(0, e);
    if (mantissa.endsWith(".0")) {
      mantissa = mantissa.substring(0, mantissa.length() - 2);
    }
    int exponent = Integer.parseInt(java.substring(e + 1));
    String sign = exponent < 0 ? "-" : "+";
    int absExp = Math.abs(exponent);
    return mantissa + "e" + sign + (absExp < 10 ? "0" : "") + absExp;
  }

  private static void string(String s, StringBuilder out) {
    char quote = s.indexOf('\'') >= 0 && s.indexOf('"') < 0 ? '"' : '\'';
    out.append(quote);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == quote || c == '\\') {
        out.append('\\').append(c);
      } else if (c == '\n') {
        out.append("\\n");
      } else if (c == '\r') {
        out.append("\\r");
      } else if (c == '\t') {
        out.append("\\t");
      } else if (c < 0x20 || (c >= 0x7f && c < 0xa0)) {
        out.append(String.format(java.util.Locale.ROOT, "\\x%02x", (int) c));
      } else if (Character.isSurrogate(c)
          && !(Character.isHighSurrogate(c)
              && i + 1 < s.length()
              && Character.isLowSurrogate(s.charAt(i + 1)))
          && !(Character.isLowSurrogate(c)
              && i > 0
              && Character.isHighSurrogate(s.charAt(i - 1)))) {
        out.append(String.format(java.util.Locale.ROOT, "\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    out.append(quote);
  }
}
