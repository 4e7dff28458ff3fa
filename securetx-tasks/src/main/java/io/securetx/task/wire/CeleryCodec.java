package io.securetx.task.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.securetx.task.wire.WireFormatException.Reason;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Writes and reads Celery protocol 2 messages as kombu's Redis transport stores them, and the
 * result metadata Celery's Redis backend stores. It writes what Celery 5.2 writes (same fields,
 * order and separators, so Python's own output decodes and re-encodes to equal JSON) and reads what
 * Celery 5.x producers send: missing optional headers, ETAs with or without an offset, and kombu
 * 5.3's tagged values, which it turns into the plain JSON kombu 5.2 writes. Whatever it cannot read
 * fails with a {@link WireFormatException} that names the reason; it never throws anything else on
 * bad input. Instances are immutable and thread-safe.
 */
public final class CeleryCodec {

  /** The default limit on an envelope or result: 16 Mi characters. */
  public static final int DEFAULT_MAX_CHARS = 16 * 1024 * 1024;

  static final String CONTENT_TYPE = "application/json";

  private final int maxChars;

  private CeleryCodec(int maxChars) {
    this.maxChars = maxChars;
  }

  /**
   * Returns a codec that accepts envelopes and results up to {@link #DEFAULT_MAX_CHARS}.
   *
   * @return the codec
   */
  public static CeleryCodec create() {
    return new CeleryCodec(DEFAULT_MAX_CHARS);
  }

  /**
   * Returns a codec with another size limit.
   *
   * @param maxChars the largest envelope or result JSON, in characters, that it writes or reads
   * @return the codec
   * @throws IllegalArgumentException if the limit is not positive
   */
  public static CeleryCodec withMaxChars(int maxChars) {
    if (maxChars <= 0) {
      throw new IllegalArgumentException("maxChars must be positive, was " + maxChars);
    }
    return new CeleryCodec(maxChars);
  }

  // ---- envelopes --------------------------------------------------------------------------------

  /**
   * Writes an envelope as the JSON list item Celery 5.2 pushes: a base64 body {@code [args, kwargs,
   * embed]}, the protocol 2 headers and kombu's properties.
   *
   * @param envelope the message and its delivery properties
   * @return the JSON text to push
   * @throws WireFormatException with {@link Reason#TOO_LARGE} if the result exceeds the limit
   */
  public String encode(Envelope envelope) {
    TaskMessage m = envelope.message();
    ArrayNode body = Json.NODES.arrayNode();
    body.add(m.args());
    body.add(m.kwargs());
    body.add(embedJson(m.embed()));
    String bodyText = Json.write(body);

    ObjectNode root = Json.NODES.objectNode();
    root.put("body", Base64.getEncoder().encodeToString(bodyText.getBytes(StandardCharsets.UTF_8)));
    root.put("content-encoding", "utf-8");
    root.put("content-type", CONTENT_TYPE);
    root.set("headers", headersJson(m, envelope.redelivered()));
    root.set("properties", propertiesJson(envelope));
    String text = Json.write(root);
    requireSize(text, "encoded envelope");
    return text;
  }

  private static ObjectNode embedJson(Embed e) {
    ObjectNode o = Json.NODES.objectNode();
    o.set("callbacks", e.callbacks());
    o.set("errbacks", e.errbacks());
    o.set("chain", e.chain());
    o.set("chord", e.chord());
    return o;
  }

  private static ObjectNode headersJson(TaskMessage m, boolean redelivered) {
    ObjectNode h = Json.NODES.objectNode();
    h.put("lang", m.lang());
    h.put("task", m.task());
    h.put("id", m.id());
    h.put("shadow", m.shadow());
    h.put("eta", time(m.eta()));
    h.put("expires", time(m.expires()));
    h.put("group", m.group());
    h.put("group_index", m.groupIndex());
    h.put("retries", m.retries());
    ArrayNode timelimit = h.putArray("timelimit");
    timelimit.add(Json.seconds(m.hardTimeLimit()));
    timelimit.add(Json.seconds(m.softTimeLimit()));
    h.put("root_id", m.rootId());
    h.put("parent_id", m.parentId());
    h.put("argsrepr", m.argsrepr());
    h.put("kwargsrepr", m.kwargsrepr());
    h.put("origin", m.origin());
    h.put("ignore_result", m.ignoreResult());
    h.setAll(m.extraHeaders());
    if (redelivered) {
      h.put("redelivered", true);
    }
    return h;
  }

