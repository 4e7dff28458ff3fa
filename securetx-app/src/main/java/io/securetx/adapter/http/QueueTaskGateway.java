package io.securetx.adapter.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.securetx.crypto.Sha256;
import io.securetx.task.TaskRegistry;
import io.securetx.task.backend.ResultBackend;
import io.securetx.task.broker.Broker;
import io.securetx.task.broker.BrokerStats;
import io.securetx.task.client.TaskClient;
import io.securetx.task.wire.ResultMeta;
import io.securetx.task.wire.TaskState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A {@link TaskGateway} over a broker and a result backend: the in-process queue on the embedded
 * defaults, Redis in production. Arguments are bound against the registry's signature before
 * anything is sent, so a wrong call is refused at once instead of failing later on a worker. The
 * gateway remembers the last {@value #REMEMBERED} tasks it sent (names and times, not arguments),
 * for the overview and for telling a pending task from an unknown id.
 */
public final class QueueTaskGateway implements TaskGateway {

  static final int REMEMBERED = 1000;

  private static final ObjectMapper CANONICAL =
      JsonMapper.builder().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS).build();

  private final TaskRegistry registry;
  private final Broker broker;
  private final ResultBackend backend;
  private final TaskClient client;
  private final Clock clock;
  private final List<String> queues;
  private final Duration retention;
  private final Deque<Sent> sent = new ArrayDeque<>();

  /**
   * Creates a gateway.
   *
   * @param registry the tasks that may be sent, with their signatures
   * @param broker the broker the tasks go to (the caller closes it)
   * @param backend where workers store results (the caller closes it)
   * @param clock the source of submission times
   */
  public QueueTaskGateway(
      TaskRegistry registry, Broker broker, ResultBackend backend, Clock clock) {
    this(registry, broker, backend, clock, Duration.ofHours(24));
  }

  /**
   * Creates a gateway that remembers idempotency keys for a given time.
   *
   * @param registry the tasks that may be sent, with their signatures
   * @param broker the broker the tasks go to (the caller closes it)
   * @param backend where workers store results (the caller closes it)
   * @param clock the source of submission times
   * @param retention how long an idempotency key of {@link #submitOnce} is remembered
   */
  public QueueTaskGateway(
      TaskRegistry registry,
      Broker broker,
      ResultBackend backend,
      Clock clock,
      Duration retention) {
    if (retention.isNegative() || retention.isZero()) {
      throw new IllegalArgumentException("retention must be positive, got " + retention);
    }
    this.retention = retention;
    this.registry = registry;
    this.broker = broker;
    this.backend = backend;
    this.clock = clock;
    this.client = new TaskClient(broker, backend, clock);
    this.queues = List.of(TaskClient.DEFAULT_QUEUE);
  }

  @Override
  public TaskStatus submit(String name, ArrayNode args, ObjectNode kwargs) {
    registry.bind(name, args, kwargs);
    Instant now = clock.instant();
    String id = client.task(name).args(args).kwargs(kwargs).publish();
    remember(new Sent(id, name, now));
    return new TaskStatus(id, name, TaskState.PENDING, null, null, now, null);
  }

  @Override
  public Submission submitOnce(
      String name, ArrayNode args, ObjectNode kwargs, String idempotencyKey) {
    registry.bind(name, args, kwargs);
    Instant now = clock.instant();
    String id = UUID.randomUUID().toString();
    String fingerprint = Sha256.hex(canonical(name, args, kwargs));
    // The claim is named by a hash, so the key itself is never stored in the broker.
    String claim = "http-task." + Sha256.hex(idempotencyKey);
    Optional<String> held =
        client
            .task(name)
            .id(id)
            .args(args)
            .kwargs(kwargs)
            .publishOnce(claim, id + " " + fingerprint, retention);
    if (held.isEmpty()) {
      remember(new Sent(id, name, now));
      return new Submission(
          new TaskStatus(id, name, TaskState.PENDING, null, null, now, null), false);
    }
    int space = held.get().indexOf(' ');
    if (space < 0 || !held.get().substring(space + 1).equals(fingerprint)) {
      throw new KeyReusedException();
    }
    String first = held.get().substring(0, space);
    TaskStatus status =
        status(first)
            .orElseGet(
                () -> new TaskStatus(first, name, TaskState.PENDING, null, null, null, null));
    return new Submission(status, true);
  }

  @Override
  public BrokerStats brokerStats() {
    return broker.stats(queues);
  }

  /** The call as canonical JSON: name, then the arguments with object keys sorted. */
  private static String canonical(String name, ArrayNode args, ObjectNode kwargs) {
    try {
      return CANONICAL.writeValueAsString(
          List.of(
              name,
              CANONICAL.convertValue(args, Object.class),
              CANONICAL.convertValue(kwargs, Object.class)));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot render a task call", e);
    }
  }

  private void remember(Sent task) {
    synchronized (sent) {
      sent.addFirst(task);
      if (sent.size() > REMEMBERED) {
        sent.removeLast();
      }
    }
  }

  @Override
  public Optional<TaskStatus> status(String taskId) {
    Sent mine = find(taskId);
    Optional<ResultMeta> meta = backend.get(taskId);
    if (meta.isEmpty()) {
      return mine == null
          ? Optional.empty()
          : Optional.of(
              new TaskStatus(taskId, mine.name(), TaskState.PENDING, null, null, mine.at(), null));
    }
    return Optional.of(status(meta.get(), mine));
  }

  @Override
  public TaskOverview overview(int recent) {
    BrokerStats stats = broker.stats(queues);
    List<Sent> remembered;
    synchronized (sent) {
      remembered = new ArrayList<>(sent);
    }
    Map<String, ResultMeta> metas =
        remembered.isEmpty()
            ? Map.of()
            : backend.getAll(remembered.stream().map(Sent::id).toList());
    Map<String, Long> states = new TreeMap<>();
    List<TaskStatus> listed = new ArrayList<>();
    for (Sent task : remembered) {
      ResultMeta meta = metas.get(task.id());
      TaskStatus status =
          meta == null
              ? new TaskStatus(
                  task.id(), task.name(), TaskState.PENDING, null, null, task.at(), null)
              : status(meta, task);
      states.merge(status.state().name(), 1L, Long::sum);
      if (listed.size() < recent) {
        listed.add(status);
      }
    }
    return new TaskOverview(stats, new LinkedHashMap<>(states), listed);
  }

  private @Nullable Sent find(String taskId) {
    synchronized (sent) {
      for (Sent task : sent) {
        if (task.id().equals(taskId)) {
          return task;
        }
      }
    }
    return null;
  }

  private static TaskStatus status(ResultMeta meta, @Nullable Sent mine) {
    return new TaskStatus(
        meta.taskId(),
        mine == null ? null : mine.name(),
        meta.state(),
        meta.exception().isPresent() ? null : meta.result(),
        meta.exception().orElse(null),
        mine == null ? null : mine.at(),
        meta.dateDone());
  }

  private record Sent(String id, String name, Instant at) {}
}
