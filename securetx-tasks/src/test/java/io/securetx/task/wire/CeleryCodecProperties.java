package io.securetx.task.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Builders;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** Round trips of arbitrary values, worker safety of everything encoded, and decoder fuzzing. */
class CeleryCodecProperties {

  private final CeleryCodec codec = CeleryCodec.create();

  // ---- round trips ------------------------------------------------------------------------------

  @Property(tries = 300)
  void decode_encodedEnvelope_equalsOriginal(@ForAll("envelopes") Envelope envelope) {
    assertThat(codec.decode(codec.encode(envelope))).isEqualTo(envelope);
  }

  @Property(tries = 300)
  void decodeResult_encodedResult_equalsOriginal(@ForAll("results") ResultMeta meta) {
    assertThat(codec.decodeResult(codec.encodeResult(meta))).isEqualTo(meta);
  }

  @Property(tries = 200)
  void encode_decodedEncoding_isTheSameText(@ForAll("envelopes") Envelope envelope) {
    String once = codec.encode(envelope);
    assertThat(codec.encode(codec.decode(once))).isEqualTo(once);
  }

  // ---- celery-wire.md §5.1 step 7 ---------------------------------------------------------------

  /**
   * Nothing the encoder writes may be one of the inputs that crash or silently drop in a Python
   * worker (celery-wire.md §3.4 and §5.1 step 7): the body must be strict base64 of UTF-8 JSON
   * {@code [list, dict, embed]}, {@code id}, {@code task}, {@code delivery_tag} and {@code
   * delivery_info} with both keys must be there, the content type exactly {@code application/json},
   * ETAs parseable, kwargs a mapping, and no value a kombu 5.3 worker would take for a tagged
   * object. The checks are written against the JSON text, not the codec.
   */
  @Property(tries = 300)
  void encode_anyEnvelope_isSafeForAPythonWorker(@ForAll("envelopes") Envelope envelope) {
    assertSafeForPythonWorker(codec.encode(envelope));
  }

  private static final Pattern STRICT_BASE64 =
      Pattern.compile("(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?");
  private static final Pattern PY_ISO =
      Pattern.compile("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d{6})?\\+00:00");

  static void assertSafeForPythonWorker(String json) {
    assertThat(json.chars().allMatch(c -> c < 0x80)).as("ensure_ascii output").isTrue();
    JsonNode root = Golden.tree(json);
    assertThat(root.isObject()).isTrue();
    assertThat(root.get("content-type").textValue()).isEqualTo("application/json");
    assertThat(root.get("content-encoding").textValue()).isEqualTo("utf-8");

    JsonNode props = root.get("properties");
    assertThat(props.get("body_encoding").textValue()).isEqualTo("base64");
    assertThat(props.get("delivery_tag").isTextual()).isTrue();
    assertThat(props.get("delivery_tag").textValue()).isNotBlank();
    JsonNode info = props.get("delivery_info");
    assertThat(info.isObject()).isTrue();
    assertThat(info.get("exchange").isTextual()).isTrue();
    assertThat(info.get("routing_key").isTextual()).isTrue();
    assertThat(props.get("priority").isInt()).isTrue();
    assertThat(props.get("priority").intValue()).isBetween(0, 255);

    String body = root.get("body").textValue();
    assertThat(STRICT_BASE64.matcher(body).matches()).as("strict base64").isTrue();
    String bodyText;
    try {
      bodyText =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(Base64.getDecoder().decode(body)))
              .toString();
    } catch (CharacterCodingException e) {
      throw new AssertionError("body is not UTF-8", e);
    }
    JsonNode decoded = Golden.tree(bodyText);
    assertThat(decoded.isArray()).isTrue();
    assertThat(decoded.size()).isEqualTo(3);
    assertThat(decoded.get(0).isArray()).isTrue();
    assertThat(decoded.get(1).isObject()).as("kwargs is a mapping").isTrue();
    JsonNode embed = decoded.get(2);
    assertThat(embed.isObject()).isTrue();
    assertThat(embed.properties())
        .extracting(Map.Entry::getKey)
        .containsExactly("callbacks", "errbacks", "chain", "chord");
    assertNoTaggedLookalike(decoded);