  private static ObjectNode propertiesJson(Envelope e) {
    ObjectNode p = Json.NODES.objectNode();
    p.put("correlation_id", e.correlationId());
    p.put("reply_to", e.replyTo());
    p.put("delivery_mode", e.deliveryMode());
    if (e.expiration() != null) {
      p.put("expiration", e.expiration());
    }
    ObjectNode info = p.putObject("delivery_info");
    info.put("exchange", e.exchange());
    info.put("routing_key", e.routingKey());
    if (e.redelivered()) {
      info.put("redelivered", true);
    }
    p.put("priority", e.priority());
    p.put("body_encoding", "base64");
    p.put("delivery_tag", e.deliveryTag());
    p.setAll(e.extraProperties());
    return p;
  }

  private static @Nullable String time(@Nullable Instant t) {
    return t == null ? null : IsoTimes.withOffset(t);
  }

  /**
   * Reads a list item as a Celery 5.x producer writes it.
   *
   * @param json the list item
   * @return the envelope
   * @throws WireFormatException if the item is too large, not JSON, has an unsupported content type
   *     or encoding, a body that is not base64 of the JSON {@code [args, kwargs, embed]}, lacks
   *     {@code task}, {@code id}, {@code delivery_tag} or {@code delivery_info}, or has a field of
   *     the wrong type or value
   */
  public Envelope decode(String json) {
    requireSize(json, "envelope");
    ObjectNode root = Json.requireObject(Json.parse(json, "envelope"), "envelope");

    String contentType = Json.requireText(root, "content-type", "content-type");
    if (!contentType.equals(CONTENT_TYPE)) {
      throw new WireFormatException(
          Reason.UNSUPPORTED_CONTENT_TYPE,
          "content-type must be exactly application/json, was " + Json.quote(contentType));
    }
    String encoding = Json.optionalText(root, "content-encoding", "content-encoding");
    if (encoding != null && !isUtf8(encoding)) {
      throw new WireFormatException(
          Reason.UNSUPPORTED_ENCODING,
          "content-encoding must be utf-8 or binary, was " + Json.quote(encoding));
    }
    ObjectNode properties = Json.requireObject(root.get("properties"), "properties");
    ObjectNode headers =
        (ObjectNode) Json.untag(Json.requireObject(root.get("headers"), "headers"), "headers");
    ArrayNode body = body(root, properties);

    try {
      TaskMessage message = message(headers, body);
      return envelope(message, headers, properties);
    } catch (IllegalArgumentException e) {
      throw new WireFormatException(Reason.INVALID_VALUE, String.valueOf(e.getMessage()), e);
    }
  }

  private static boolean isUtf8(String encoding) {
    String e = encoding.toLowerCase(Locale.ROOT);
    return e.equals("utf-8") || e.equals("utf8") || e.equals("binary");
  }

  private static ArrayNode body(ObjectNode root, ObjectNode properties) {
    String bodyText = Json.requireText(root, "body", "body");
    String bodyEncoding =
        Json.optionalText(properties, "body_encoding", "properties.body_encoding");
    byte[] bytes;
    if (bodyEncoding == null) {
      // kombu takes the body as the literal JSON text when no body_encoding is given.
      bytes = bodyText.getBytes(StandardCharsets.UTF_8);
    } else if (bodyEncoding.equals("base64")) {
      try {
        bytes = Base64.getDecoder().decode(bodyText);
      } catch (IllegalArgumentException e) {
        throw new WireFormatException(
            Reason.BAD_BASE64, "body is not valid base64: " + e.getMessage(), e);
      }
    } else {
      throw new WireFormatException(
          Reason.UNSUPPORTED_ENCODING,
          "properties.body_encoding must be base64 or absent, was " + Json.quote(bodyEncoding));
    }
    JsonNode parsed = Json.untag(Json.parse(bytes, "body"), "body");
    if (!parsed.isArray() || parsed.size() != 3) {
      throw new WireFormatException(
          Reason.BAD_BODY_SHAPE,
          "body must be the array [args, kwargs, embed], was "
              + (parsed.isArray() ? "an array of " + parsed.size() : Json.typeName(parsed)));
    }
    return (ArrayNode) parsed;
  }

