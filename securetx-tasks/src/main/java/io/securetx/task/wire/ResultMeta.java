package io.securetx.task.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A task's state and result as Celery's Redis backend stores it under {@link #keyFor(String)} and
 * publishes it on the channel of the same name. {@link CeleryCodec} writes the fields in Celery's
 * order: {@code status, result, traceback, children, date_done}, then {@code group_id} and {@code
 * parent_id} when set, then {@code task_id}. The JSON nodes are copied in and out, so a {@code
 * ResultMeta} is immutable.
 *
 * @param state {@code status}
 * @param result the return value for SUCCESS, the encoded exception for RETRY, FAILURE and REVOKED,
 *     {@code {"pid", "hostname"}} for STARTED, JSON null otherwise
 * @param traceback the Python-style traceback of a failure, or null
 * @param children results of subtasks in Celery's tuple form; usually empty
 * @param dateDone when the task finished, or null while it is not ready
 * @param groupId the group the task belongs to, or null
 * @param parentId the task that sent this one, or null
 * @param taskId the task id; Python's {@code AsyncResult.get()} needs it
 */
public record ResultMeta(
    TaskState state,
    JsonNode result,
    @Nullable String traceback,
    ArrayNode children,
    @Nullable Instant dateDone,
    @Nullable String groupId,
    @Nullable String parentId,
    String taskId) {

  /** The prefix of the result key and channel. */
  public static final String KEY_PREFIX = "celery-task-meta-";

  /**
   * Validates and copies the fields.
   *
   * @throws IllegalArgumentException if the task id is blank, the date out of Python's range, or
   *     the result holds a value some Celery reader would misread
   */
  public ResultMeta {
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(result, "result");
    Objects.requireNonNull(children, "children");
    if (taskId == null || taskId.isBlank()) {
      throw new IllegalArgumentException("taskId must not be blank");
    }
    for (String text : Arrays.asList(state.name(), traceback, groupId, parentId, taskId)) {
      Json.requireWellFormed(text, "a ResultMeta string");
    }
    Json.requireWireSafe(result, "result");
    Json.requireWireSafe(children, "children");
    result = result.deepCopy();
    children = children.deepCopy();
    if (dateDone != null) {
      dateDone = IsoTimes.toPython(dateDone, "dateDone");
    }
  }

  /**
   * Returns the Redis key of a task's result.
   *
   * @param taskId the task id
   * @return {@code celery-task-meta-<taskId>}
   */
  public static String keyFor(String taskId) {
    return KEY_PREFIX + taskId;
  }

  /**
   * Returns the pub/sub channel a task's result is published on: the same name as the key.
   *
   * @param taskId the task id
   * @return {@code celery-task-meta-<taskId>}
   */
  public static String channelFor(String taskId) {
    return keyFor(taskId);
  }

  /**
   * What a missing key means: the task is unknown, not yet done, or its result expired.
   *
   * @param taskId the task id
   * @return a PENDING meta with a null result
   */
  public static ResultMeta pending(String taskId) {
    return of(TaskState.PENDING, Json.NODES.nullNode(), null, null, taskId);
  }

  /**
   * A worker started the task.
   *
   * @param taskId the task id
   * @param pid the worker process id
   * @param hostname the worker's node name
   * @return a STARTED meta
   */
  public static ResultMeta started(String taskId, long pid, String hostname) {
    ObjectNode info = Json.NODES.objectNode();
    info.put("pid", pid);
    info.put("hostname", hostname);
    return of(TaskState.STARTED, info, null, null, taskId);
  }

  /**
   * The task returned a value.
   *
   * @param taskId the task id
   * @param result the return value as JSON
   * @param dateDone when it finished
   * @return a SUCCESS meta
   */
  public static ResultMeta success(String taskId, JsonNode result, Instant dateDone) {
    return of(TaskState.SUCCESS, result, null, dateDone, taskId);
  }

  /**
   * The task failed for good.
   *
   * @param taskId the task id
   * @param error the exception
   * @param traceback the traceback text, or null
   * @param dateDone when it failed
   * @return a FAILURE meta
   */
  public static ResultMeta failure(
      String taskId, ExceptionInfo error, @Nullable String traceback, Instant dateDone) {
    return of(TaskState.FAILURE, error.toJson(), traceback, dateDone, taskId);
  }

  /**
   * The task failed and was sent again; its children name the retried call, as Celery writes it.
   *
   * @param taskId the task id
   * @param error the exception that caused the retry
   * @param traceback the traceback text, or null
   * @return a RETRY meta
   */
  public static ResultMeta retry(String taskId, ExceptionInfo error, @Nullable String traceback) {
    ArrayNode self = Json.NODES.arrayNode();
    self.addArray().add(taskId).addNull();
    self.addNull();
    ArrayNode children = Json.NODES.arrayNode();
    children.add(self);
    return new ResultMeta(
        TaskState.RETRY, error.toJson(), traceback, children, null, null, null, taskId);
  }

  /**
   * The task was revoked before it ran, such as with {@code ExceptionInfo.revoked("expired")}.
   *
   * @param taskId the task id
   * @param reason the revocation exception
   * @param dateDone when it was revoked
   * @return a REVOKED meta
   */
  public static ResultMeta revoked(String taskId, ExceptionInfo reason, Instant dateDone) {
    return of(TaskState.REVOKED, reason.toJson(), null, dateDone, taskId);
  }

  private static ResultMeta of(
      TaskState state,
      JsonNode result,
      @Nullable String traceback,
      @Nullable Instant dateDone,
      String taskId) {
    return new ResultMeta(
        state, result, traceback, Json.NODES.arrayNode(), dateDone, null, null, taskId);
  }

  /**
   * Returns a copy with the parent and group ids set, as Celery writes them for retried and grouped
   * tasks.
   *
   * @param parentId the parent task id, or null
   * @param groupId the group id, or null
   * @return the copy
   */
  public ResultMeta withLineage(@Nullable String parentId, @Nullable String groupId) {
    return new ResultMeta(state, result, traceback, children, dateDone, groupId, parentId, taskId);
  }

  /**
   * Reads the exception of an exception state.
   *
   * @return the exception, or empty if the state is not an exception state or the result is not
   *     Celery's exception encoding
   */
  public Optional<ExceptionInfo> exception() {
    return state.isException() ? ExceptionInfo.fromJson(result) : Optional.empty();
  }

  @Override
  public JsonNode result() {
    return result.deepCopy();
  }

  @Override
  public ArrayNode children() {
    return children.deepCopy();
  }
}
