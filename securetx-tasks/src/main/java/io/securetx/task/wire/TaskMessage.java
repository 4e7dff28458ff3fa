package io.securetx.task.wire;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * One task call in Celery protocol 2: the headers Celery 5.2 writes ({@code as_task_v2}) and the
 * body {@code [args, kwargs, embed]}. Times are kept to the microsecond, as Python does. Arguments
 * are JSON trees, copied in and out, so a {@code TaskMessage} is immutable; build one with {@link
 * #builder(String)}.
 *
 * @param id the task id ({@code headers.id}), usually a UUID
 * @param task the registered task name ({@code headers.task})
 * @param args positional arguments, a JSON array
 * @param kwargs keyword arguments, a JSON object
 * @param embed what runs after the task
 * @param eta the earliest time to run, or null for now
 * @param expires the time after which the task is revoked instead of run, or null
 * @param retries how many times the task was retried so far
 * @param hardTimeLimit the hard time limit in seconds ({@code timelimit[0]}), or null
 * @param softTimeLimit the soft time limit in seconds ({@code timelimit[1]}), or null
 * @param rootId the id of the first task of the workflow (its own id for a top-level call), or null
 * @param parentId the id of the task that sent this one, or null
 * @param group the id of the group the task belongs to, or null
 * @param groupIndex the task's position in its group, or null
 * @param shadow a display name that overrides {@code task} in logs, or null
 * @param origin who sent it ({@code gen<pid>@<host>} from Python), or null
 * @param lang the producer's language, {@code "py"} for every Celery producer
 * @param argsrepr Python's {@code repr} of the arguments, only for logs
 * @param kwargsrepr Python's {@code repr} of the keyword arguments, only for logs
 * @param ignoreResult true when the worker must store no result
 * @param extraHeaders any other headers (custom {@code headers=} of {@code apply_async}, newer
 *     Celery's stamping headers), kept so a re-sent message keeps them
 */
public record TaskMessage(
    String id,
    String task,
    ArrayNode args,
    ObjectNode kwargs,
    Embed embed,
    @Nullable Instant eta,
    @Nullable Instant expires,
    int retries,
    @Nullable Double hardTimeLimit,
    @Nullable Double softTimeLimit,
    @Nullable String rootId,
    @Nullable String parentId,
    @Nullable String group,
    @Nullable Integer groupIndex,
    @Nullable String shadow,
    @Nullable String origin,
    String lang,
    String argsrepr,
    String kwargsrepr,
    boolean ignoreResult,
    ObjectNode extraHeaders) {

  /** The headers that have their own component; {@code extraHeaders} may not repeat them. */
  static final Set<String> KNOWN_HEADERS =
      Set.of(
          "lang",
          "task",
          "id",
          "shadow",
          "eta",
          "expires",
          "group",
          "group_index",
          "retries",
          "timelimit",
          "root_id",
          "parent_id",
          "argsrepr",
          "kwargsrepr",
          "origin",
          "ignore_result",
          "redelivered");

  /**
   * Validates every field and copies the JSON trees.
   *
   * @throws IllegalArgumentException if a field is blank, negative or out of Python's range, an
   *     extra header repeats a known one, or the arguments hold a value some Celery reader would
   *     misread (NaN, infinity, an object with exactly the keys {@code __type__} and {@code
   *     __value__})
   */
  public TaskMessage {
    requireNonBlank(id, "id");
    requireNonBlank(task, "task");
    requireNonBlank(lang, "lang");
    Objects.requireNonNull(args, "args");
    Objects.requireNonNull(kwargs, "kwargs");
    Objects.requireNonNull(embed, "embed");
    Objects.requireNonNull(argsrepr, "argsrepr");
    Objects.requireNonNull(kwargsrepr, "kwargsrepr");
    Objects.requireNonNull(extraHeaders, "extraHeaders");
    for (String text : Arrays.asList(id, task, lang, argsrepr, kwargsrepr)) {
      Json.requireWellFormed(text, "a TaskMessage string");
    }
    for (String text : Arrays.asList(rootId, parentId, group, shadow, origin)) {
      Json.requireWellFormed(text, "a TaskMessage string");
    }
    Json.requireWireSafe(args, "args");
    Json.requireWireSafe(kwargs, "kwargs");
    Json.requireWireSafe(extraHeaders, "extraHeaders");
    args = args.deepCopy();
    kwargs = kwargs.deepCopy();
    extraHeaders = extraHeaders.deepCopy();
    for (String name : KNOWN_HEADERS) {
      if (extraHeaders.has(name)) {
        throw new IllegalArgumentException(
            "extraHeaders must not contain the known header \"" + name + "\"");
      }
    }
    if (eta != null) {
      eta = IsoTimes.toPython(eta, "eta");
    }
    if (expires != null) {
      expires = IsoTimes.toPython(expires, "expires");
    }
    if (retries < 0) {
      throw new IllegalArgumentException("retries must not be negative, was " + retries);
    }
    requireSeconds(hardTimeLimit, "hardTimeLimit");
    requireSeconds(softTimeLimit, "softTimeLimit");
    if (groupIndex != null && groupIndex < 0) {
      throw new IllegalArgumentException("groupIndex must not be negative, was " + groupIndex);
    }
  }

  /**
   * Starts a message for a task with a random id, no arguments, its own id as root and every other
   * field as Celery sets it for a plain {@code send_task}.
   *
   * @param task the registered task name
   * @return a builder
   */
  public static Builder builder(String task) {
    return new Builder(task);
  }

  /**
   * Starts a builder holding every field of this message, for example to re-send it as a retry.
   *
   * @return a builder
   */
  public Builder toBuilder() {
    return new Builder(this);
  }

  @Override
  public ArrayNode args() {
    return args.deepCopy();
  }

  @Override
  public ObjectNode kwargs() {
    return kwargs.deepCopy();
  }

  @Override
  public ObjectNode extraHeaders() {
    return extraHeaders.deepCopy();
  }

  private static void requireNonBlank(String value, String what) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(what + " must not be blank");
    }
  }

  private static void requireSeconds(@Nullable Double value, String what) {
    if (value != null && (!Double.isFinite(value) || value < 0)) {
      throw new IllegalArgumentException(what + " must be a non-negative number, was " + value);
    }
  }

  /** Builds a {@link TaskMessage}; every setter replaces the previous value. */
  public static final class Builder {
    private @Nullable String id;
    private final String task;
    private ArrayNode args = Json.NODES.arrayNode();
    private ObjectNode kwargs = Json.NODES.objectNode();
    private Embed embed = Embed.NONE;
    private @Nullable Instant eta;
    private @Nullable Instant expires;
    private int retries;
    private @Nullable Double hardTimeLimit;
    private @Nullable Double softTimeLimit;
    private boolean rootIdSet;
    private @Nullable String rootId;
    private @Nullable String parentId;
    private @Nullable String group;
    private @Nullable Integer groupIndex;
    private @Nullable String shadow;
    private @Nullable String origin;
    private String lang = "py";
    private @Nullable String argsrepr;
    private @Nullable String kwargsrepr;
    private boolean ignoreResult;
    private ObjectNode extraHeaders = Json.NODES.objectNode();

    private Builder(String task) {
      this.task = task;
    }

    private Builder(TaskMessage m) {
      this.id = m.id;
      this.task = m.task;
      this.args = m.args;
      this.kwargs = m.kwargs;
      this.embed = m.embed;
      this.eta = m.eta;
      this.expires = m.expires;
      this.retries = m.retries;
      this.hardTimeLimit = m.hardTimeLimit;
      this.softTimeLimit = m.softTimeLimit;
      this.rootIdSet = true;
      this.rootId = m.rootId;
      this.parentId = m.parentId;
      this.group = m.group;
      this.groupIndex = m.groupIndex;
      this.shadow = m.shadow;
      this.origin = m.origin;
      this.lang = m.lang;
      this.argsrepr = m.argsrepr;
      this.kwargsrepr = m.kwargsrepr;
      this.ignoreResult = m.ignoreResult;
      this.extraHeaders = m.extraHeaders;
    }

    /**
     * Sets the task id; without it {@link #build()} draws a random UUID.
     *
     * @param id the task id
     * @return this builder
     */
    public Builder id(String id) {
      this.id = id;
      return this;
    }

    /**
     * Sets the positional arguments and forgets a previous {@code argsrepr}.
     *
     * @param args a JSON array
     * @return this builder
     */
    public Builder args(ArrayNode args) {
      this.args = args;
      this.argsrepr = null;
      return this;
    }

    /**
     * Sets the positional arguments from Java values that Jackson can turn into JSON.
     *
     * @param values the arguments; null stands for Python's None
     * @return this builder
     * @throws IllegalArgumentException if a value cannot be turned into JSON
     */
    public Builder args(@Nullable Object... values) {
      return args((ArrayNode) Json.MAPPER.valueToTree(Arrays.asList(values)));
    }

    /**
     * Sets the keyword arguments and forgets a previous {@code kwargsrepr}.
     *
     * @param kwargs a JSON object
     * @return this builder
     */
    public Builder kwargs(ObjectNode kwargs) {
      this.kwargs = kwargs;
      this.kwargsrepr = null;
      return this;
    }

    /**
     * Adds one keyword argument from a Java value that Jackson can turn into JSON.
     *
     * @param name the argument name
     * @param value the value; null stands for Python's None
     * @return this builder
     * @throws IllegalArgumentException if the value cannot be turned into JSON
     */
    public Builder kwarg(String name, @Nullable Object value) {
      ObjectNode copy = kwargs.deepCopy();
      copy.set(name, Json.MAPPER.valueToTree(value));
      return kwargs(copy);
    }

    /**
     * Sets what runs after the task.
     *
     * @param embed callbacks, errbacks, chain and chord
     * @return this builder
     */
    public Builder embed(Embed embed) {
      this.embed = embed;
      return this;
    }

    /**
     * Sets the earliest time to run.
     *
     * @param eta the time, or null for now
     * @return this builder
     */
    public Builder eta(@Nullable Instant eta) {
      this.eta = eta;
      return this;
    }

    /**
     * Sets the time after which the task is revoked instead of run.
     *
     * @param expires the time, or null for never
     * @return this builder
     */
    public Builder expires(@Nullable Instant expires) {
      this.expires = expires;
      return this;
    }

    /**
     * Sets how many times the task was retried so far.
     *
     * @param retries zero or more
     * @return this builder
     */
    public Builder retries(int retries) {
      this.retries = retries;
      return this;
    }

    /**
     * Sets the time limits, in seconds.
     *
     * @param hard the hard limit, or null
     * @param soft the soft limit, or null
     * @return this builder
     */
    public Builder timeLimits(@Nullable Double hard, @Nullable Double soft) {
      this.hardTimeLimit = hard;
      this.softTimeLimit = soft;
      return this;
    }

    /**
     * Sets the workflow's root id; without it the root is the task's own id.
     *
     * @param rootId the root task id, or null
     * @return this builder
     */
    public Builder rootId(@Nullable String rootId) {
      this.rootId = rootId;
      this.rootIdSet = true;
      return this;
    }

    /**
     * Sets the id of the task that sent this one.
     *
     * @param parentId the parent id, or null
     * @return this builder
     */
    public Builder parentId(@Nullable String parentId) {
      this.parentId = parentId;
      return this;
    }

    /**
     * Sets the group membership.
     *
     * @param group the group id, or null
     * @param groupIndex the position in the group, or null
     * @return this builder
     */
    public Builder group(@Nullable String group, @Nullable Integer groupIndex) {
      this.group = group;
      this.groupIndex = groupIndex;
      return this;
    }

    /**
     * Sets the display name that overrides the task name in logs.
     *
     * @param shadow the name, or null
     * @return this builder
     */
    public Builder shadow(@Nullable String shadow) {
      this.shadow = shadow;
      return this;
    }

    /**
     * Sets who sent the message, such as {@code java@host}.
     *
     * @param origin the sender, or null
     * @return this builder
     */
    public Builder origin(@Nullable String origin) {
      this.origin = origin;
      return this;
    }

    /**
     * Sets the producer's language; every Celery producer says {@code "py"}.
     *
     * @param lang the language tag
     * @return this builder
     */
    public Builder lang(String lang) {
      this.lang = lang;
      return this;
    }

    /**
     * Sets the logged forms of the arguments; without them {@link #build()} computes Python's
     * {@code repr}.
     *
     * @param argsrepr the positional arguments' repr, or null to compute it
     * @param kwargsrepr the keyword arguments' repr, or null to compute it
     * @return this builder
     */
    public Builder reprs(@Nullable String argsrepr, @Nullable String kwargsrepr) {
      this.argsrepr = argsrepr;
      this.kwargsrepr = kwargsrepr;
      return this;
    }

    /**
     * Sets whether the worker must store no result.
     *
     * @param ignoreResult true to store nothing
     * @return this builder
     */
    public Builder ignoreResult(boolean ignoreResult) {
      this.ignoreResult = ignoreResult;
      return this;
    }

    /**
     * Sets the headers that have no component of their own.
     *
     * @param extraHeaders a JSON object without any known header name
     * @return this builder
     */
    public Builder extraHeaders(ObjectNode extraHeaders) {
      this.extraHeaders = extraHeaders;
      return this;
    }

    /**
     * Builds the message.
     *
     * @return the message
     * @throws IllegalArgumentException if a field is invalid (see the record's constructor)
     */
    public TaskMessage build() {
      String taskId = id != null ? id : UUID.randomUUID().toString();
      return new TaskMessage(
          taskId,
          task,
          args,
          kwargs,
          embed,
          eta,
          expires,
          retries,
          hardTimeLimit,
          softTimeLimit,
          rootIdSet ? rootId : taskId,
          parentId,
          group,
          groupIndex,
          shadow,
          origin,
          lang,
          argsrepr != null ? argsrepr : PythonRepr.of(args),
          kwargsrepr != null ? kwargsrepr : PythonRepr.of(kwargs),
          ignoreResult,
          extraHeaders);
    }
  }
}