  private static TaskMessage message(ObjectNode h, ArrayNode body) {
    JsonNode args = body.get(0);
    if (!args.isArray()) {
      throw Json.wrongType("args (body[0])", "an array", args);
    }
    JsonNode kwargs = body.get(1);
    if (!kwargs.isObject()) {
      throw Json.wrongType("kwargs (body[1])", "an object (a mapping)", kwargs);
    }
    TaskMessage.Builder b =
        TaskMessage.builder(Json.requireText(h, "task", "headers.task"))
            .id(Json.requireText(h, "id", "headers.id"))
            .args((ArrayNode) args)
            .kwargs((ObjectNode) kwargs)
            .embed(embed(body.get(2)))
            .eta(optionalTime(h, "eta"))
            .expires(optionalTime(h, "expires"))
            .rootId(Json.optionalText(h, "root_id", "headers.root_id"))
            .parentId(Json.optionalText(h, "parent_id", "headers.parent_id"))
            .group(
                Json.optionalText(h, "group", "headers.group"),
                Json.optionalInt(h, "group_index", "headers.group_index"))
            .shadow(Json.optionalText(h, "shadow", "headers.shadow"))
            .origin(Json.optionalText(h, "origin", "headers.origin"))
            .reprs(
                Json.optionalText(h, "argsrepr", "headers.argsrepr"),
                Json.optionalText(h, "kwargsrepr", "headers.kwargsrepr"))
            .ignoreResult(Json.optionalBoolean(h, "ignore_result", "headers.ignore_result"));
    String lang = Json.optionalText(h, "lang", "headers.lang");
    if (lang != null) {
      b.lang(lang);
    }
    Integer retries = Json.optionalInt(h, "retries", "headers.retries");
    b.retries(retries == null ? 0 : retries);
    JsonNode timelimit = h.get("timelimit");
    if (timelimit != null && !timelimit.isNull()) {
      if (!timelimit.isArray() || timelimit.size() != 2) {
        throw Json.wrongType("headers.timelimit", "the array [hard, soft]", timelimit);
      }
      b.timeLimits(
          Json.optionalSeconds(timelimit.get(0), "headers.timelimit[0]"),
          Json.optionalSeconds(timelimit.get(1), "headers.timelimit[1]"));
    }
    ObjectNode extra = Json.NODES.objectNode();
    for (Map.Entry<String, JsonNode> e : h.properties()) {
      if (!TaskMessage.KNOWN_HEADERS.contains(e.getKey())) {
        extra.set(e.getKey(), e.getValue());
      }
    }
    return b.extraHeaders(extra).build();
  }

  private static @Nullable Instant optionalTime(ObjectNode h, String field) {
    String text = Json.optionalText(h, field, "headers." + field);
    return text == null ? null : IsoTimes.parse(text, "headers." + field);
  }

  private static Embed embed(JsonNode node) {
    if (node.isNull()) {
      return Embed.NONE;
    }
    if (!node.isObject()) {
      throw Json.wrongType("embed (body[2])", "an object or null", node);
    }
    return new Embed(
        signatureList(node, "callbacks"),
        signatureList(node, "errbacks"),
        signatureList(node, "chain"),
        signature(node.get("chord"), "embed.chord"));
  }

  private static @Nullable ArrayNode signatureList(JsonNode embed, String field) {
    JsonNode list = embed.get(field);
    if (list == null || list.isNull()) {
      return null;
    }
    if (!list.isArray()) {
      throw Json.wrongType("embed." + field, "an array of signatures or null", list);
    }
    int i = 0;
    for (JsonNode sig : list) {
      signature(sig, "embed." + field + "[" + i++ + "]");
    }
    return (ArrayNode) list;
  }

  private static @Nullable ObjectNode signature(@Nullable JsonNode sig, String what) {
    if (sig == null || sig.isNull()) {
      return null;
    }
    if (!sig.isObject()) {
      throw Json.wrongType(what, "a signature object", sig);
    }
    return (ObjectNode) sig;
  }

