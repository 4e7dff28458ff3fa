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
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads JSON request bodies strictly: {@code application/json} in UTF-8 only, at most {@link
 * #MAX_BYTES}, well-formed UTF-8, no duplicate member names, no trailing data, bounded nesting and
 * number length. Anything else ends the request with a 400, 413 or 415 problem.
 */
final class RequestBodies {

  /** The largest accepted request body: a transaction needs a few hundred bytes. */
  static final int MAX_BYTES = 16 * 1024;

  /** How much of a too-large body is read and dropped before answering 413. */
  static final int DRAIN_BYTES = 2 * 1024 * 1024;

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
    List<String> types = Collections.list(ctx.req().getHeaders("Content-Type"));
    if (types.size() > 1) {
      throw malformed("send the Content-Type header once");
    }
    requireJson(types.isEmpty() ? null : types.get(0));
    byte[] bytes = read(ctx);
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

  /**
   * Reads at most {@link #MAX_BYTES}. A larger body is read on and thrown away up to {@link
   * #DRAIN_BYTES}, so that a client still sending it gets the 413 instead of a reset connection;
   * beyond that the connection is closed.
   */
  private static byte[] read(Context ctx) {
    String length = ctx.header("Content-Length");
    long declared = length == null ? -1 : contentLength(length);
    try {
      InputStream in = ctx.req().getInputStream();
      if (declared > MAX_BYTES) {
        throw tooLarge(ctx, in, declared);
      }
      byte[] bytes = in.readNBytes(MAX_BYTES + 1);
      if (bytes.length > MAX_BYTES) {
        throw tooLarge(ctx, in, -1);
      }
      return bytes;
    } catch (IOException | RuntimeException e) {
      if (e instanceof ProblemException problem) {
        throw problem;
      }
      // Jetty reports a body that ends before its Content-Length, or bad chunking, this way.
      throw malformed("the body could not be read: it ended early or its framing is malformed");
    }
  }

  private static ProblemException tooLarge(Context ctx, InputStream in, long declared)
      throws IOException {
    if (declared > DRAIN_BYTES) {
      ctx.header("Connection", "close");
      return tooLarge();
    }
    long skipped = 0;
    byte[] sink = new byte[8192];
    int n;
    while (skipped < DRAIN_BYTES && (n = in.read(sink)) >= 0) {
      skipped += n;
    }
    if (skipped >= DRAIN_BYTES) {
      ctx.header("Connection", "close");
    }
    return tooLarge();
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

  private static long contentLength(String length) {
    String digits = length.strip();
    if (digits.isEmpty() || digits.length() > 18 || !digits.chars().allMatch(Character::isDigit)) {
      // Jetty refuses a malformed Content-Length before a handler runs; be safe anyway.
      throw malformed("Content-Length is not a number");
    }
    return Long.parseLong(digits);
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

  /**
   * One field error for each member of the object that is not one of the fields (its name cut to 64
   * characters).
   *
   * @param body the object
   * @param fields the known fields
   * @param detail what the error says, e.g. {@code is not a field of a transaction}
   * @return the errors, a mutable list
   */
  static List<Map<String, String>> unknownFields(
      ObjectNode body, Set<String> fields, String detail) {
    List<Map<String, String>> errors = new ArrayList<>();
    body.fieldNames()
        .forEachRemaining(
            name -> {
              if (!fields.contains(name)) {
                String shown = name.length() <= 64 ? name : name.substring(0, 64) + "…";
                errors.add(Problems.fieldError(shown, "field.unknown", detail));
              }
            });
    return errors;
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
