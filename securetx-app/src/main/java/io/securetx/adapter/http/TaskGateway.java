package io.securetx.adapter.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.securetx.SecureTxException;
import io.securetx.task.broker.BrokerStats;
import io.securetx.task.wire.ExceptionInfo;
import io.securetx.task.wire.TaskState;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The task queue as the API's task routes and the dashboard see it: send a task by name, read its
 * state, and an overview for operators. {@code QueueTaskGateway} is the implementation over a
 * broker, a result backend and the registry of the tasks this build knows.
 */
public interface TaskGateway {

  /**
   * Checks the arguments against the task's signature, then sends it.
   *
   * @param name a registered task name or alias
   * @param args positional arguments
   * @param kwargs keyword arguments
   * @return the new task's id and name
   * @throws io.securetx.task.NotRegisteredException if no task has this name
   * @throws io.securetx.task.TaskArgumentException if the arguments do not fit the task
   * @throws io.securetx.task.broker.BrokerException if the broker cannot take it
   */
  TaskStatus submit(String name, ArrayNode args, ObjectNode kwargs);

  /**
   * Sends a task at most once per idempotency key: the first call with the key checks and sends it;
   * a later call with the same key and the same call (task name and arguments) sends nothing and
   * answers with the first call's task; with a different call it is refused. Keys are remembered
   * for the retention the gateway was made with, across every process that shares the broker.
   *
   * @param name a registered task name or alias
   * @param args positional arguments
   * @param kwargs keyword arguments
   * @param idempotencyKey the caller's key
   * @return the task, and whether an earlier call with the key sent it
   * @throws io.securetx.task.NotRegisteredException if no task has this name
   * @throws io.securetx.task.TaskArgumentException if the arguments do not fit the task
   * @throws KeyReusedException if the key was used with a different call
   * @throws io.securetx.task.broker.BrokerException if the broker cannot be reached
   */
  Submission submitOnce(String name, ArrayNode args, ObjectNode kwargs, String idempotencyKey);

  /**
   * The broker's queues and workers, one read: what {@code /readyz} and the metrics ask.
   *
   * @return the snapshot
   * @throws io.securetx.task.broker.BrokerException if the broker cannot be reached
   */
  BrokerStats brokerStats();

  /**
   * A task's state and, once ready, its result.
   *
   * @param taskId the id
   * @return the state, or empty when the id is unknown (never sent, or its result expired)
   */
  Optional<TaskStatus> status(String taskId);

  /**
   * The broker's state and the most recent tasks sent through this gateway.
   *
   * @param recent how many recent tasks to list, newest first
   * @return the overview
   */
  TaskOverview overview(int recent);

  /**
   * What {@link #submitOnce} did.
   *
   * @param status the task
   * @param replayed true when an earlier call with the key sent it and this one sent nothing
   */
  record Submission(TaskStatus status, boolean replayed) {

    /** Checks the status. */
    public Submission {
      Objects.requireNonNull(status, "status");
    }
  }

  /** An idempotency key came again with a different task call; nothing was sent. */
  final class KeyReusedException extends SecureTxException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception; the message never repeats the key. */
    public KeyReusedException() {
      super("this Idempotency-Key was already used with a different task call");
    }
  }

  /**
   * One task as the API shows it.
   *
   * @param id the task id
   * @param name the task name, or null when this process did not send it
   * @param state its state ({@link TaskState#PENDING} until a worker reports)
   * @param result the return value on success, else null
   * @param exception on failure, retry or revocation, the exception Celery stored, else null
   * @param submittedAt when this process sent it, or null
   * @param doneAt when it became ready, or null
   */
  record TaskStatus(
      String id,
      @Nullable String name,
      TaskState state,
      @Nullable JsonNode result,
      @Nullable ExceptionInfo exception,
      @Nullable Instant submittedAt,
      @Nullable Instant doneAt) {

    /** Checks the required fields. */
    public TaskStatus {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(state, "state");
    }
  }

  /**
   * What an operator looks at.
   *
   * @param broker queue depths, scheduled, in-flight and dead messages, live workers
   * @param states how many of the recent tasks are in each state
   * @param recent the recent tasks, newest first
   */
  record TaskOverview(BrokerStats broker, Map<String, Long> states, List<TaskStatus> recent) {

    /** Copies the collections. */
    public TaskOverview {
      Objects.requireNonNull(broker, "broker");
      states = Map.copyOf(states);
      recent = List.copyOf(recent);
    }
  }
}