  private static Envelope envelope(TaskMessage message, ObjectNode h, ObjectNode p) {
    String deliveryTag = Json.requireText(p, "delivery_tag", "properties.delivery_tag");
    ObjectNode info = Json.requireObject(p.get("delivery_info"), "properties.delivery_info");
    String exchange = Json.requireText(info, "exchange", "properties.delivery_info.exchange");
    String routingKey =
        Json.requireText(info, "routing_key", "properties.delivery_info.routing_key");
    boolean redelivered =
        Json.optionalBoolean(info, "redelivered", "properties.delivery_info.redelivered")
            || Json.optionalBoolean(h, "redelivered", "headers.redelivered");
    Integer deliveryMode = intOrNull(p.get("delivery_mode"));
    JsonNode expiration = p.get("expiration");
    String expirationText =
        expiration == null || expiration.isNull()
            ? null
            : expiration.isTextual() ? expiration.textValue() : expiration.toString();
    ObjectNode extra = Json.NODES.objectNode();
    for (Map.Entry<String, JsonNode> e : p.properties()) {
      if (!Envelope.KNOWN_PROPERTIES.contains(e.getKey())) {
        extra.set(e.getKey(), Json.untag(e.getValue(), "properties." + e.getKey()));
      }
    }
    return new Envelope(
        message,
        exchange,
        routingKey,
        priority(p.get("priority")),
        deliveryTag,
        Json.optionalText(p, "correlation_id", "properties.correlation_id"),
        Json.optionalText(p, "reply_to", "properties.reply_to"),
        deliveryMode == null ? 2 : deliveryMode,
        expirationText,
        redelivered,
        extra);
  }

  /** kombu reads a missing or non-integer priority as 0; the JSON keeps values up to 255. */
  private static int priority(@Nullable JsonNode node) {
    Integer value = intOrNull(node);
    return value == null ? 0 : Math.max(0, Math.min(255, value));
  }

  private static @Nullable Integer intOrNull(@Nullable JsonNode node) {
    return node != null && node.isIntegralNumber() && node.canConvertToInt()
        ? Integer.valueOf(node.intValue())
        : null;
  }

  // ---- results ----------------------------------------------------------------------------------

  /**
   * Writes result metadata as Celery's Redis backend stores and publishes it.
   *
   * @param meta the state and result
   * @return the JSON text for {@code SETEX} and {@code PUBLISH}
   * @throws WireFormatException with {@link Reason#TOO_LARGE} if the result exceeds the limit
   */
  public String encodeResult(ResultMeta meta) {
    ObjectNode o = Json.NODES.objectNode();
    o.put("status", meta.state().name());
    o.set("result", meta.result());
    o.put("traceback", meta.traceback());
    o.set("children", meta.children());
    Instant done = meta.dateDone();
    o.put("date_done", done == null ? null : IsoTimes.naive(done));
    if (meta.groupId() != null) {
      o.put("group_id", meta.groupId());
    }
    if (meta.parentId() != null) {
      o.put("parent_id", meta.parentId());
    }
    o.put("task_id", meta.taskId());
    String text = Json.write(o);
    requireSize(text, "encoded result");
    return text;
  }

  /**
   * Reads result metadata as any Celery 5.x backend writes it; fields of {@code result_extended}
   * are ignored.
   *
   * @param json the stored or published JSON
   * @return the metadata
   * @throws WireFormatException if the JSON is too large, invalid, lacks {@code status} or {@code
   *     task_id}, or has a field of the wrong type
   */
  public ResultMeta decodeResult(String json) {
    requireSize(json, "result");
    ObjectNode o =
        (ObjectNode) Json.untag(Json.requireObject(Json.parse(json, "result"), "result"), "result");
    String status = Json.requireText(o, "status", "status");
    String taskId = Json.requireText(o, "task_id", "task_id");
    JsonNode result = o.get("result");
    JsonNode children = o.get("children");
    if (children != null && !children.isNull() && !children.isArray()) {
      throw Json.wrongType("children", "an array", children);
    }
    String dateDone = Json.optionalText(o, "date_done", "date_done");
    try {
      return new ResultMeta(
          new TaskState(status),
          result == null ? Json.NODES.nullNode() : result,
          Json.optionalText(o, "traceback", "traceback"),
          children == null || children.isNull() ? Json.NODES.arrayNode() : (ArrayNode) children,
          dateDone == null ? null : IsoTimes.parse(dateDone, "date_done"),
          Json.optionalText(o, "group_id", "group_id"),
          Json.optionalText(o, "parent_id", "parent_id"),
          taskId);
    } catch (IllegalArgumentException e) {
      throw new WireFormatException(Reason.INVALID_VALUE, String.valueOf(e.getMessage()), e);
    }
  }

  private void requireSize(String text, String what) {
    if (text.length() > maxChars) {
      throw new WireFormatException(
          Reason.TOO_LARGE,
          what + " has " + text.length() + " characters, more than the limit of " + maxChars);
    }
  }
}
