package io.securetx.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.securetx.adapter.sql.DatabaseUrl;
import io.securetx.adapter.sql.SqlLedgerStore;
import io.securetx.config.ConfigLoader;
import io.securetx.config.SecureTxConfig;
import io.securetx.crypto.tink.TinkKeyRing;
import io.securetx.ledger.LedgerOptions;
import io.securetx.task.backend.ResultBackend;
import io.securetx.task.backend.ResultSubscription;
import io.securetx.task.memory.InMemoryBroker;
import io.securetx.task.memory.InMemoryResultBackend;
import io.securetx.task.wire.ResultMeta;
import io.securetx.task.worker.TaskObserver;
import io.securetx.vault.Vault;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServedTasksTest {

  private static final String MASTER_KEY = Base64.getEncoder().encodeToString(new byte[32]);

  @TempDir Path dataDir;

  private final TestClock clock = new TestClock(Instant.parse("2026-11-27T10:15:30Z"));

  private static Map<String, String> production() {
    Map<String, String> env = new HashMap<>();
    env.put("SECURETX_ENV", "production");
    env.put("API_KEY_V1", "sk_test_servedtasks_apikey_7f3a9c");
    env.put("ADMIN_PASSWORD", "served-tasks-admin-password-91b2");
    env.put("SECURETX_MASTER_KEY", MASTER_KEY);
    env.put("MAIL_DEFAULT_SENDER", "payments@bank.example");
    return env;
  }

  private static SecureTxConfig config(Map<String, String> env) {
    return ConfigLoader.load(env);
  }

  @Test
  void inProcess_productionWithoutBrokerUrl_usesRedisNotMemory() {
    SecureTxConfig config = config(production());

    assertThat(ServedTasks.inProcess(config)).isFalse();
    assertThat(config.brokerUrl().insecureValue()).startsWith("redis://");
  }

  @Test
  void inProcess_productionWithMemoryUrl_inProcess() {
    Map<String, String> env = production();
    env.put("CELERY_BROKER_URL", "memory://");

    assertThat(ServedTasks.inProcess(config(env))).isTrue();
  }

  @Test
  void inProcess_developmentUnsetOrMemory_inProcess_redisNot() {
    assertThat(ServedTasks.inProcess(config(Map.of()))).isTrue();
    assertThat(ServedTasks.inProcess(config(Map.of("CELERY_BROKER_URL", "memory://")))).isTrue();
    assertThat(
            ServedTasks.inProcess(config(Map.of("CELERY_BROKER_URL", "redis://127.0.0.1:6379/3"))))
        .isFalse();
  }

  @Test
  void close_backendThrows_brokerStillClosed_andSecondCloseDoesNothing() {
    Map<String, String> env = new HashMap<>();
    env.put("SECURETX_DATA_DIR", dataDir.toString());
    env.put("CELERY_BROKER_URL", "redis://127.0.0.1:6379/3");
    InMemoryBroker broker = new InMemoryBroker(clock);
    FailingClose backend = new FailingClose();
    try (Vault vault =
        new Vault(
            TinkKeyRing.generate(),
            SqlLedgerStore.open(
                DatabaseUrl.sqlite(dataDir.resolve("vault.db")), clock, Duration.ofHours(1)),
            clock,
            LedgerOptions.DEFAULT)) {
      ServedTasks tasks =
          ServedTasks.create(
              config(env), vault, () -> broker, () -> backend, clock, TaskObserver.NONE);

      tasks.close();
      tasks.close();
    }

    assertThatThrownBy(() -> broker.publish(List.of()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
    assertThat(backend.closes.get()).isEqualTo(1);
  }

  /** A real in-memory backend whose close fails, as a Redis one losing its connection may. */
  private static final class FailingClose implements ResultBackend {
    private final InMemoryResultBackend delegate = new InMemoryResultBackend();
    final AtomicInteger closes = new AtomicInteger();

    @Override
    public void store(List<ResultMeta> metas) {
      delegate.store(metas);
    }

    @Override
    public Optional<ResultMeta> get(String taskId) {
      return delegate.get(taskId);
    }

    @Override
    public Map<String, ResultMeta> getAll(List<String> taskIds) {
      return delegate.getAll(taskIds);
    }

    @Override
    public ResultSubscription subscribe(String taskId) {
      return delegate.subscribe(taskId);
    }

    @Override
    public void close() {
      closes.incrementAndGet();
      throw new IllegalStateException("connection lost while closing");
    }
  }
}
