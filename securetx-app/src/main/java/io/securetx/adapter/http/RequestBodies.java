package io.securetx.adapter.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Reads JSON request bodies strictly: {@code application/json} in UTF-8 only, at most {@link
 * #MAX_BYTES}, well-formed UTF-8, no duplicate member names, no trailing data, bounded nesting and
 * number length. Anything else ends the request with a 400, 413 or 415 problem.
 */
final class RequestBodies {

  /** The largest accepted request body: a transaction needs a few hundred bytes. */
  static final int MAX_BYTES = 16 * 1024;

  private static final ObjectMapper JSON =
      new ObjectMapper(
              JsonFactory.builder()
                  .streamReadConstraints(
                      StreamReadConstraints.builder()
                          .maxNestingDepth(16)
                          .maxNumberLength(64)
                          .maxStringLength(MAX_BYTES)
                          .maxNameLength(256)
                          .build())
                  .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                  .build())
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .disable(JsonParser.Feature.ALLOW_COMMENTS);

  private RequestBodies() {}

  /**
   * The request body as a JSON object.
   *
   * @throws ProblemException 415 for another media type or charset, 413 for a body over {@link
   *     #MAX_BYTES}, 400 for anything that is not one well-formed UTF-8 JSON object
   */
  static ObjectNode object(Context ctx) {
    requireJson(ctx.header("Content-Type"));
    String length = ctx.header("Content-Length");
    if (length != null && isLongerThan(length, MAX_BYTES)) {
      throw tooLarge();
    }
    byte[] bytes;
    try {
      bytes = ctx.bodyAsBytes();
    } catch (HttpResponseException e) {
      if (e.getStatus() == 413) {
        throw tooLarge();
      }
      throw e;
    }
    if (bytes.length > MAX_BYTES) {
      throw tooLarge();
    }
    String text;
    try {
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes))
              .toString();
    } catch (CharacterCodingException e) {
      throw malformed("the body is not valid UTF-8");
    }
    if (text.isBlank()) {
      throw malformed("the body is empty; send a JSON object");
    }
    JsonNode node;
    try {
      node = JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw malformed("the body is not well-formed JSON" + where(e));
    }
    if (!(node instanceof ObjectNode object)) {
      throw malformed("the body must be a JSON object, not " + kind(node));
    }
    return object;
  }

  /** Content-Type must be application/json, optionally with charset=utf-8. */
  static void requireJson(@org.jspecify.annotations.Nullable String contentType) {
    if (contentType == null || contentType.isBlank()) {
      throw unsupported("a Content-Type header is required: application/json");
    }
    String[] parts = contentType.split(";");
    String mediaType = parts[0].strip().toLowerCase(Locale.ROOT);
    if (!mediaType.equals("application/json")) {
      throw unsupported("the body must be application/json");
    }
    for (int i = 1; i < parts.length; i++) {
      String parameter = parts[i].strip().toLowerCase(Locale.ROOT);
      if (parameter.isEmpty()) {
        continue;
      }
      if (!parameter.equals("charset=utf-8") && !parameter.equals("charset=\"utf-8\"")) {
        throw unsupported("application/json is accepted in UTF-8 only, with no other parameter");
      }
    }
  }

  private static boolean isLongerThan(String length, int max) {
    String digits = length.strip();
    if (digits.isEmpty() || digits.length() > 18 || !digits.chars().allMatch(Character::isDigit)) {
      // Jetty refuses a malformed Content-Length before a handler runs; be safe anyway.
      throw malformed("Content-Length is not a number");
    }
    return Long.parseLong(digits) > max;
  }

  private static String where(JsonProcessingException e) {
    if (e.getLocation() == null) {
      return "";
    }
    return " (line "
        + e.getLocation().getLineNr()
        + ", column "
        + e.getLocation().getColumnNr()
        + ")";
  }

  private static String kind(JsonNode node) {
    return switch (node.getNodeType()) {
      case ARRAY -> "an array";
      case STRING -> "a string";
      case NUMBER -> "a number";
      case BOOLEAN -> "a boolean";
      case NULL -> "null";
      default -> "a " + node.getNodeType().name().toLowerCase(Locale.ROOT);
    };
  }

  static ProblemException malformed(String detail) {
    return ProblemException.of(400, "malformed-request", "The request is malformed", detail);
  }

  static ProblemException tooLarge() {
    return ProblemException.http(413, "the body is larger than " + MAX_BYTES + " bytes");
  }

  private static ProblemException unsupported(String detail) {
    return ProblemException.http(415, detail).withHeader("Accept-Post", "application/json");
  }
}
