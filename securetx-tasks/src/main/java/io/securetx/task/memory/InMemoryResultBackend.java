package io.securetx.task.memory;

import static java.util.Objects.requireNonNull;

import io.securetx.task.backend.ResultBackend;
import io.securetx.task.backend.ResultSubscription;
import io.securetx.task.wire.ResultMeta;
import io.securetx.task.wire.TaskState;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A {@link ResultBackend} in this process's memory. Results never expire; subscribers wait on a
 * condition that every store signals.
 */
public final class InMemoryResultBackend implements ResultBackend {

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition stored = lock.newCondition();
  private final Map<String, ResultMeta> results = new HashMap<>();

  /** Creates an empty backend. */
  public InMemoryResultBackend() {}

  @Override
  public void store(List<ResultMeta> metas) {
    requireNonNull(metas, "metas");
    lock.lock();
    try {
      for (ResultMeta meta : metas) {
        ResultMeta current = results.get(meta.taskId());
        if (current == null || !current.state().equals(TaskState.SUCCESS)) {
          results.put(meta.taskId(), meta);
        }
      }
      stored.signalAll();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public Optional<ResultMeta> get(String taskId) {
    requireNonNull(taskId, "taskId");
    lock.lock();
    try {
      return Optional.ofNullable(results.get(taskId));
    } finally {
      lock.unlock();
    }
  }

  @Override
  public Map<String, ResultMeta> getAll(List<String> taskIds) {
    requireNonNull(taskIds, "taskIds");
    lock.lock();
    try {
      Map<String, ResultMeta> found = new LinkedHashMap<>();
      for (String id : taskIds) {
        ResultMeta meta = results.get(id);
        if (meta != null) {
          found.put(id, meta);
        }
      }
      return found;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public ResultSubscription subscribe(String taskId) {
    requireNonNull(taskId, "taskId");
    return new ResultSubscription() {
      @Override
      public ResultMeta awaitReady(Duration timeout) throws TimeoutException, InterruptedException {
        long remaining = timeout.toNanos();
        lock.lockInterruptibly();
        try {
          while (true) {
            ResultMeta meta = results.get(taskId);
            if (meta != null && meta.state().isReady()) {
              return meta;
            }
            if (remaining <= 0) {
              throw new TimeoutException(
                  "task " + taskId + " was not ready within " + timeout.toMillis() + " ms");
            }
            remaining = stored.awaitNanos(remaining);
          }
        } finally {
          lock.unlock();
        }
      }

      @Override
      public void close() {}
    };
  }

  @Override
  public void close() {}
}