    JsonNode h = root.get("headers");
    assertThat(h.get("id").isTextual()).isTrue();
    assertThat(h.get("id").textValue()).isNotBlank();
    assertThat(h.get("task").isTextual()).isTrue();
    assertThat(h.get("task").textValue()).isNotBlank();
    assertThat(h.get("lang").isTextual()).isTrue();
    for (String time : List.of("eta", "expires")) {
      JsonNode t = h.get(time);
      assertThat(t.isNull() || PY_ISO.matcher(t.textValue()).matches()).as(time).isTrue();
    }
    assertThat(h.get("retries").isInt()).isTrue();
    assertThat(h.get("retries").intValue()).isNotNegative();
    JsonNode timelimit = h.get("timelimit");
    assertThat(timelimit.isArray()).isTrue();
    assertThat(timelimit.size()).isEqualTo(2);
    timelimit.forEach(v -> assertThat(v.isNull() || v.isNumber()).isTrue());
    assertThat(h.get("ignore_result").isBoolean()).isTrue();
    assertThat(h.get("argsrepr").isTextual()).isTrue();
    assertThat(h.get("kwargsrepr").isTextual()).isTrue();
    assertNoTaggedLookalike(h);
  }

  private static void assertNoTaggedLookalike(JsonNode node) {
    assertThat(Json.isTagged(node)).as("kombu 5.3 tagged lookalike").isFalse();
    node.forEach(CeleryCodecProperties::assertNoTaggedLookalike);
  }

  // ---- fuzzing: bad input only ever gives WireFormatException ----------------------------------

  private static final String GOLDEN = Golden.text("envelope-send-welcome-email.json");

  @Property(tries = 1000)
  void decode_mutatedCapture_decodesOrThrowsWireFormatException(
      @ForAll @IntRange(min = 0, max = 2000) int position,
      @ForAll @IntRange(min = 0, max = 3) int kind,
      @ForAll char c) {
    int p = position % (GOLDEN.length() + 1);
    String mutated =
        switch (kind) {
          case 0 -> GOLDEN.substring(0, p);
          case 1 -> GOLDEN.substring(0, p) + c + GOLDEN.substring(p);
          case 2 -> p < GOLDEN.length() ? GOLDEN.substring(0, p) + GOLDEN.substring(p + 1) : GOLDEN;
          default ->
              p < GOLDEN.length() ? GOLDEN.substring(0, p) + c + GOLDEN.substring(p + 1) : GOLDEN;
        };
    assertOnlyWireFormatException(() -> codec.decode(mutated));
  }

  @Property(tries = 1000)
  void decode_captureWithAFieldReplaced_decodesOrThrowsWireFormatException(
      @ForAll @IntRange(min = 0, max = 1000) int pick, @ForAll("json") JsonNode replacement) {
    ObjectNode root = (ObjectNode) Golden.tree(GOLDEN);
    ObjectNode bodyHolder = Json.NODES.objectNode();
    bodyHolder.set(
        "body",
        Golden.tree(
            new String(
                Base64.getDecoder().decode(root.get("body").textValue()), StandardCharsets.UTF_8)));
    List<ObjectNode> parents = new ArrayList<>();
    List<String> names = new ArrayList<>();
    collect(root, parents, names);
    collect(bodyHolder, parents, names);
    int i = pick % parents.size();
    parents.get(i).set(names.get(i), replacement);
    root.put(
        "body",
        Base64.getEncoder()
            .encodeToString(bodyHolder.get("body").toString().getBytes(StandardCharsets.UTF_8)));
    String mutated = root.toString();
    assertOnlyWireFormatException(() -> codec.decode(mutated));
  }

  @Property(tries = 500)
  void decodeResult_anyJson_decodesOrThrowsWireFormatException(
      @ForAll("json") JsonNode result, @ForAll("json") JsonNode status) {
    ObjectNode o = Json.NODES.objectNode();
    o.set("status", status);
    o.set("result", result);
    o.set("date_done", status);
    o.put("task_id", "t");
    assertOnlyWireFormatException(() -> codec.decodeResult(o.toString()));
  }

  private static void collect(JsonNode node, List<ObjectNode> parents, List<String> names) {
    if (node instanceof ObjectNode o) {
      for (Map.Entry<String, JsonNode> e : o.properties()) {
        parents.add(o);
        names.add(e.getKey());
        collect(e.getValue(), parents, names);
      }
    } else if (node instanceof ArrayNode a) {
      a.forEach(child -> collect(child, parents, names));
    }
  }

  private static void assertOnlyWireFormatException(Runnable decode) {
    Throwable t = catchThrowable(decode::run);
    if (t != null) {
      assertThat(t).isInstanceOf(WireFormatException.class);
      assertThat(t.getMessage()).isNotBlank();
    }
  }

  // ---- arbitraries ------------------------------------------------------------------------------

  @Provide
  Arbitrary<JsonNode> json() {
    return jsonValue(3);
  }

  private static Arbitrary<JsonNode> jsonValue(int depth) {
    Arbitrary<JsonNode> leaf =
        Arbitraries.oneOf(
            Arbitraries.just(Json.NODES.nullNode()),
            Arbitraries.of(true, false).map(b -> (JsonNode) Json.NODES.booleanNode(b)),
            Arbitraries.integers().map(i -> (JsonNode) Json.NODES.numberNode(i)),
            Arbitraries.longs()
                .filter(l -> l < Integer.MIN_VALUE || l > Integer.MAX_VALUE)
                .map(l -> (JsonNode) Json.NODES.numberNode(l)),
            Arbitraries.bigIntegers()
                .between(BigInteger.TWO.pow(64), BigInteger.TWO.pow(80))
                .map(b -> (JsonNode) Json.NODES.numberNode(b)),
            Arbitraries.doubles()
                .ofScale(6)
                .between(-1e12, 1e12)
                .map(d -> (JsonNode) Json.NODES.numberNode(d)),
            Arbitraries.of(1e300, -2.5e-300, 0.1, 1e16, Double.MIN_VALUE)
                .map(d -> (JsonNode) Json.NODES.numberNode(d)),
            text().map(s -> (JsonNode) Json.NODES.textNode(s)));
    if (depth == 0) {
      return leaf;
    }
    Arbitrary<JsonNode> child = Arbitraries.lazy(() -> jsonValue(depth - 1));
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(4, leaf),
        net.jqwik.api.Tuple.of(1, arrays(child)),
        net.jqwik.api.Tuple.of(1, objects(child)));
  }

  private static Arbitrary<JsonNode> arrays(Arbitrary<JsonNode> child) {
    return child
        .list()
        .ofMaxSize(4)
        .map(
            items -> {
              ArrayNode a = Json.NODES.arrayNode();
              a.addAll(items);
              return (JsonNode) a;
            });
  }

  private static Arbitrary<JsonNode> objects(Arbitrary<JsonNode> child) {
    return Arbitraries.maps(
            Arbitraries.oneOf(text(), Arbitraries.of("__type__", "__value__")), child)
        .ofMaxSize(4)
        .map(
            m -> {
              ObjectNode o = Json.NODES.objectNode();
              m.forEach(o::set);
              return (JsonNode) o;
            })
        .filter(n -> !Json.isTagged(n));
  }

  /** Any well-formed UTF-16 text, including non-ASCII, control characters and quotes. */
  private static Arbitrary<String> text() {
    return Arbitraries.<String>oneOf(
            Arbitraries.strings().ofMaxLength(12),
            Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(12),
            Arbitraries.strings()
                .withChars("\"'\\\n\t\u0000\u00e9\u20ac\ud83d\ude00")
                .ofMaxLength(6))
        .filter(CeleryCodecProperties::wellFormed);
  }

  private static boolean wellFormed(String s) {
    try {
      Json.requireWellFormed(s, "s");
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static Arbitrary<String> nonBlank() {
    return text().filter(s -> !s.isBlank());
  }

  private static Arbitrary<Instant> instants() {
    long min = IsoTimes.MIN.getEpochSecond() * 1_000_000L;
    long max = IsoTimes.MAX.getEpochSecond() * 1_000_000L + 999_999L;
    return Arbitraries.oneOf(
        Arbitraries.longs().between(min, max).map(m -> Instant.EPOCH.plus(m, ChronoUnit.MICROS)),
        Arbitraries.of(IsoTimes.MIN, IsoTimes.MAX, Instant.parse("2026-11-27T00:50:04Z")));
  }

  private static Arbitrary<Double> seconds() {
    return Arbitraries.oneOf(
        Arbitraries.integers().between(0, 100_000).map(Integer::doubleValue),
        Arbitraries.doubles().between(0, 1e6).ofScale(3));
  }

  private static Arbitrary<ArrayNode> argArrays() {
    return jsonValue(2).list().ofMaxSize(4).map(l -> Json.NODES.arrayNode().addAll(l));
  }

  private static Arbitrary<ObjectNode> objectsWithoutKeys(java.util.Set<String> forbidden) {
    return Arbitraries.maps(text().filter(k -> !forbidden.contains(k)), jsonValue(2))
        .ofMaxSize(4)
        .map(
            m -> {
              ObjectNode o = Json.NODES.objectNode();
              m.forEach(o::set);
              return o;
            })
        .filter(o -> !Json.isTagged(o));
  }

  private static Arbitrary<ObjectNode> signatures() {
    return Combinators.combine(nonBlank(), argArrays(), objectsWithoutKeys(java.util.Set.of()))
        .as(
            (task, args, kwargs) -> {
              ObjectNode sig = Json.NODES.objectNode();
              sig.put("task", task);
              sig.set("args", args);
              sig.set("kwargs", kwargs);
              sig.putObject("options").put("task_id", "c0ffee");
              sig.put("subtask_type", (String) null);
              sig.put("immutable", false);
              return sig;
            });
  }

  private static Arbitrary<Embed> embeds() {
    Arbitrary<ArrayNode> list =
        signatures().list().ofMaxSize(2).map(l -> Json.NODES.arrayNode().addAll(l)).injectNull(0.5);
    return Arbitraries.oneOf(
        Arbitraries.just(Embed.NONE),
        Combinators.combine(list, list, list, signatures().injectNull(0.5)).as(Embed::new));
  }

  @Provide
  Arbitrary<TaskMessage> messages() {
    return nonBlank()
        .flatMap(
            task ->
                Builders.withBuilder(() -> TaskMessage.builder(task))
                    .use(nonBlank())
                    .in(TaskMessage.Builder::id)
                    .use(argArrays())
                    .in(TaskMessage.Builder::args)
                    .use(objectsWithoutKeys(java.util.Set.of()))
                    .in(TaskMessage.Builder::kwargs)
                    .use(embeds())
                    .in(TaskMessage.Builder::embed)
                    .use(instants().injectNull(0.4))
                    .in(TaskMessage.Builder::eta)
                    .use(instants().injectNull(0.4))
                    .in(TaskMessage.Builder::expires)
                    .use(Arbitraries.integers().between(0, 1000))
                    .in(TaskMessage.Builder::retries)
                    .use(
                        Combinators.combine(seconds().injectNull(0.5), seconds().injectNull(0.5))
                            .as((h, s) -> java.util.Arrays.asList(h, s)))
                    .in((b, l) -> b.timeLimits(l.get(0), l.get(1)))
                    .use(nonBlank().injectNull(0.5))
                    .in(TaskMessage.Builder::rootId)
                    .use(nonBlank().injectNull(0.5))
                    .in(TaskMessage.Builder::parentId)
                    .use(nonBlank().injectNull(0.7))
                    .in((b, g) -> b.group(g, g == null ? null : g.length()))
                    .use(nonBlank().injectNull(0.7))
                    .in(TaskMessage.Builder::shadow)
                    .use(text().injectNull(0.3))
                    .in(TaskMessage.Builder::origin)
                    .use(Arbitraries.of("py", "java"))
                    .in(TaskMessage.Builder::lang)
                    .use(Arbitraries.of(true, false))
                    .in(TaskMessage.Builder::ignoreResult)
                    .use(objectsWithoutKeys(TaskMessage.KNOWN_HEADERS))
                    .in(TaskMessage.Builder::extraHeaders)
                    .build(TaskMessage.Builder::build));
  }

  @Provide
  Arbitrary<Envelope> envelopes() {
    return Builders.withBuilder(() -> new EnvelopeParts())
        .use(messages())
        .in(
            (p, v) -> {
              p.message = v;
              return p;
            })
        .use(text())
        .in(
            (p, v) -> {
              p.exchange = v;
              return p;
            })
        .use(text().filter(s -> !s.isEmpty()))
        .in(
            (p, v) -> {
              p.routingKey = v;
              return p;
            })
        .use(Arbitraries.integers().between(0, 255))
        .in(
            (p, v) -> {
              p.priority = v;
              return p;
            })
        .use(nonBlank())
        .in(
            (p, v) -> {
              p.deliveryTag = v;
              return p;
            })
        .use(text().injectNull(0.3))
        .in(
            (p, v) -> {
              p.correlationId = v;
              return p;
            })
        .use(text().injectNull(0.3))
        .in(
            (p, v) -> {
              p.replyTo = v;
              return p;
            })
        .use(Arbitraries.integers().between(1, 2))
        .in(
            (p, v) -> {
              p.deliveryMode = v;
              return p;
            })
        .use(Arbitraries.longs().between(0, 1L << 40).map(String::valueOf).injectNull(0.5))
        .in(
            (p, v) -> {
              p.expiration = v;
              return p;
            })
        .use(Arbitraries.of(true, false))
        .in(
            (p, v) -> {
              p.redelivered = v;
              return p;
            })
        .use(objectsWithoutKeys(Envelope.KNOWN_PROPERTIES))
        .in(
            (p, v) -> {
              p.extra = v;
              return p;
            })
        .build(EnvelopeParts::build);
  }

  /** Mutable holder for the envelope builder above. */
  private static final class EnvelopeParts {
    TaskMessage message;
    String exchange;
    String routingKey;
    int priority;
    String deliveryTag;
    String correlationId;
    String replyTo;
    int deliveryMode;
    String expiration;
    boolean redelivered;
    ObjectNode extra;

    Envelope build() {
      return new Envelope(
          message,
          exchange,
          routingKey,
          priority,
          deliveryTag,
          correlationId,
          replyTo,
          deliveryMode,
          expiration,
          redelivered,
          extra);
    }
  }

  @Provide
  Arbitrary<ResultMeta> results() {
    Arbitrary<TaskState> states =
        Arbitraries.oneOf(
            Arbitraries.of(
                TaskState.PENDING,
                TaskState.RECEIVED,
                TaskState.STARTED,
                TaskState.RETRY,
                TaskState.SUCCESS,
                TaskState.FAILURE,
                TaskState.REVOKED),
            Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(10).map(TaskState::new));
    Arbitrary<JsonNode> children = argArrays().map(a -> (JsonNode) a);
    return Combinators.combine(
            states,
            jsonValue(3),
            text().injectNull(0.5),
            children,
            instants().injectNull(0.3),
            nonBlank().injectNull(0.7),
            nonBlank().injectNull(0.7),
            nonBlank())
        .as(
            (state, result, tb, ch, done, group, parent, id) ->
                new ResultMeta(state, result, tb, (ArrayNode) ch, done, group, parent, id));
  }
}
