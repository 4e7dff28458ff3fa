package io.securetx.task.client;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.securetx.task.backend.ResultBackend;
import io.securetx.task.backend.ResultSubscription;
import io.securetx.task.broker.Broker;
import io.securetx.task.wire.CeleryCodec;
import io.securetx.task.wire.Envelope;
import io.securetx.task.wire.TaskMessage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Sends tasks by name, as Celery's {@code send_task} / {@code apply_async}: the message a Python
 * worker expects, pushed to the queue's priority list. Safe for use by many threads.
 *
 * <pre>{@code
 * try (AsyncResult r = client.task("send_welcome_email")
 *     .kwarg("user_id", 123).kwarg("email", "a@example.com")
 *     .countdown(Duration.ofSeconds(10)).queue("emails").send()) {
 *   JsonNode result = r.get(Duration.ofSeconds(30));
 * }
 * }</pre>
 */
public final class TaskClient {

  /** Celery's default queue. */
  public static final String DEFAULT_QUEUE = "celery";

  private final Broker broker;
  private final ResultBackend backend;
  private final Clock clock;
  private final CeleryCodec codec = CeleryCodec.create();
  private final String origin;

  /**
   * Creates a client.
   *
   * @param broker where messages go
   * @param backend where results are read
   * @param clock the source of time for countdowns and expiry
   */
  public TaskClient(Broker broker, ResultBackend backend, Clock clock) {
    this.broker = requireNonNull(broker, "broker");
    this.backend = requireNonNull(backend, "backend");
    this.clock = requireNonNull(clock, "clock");
    this.origin = "java" + ProcessHandle.current().pid() + "@securetx";
  }

  /**
   * Starts a call of a task.
   *
   * @param name the task name, such as {@code send_welcome_email}
   * @return the call, to fill in and send
   * @throws IllegalArgumentException if the name is blank
   */
  public Call task(String name) {
    return new Call(TaskMessage.builder(name).origin(origin), clock);
  }

  /**
   * A handle on a task sent earlier, for instance by another process.
   *
   * @param taskId the task id
   * @return the handle; it subscribes when first waited on
   */
  public AsyncResult result(String taskId) {
    return new AsyncResult(taskId, backend, null);
  }

  /**
   * Sends many calls in one round trip; none of them is subscribed to.
   *
   * @param calls the calls
   * @return their task ids, in order
   * @throws io.securetx.task.broker.BrokerException if the broker cannot be reached
   */
  public List<String> sendAll(List<Call> calls) {
    List<Broker.Outgoing> out = new ArrayList<>(calls.size());
    List<String> ids = new ArrayList<>(calls.size());
    for (Call call : calls) {
      Envelope envelope = call.envelope();
      out.add(new Broker.Outgoing(envelope.listName(), codec.encode(envelope)));
      ids.add(envelope.message().id());
    }
    broker.publish(out);
    return ids;
  }

  /** One task call being put together; send it with {@link #send()}. Not thread-safe. */
  public final class Call {
    private final TaskMessage.Builder message;
    private final Clock clock;
    private String queue = DEFAULT_QUEUE;
    private int priority;
    private @Nullable Duration countdown;
    private @Nullable Duration expiresIn;
    private boolean ignoreResult;

    private Call(TaskMessage.Builder message, Clock clock) {
      this.message = message;
      this.clock = clock;
    }

    /**
     * Sets the task id; a random UUID otherwise.
     *
     * @param id the id
     * @return this call
     */
    public Call id(String id) {
      message.id(id).rootId(id);
      return this;
    }

    /**
     * Sets the positional arguments.
     *
     * @param args a JSON array
     * @return this call
     */
    public Call args(ArrayNode args) {
      message.args(args);
      return this;
    }

    /**
     * Sets the positional arguments from Java values (strings, numbers, booleans, null, lists,
     * maps, JSON nodes).
     *
     * @param values the arguments
     * @return this call
     */
    public Call args(@Nullable Object... values) {
      message.args(values);
      return this;
    }

    /**
     * Sets the keyword arguments.
     *
     * @param kwargs a JSON object
     * @return this call
     */
    public Call kwargs(ObjectNode kwargs) {
      message.kwargs(kwargs);
      return this;
    }

    /**
     * Adds one keyword argument.
     *
     * @param name its name, snake_case as Python spells it
     * @param value its value
     * @return this call
     */
    public Call kwarg(String name, @Nullable Object value) {
      message.kwarg(name, value);
      return this;
    }

    /**
     * Runs the task no earlier than this long after sending (Celery's {@code countdown}).
     *
     * @param delay the delay
     * @return this call
     */
    public Call countdown(Duration delay) {
      this.countdown = requireNonNull(delay, "delay");
      return this;
    }

    /**
     * Runs the task no earlier than this time (Celery's {@code eta}).
     *
     * @param eta the time
     * @return this call
     */
    public Call eta(Instant eta) {
      message.eta(eta);
      this.countdown = null;
      return this;
    }

    /**
     * Revokes the task instead of running it if it is received this long after sending.
     *
     * @param expiresIn the time to live
     * @return this call
     */
    public Call expiresIn(Duration expiresIn) {
      this.expiresIn = requireNonNull(expiresIn, "expiresIn");
      return this;
    }

    /**
     * Sets the queue; {@code celery} otherwise.
     *
     * @param queue the queue name
     * @return this call
     */
    public Call queue(String queue) {
      if (requireNonNull(queue, "queue").isEmpty()) {
        throw new IllegalArgumentException("queue must not be empty");
      }
      this.queue = queue;
      return this;
    }

    /**
     * Sets the priority, 0 to 255; lower runs first, in Celery's four steps 0, 3, 6, 9.
     *
     * @param priority the priority
     * @return this call
     */
    public Call priority(int priority) {
      if (priority < 0 || priority > 255) {
        throw new IllegalArgumentException("priority must be within 0..255, was " + priority);
      }
      this.priority = priority;
      return this;
    }

    /**
     * Sets hard and soft time limits in seconds (Celery's {@code time_limit}, {@code
     * soft_time_limit}); null for none.
     *
     * @param hard the hard limit
     * @param soft the soft limit
     * @return this call
     */
    public Call timeLimits(@Nullable Double hard, @Nullable Double soft) {
      message.timeLimits(hard, soft);
      return this;
    }

    /**
     * Asks the worker to store no result.
     *
     * @return this call
     */
    public Call ignoreResult() {
      this.ignoreResult = true;
      message.ignoreResult(true);
      return this;
    }

    Envelope envelope() {
      Instant now = clock.instant();
      if (countdown != null) {
        message.eta(now.plus(countdown));
      }
      if (expiresIn != null) {
        message.expires(now.plus(expiresIn));
      }
      Envelope plain = Envelope.of(message.build(), queue, priority);
      // kombu also writes the TTL in milliseconds as a property; Redis ignores it, tools show it.
      return expiresIn == null
          ? plain
          : plain.withExpiration(Long.toString(Math.max(0, expiresIn.toMillis())));
    }

    /**
     * Sends the task without listening for its result (read it later with {@link
     * TaskClient#result}).
     *
     * @return the task id
     * @throws io.securetx.task.broker.BrokerException if the broker cannot be reached
     */
    public String publish() {
      Envelope envelope = envelope();
      broker.publish(List.of(new Broker.Outgoing(envelope.listName(), codec.encode(envelope))));
      return envelope.message().id();
    }

    /**
     * Sends the task only if {@code claim} was not claimed before (see {@link
     * Broker#publishOnce(String, String, Duration, Broker.Outgoing)}), as an idempotency key does.
     *
     * @param claim the claim's name
     * @param value what the claim keeps, returned to later calls
     * @param ttl how long the claim lasts
     * @return empty when this call sent the task; otherwise the value the first call kept
     * @throws io.securetx.task.broker.BrokerException if the broker cannot be reached
     */
    public Optional<String> publishOnce(String claim, String value, Duration ttl) {
      Envelope envelope = envelope();
      return broker.publishOnce(
          claim, value, ttl, new Broker.Outgoing(envelope.listName(), codec.encode(envelope)));
    }

    /**
     * Sends the task. Unless the result is ignored, the returned handle is subscribed to the task's
     * result before the message is pushed, as Celery's client does.
     *
     * @return the handle; close it when done
     * @throws io.securetx.task.broker.BrokerException if the broker cannot be reached
     * @throws io.securetx.task.backend.ResultBackendException if the backend cannot be reached
     */
    public AsyncResult send() {
      Envelope envelope = envelope();
      String id = envelope.message().id();
      ResultSubscription subscription = ignoreResult ? null : backend.subscribe(id);
      try {
        broker.publish(List.of(new Broker.Outgoing(envelope.listName(), codec.encode(envelope))));
      } catch (RuntimeException e) {
        if (subscription != null) {
          subscription.close();
        }
        throw e;
      }
      return new AsyncResult(id, backend, subscription);
    }
  }
}
