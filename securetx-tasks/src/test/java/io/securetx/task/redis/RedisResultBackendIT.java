package io.securetx.task.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.securetx.task.backend.ResultBackend;
import io.securetx.task.backend.ResultBackendContract;
import io.securetx.task.backend.ResultSubscription;
import io.securetx.task.wire.CeleryCodec;
import io.securetx.task.wire.ResultMeta;
import java.lang.Thread.State;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.ClientKillParams;

/** The result backend contract on a real Redis (database 10), plus Celery's exact key layout. */
class RedisResultBackendIT extends ResultBackendContract {

  static final RedisUrl URL = RedisTestServer.url(10);

  private final Jedis direct = RedisTestServer.flushedConnection(URL);

  @Override
  protected ResultBackend newBackend() {
    return RedisResultBackend.connect(URL);
  }

  @AfterEach
  void closeDirect() {
    direct.close();
  }

  @Test
  void store_key_isCeleryKeyWithDefaultTtl() {
    String id = newId();

    backend.store(List.of(success(id, 5)));

    String key = "celery-task-meta-" + id;
    assertThat(direct.ttl(key)).isBetween(86_390L, 86_400L);
    assertThat(direct.get(key))
        .isEqualTo(
            "{\"status\": \"SUCCESS\", \"result\": 5, \"traceback\": null, \"children\": [],"
                + " \"date_done\": \"2026-11-27T10:00:00.123456\", \"task_id\": \""
                + id
                + "\"}");
  }

  @Test
  void store_successWrittenByPython_isKept() {
    String id = newId();
    direct.set(
        "celery-task-meta-" + id,
        "{\"status\": \"SUCCESS\", \"result\": 5, \"traceback\": null, \"children\": [],"
            + " \"date_done\": \"2026-11-27T00:36:10.740354\", \"task_id\": \""
            + id
            + "\"}");

    backend.store(List.of(failure(id)));

    assertThat(backend.get(id).orElseThrow().state().name()).isEqualTo("SUCCESS");
  }

  @Test
  void awaitReady_resultStoredWithoutPublishWhilePubsubIsDown_isReadAfterReconnect()
      throws Exception {
    String id = newId();
    try (ResultSubscription s = backend.subscribe(id)) {
      FutureTask<ResultMeta> waiting = new FutureTask<>(() -> s.awaitReady(Duration.ofSeconds(20)));
      Thread waiter = new Thread(waiting);
      waiter.start();
      // Once the waiter blocks it has done its one GET; only the reconnect's re-read can help now.
      await().atMost(Duration.ofSeconds(5)).until(() -> waiter.getState() == State.TIMED_WAITING);

      // Stored first, then the connection dropped: the result can only come from the re-read,
      // however long the reconnect takes.
      direct.setex(ResultMeta.keyFor(id), 60, CeleryCodec.create().encodeResult(success(id, 11)));
      killPubsubConnections();

      assertThat(waiting.get(15, TimeUnit.SECONDS)).isEqualTo(success(id, 11));
    }
  }

  @Test
  void awaitReady_afterPubsubReconnect_seesNewlyPublishedStates() throws Exception {
    String id = newId();
    String channel = ResultMeta.channelFor(id);
    try (ResultSubscription s = backend.subscribe(id)) {
      killPubsubConnections();
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> direct.pubsubNumSub(channel).get(channel) == 1L);

      backend.store(List.of(success(id, 12)));

      assertThat(s.awaitReady(Duration.ofSeconds(10))).isEqualTo(success(id, 12));
    }
  }

  /** Kills this test database's result listeners only, never another client's connection. */
  private void killPubsubConnections() {
    long killed =
        Arrays.stream(direct.clientList().split("\n"))
            .filter(l -> l.contains(" name=securetx-results ") && l.contains(" db=10 "))
            .map(l -> l.substring(3, l.indexOf(' ')))
            .mapToLong(
                clientId -> direct.clientKill(ClientKillParams.clientKillParams().id(clientId)))
            .sum();
    assertThat(killed).isEqualTo(1);
  }

  @Test
  void close_subscription_unsubscribesTheChannel() {
    String id = newId();
    String channel = ResultMeta.channelFor(id);
    ResultSubscription s = backend.subscribe(id);
    assertThat(direct.pubsubNumSub(channel).get(channel)).isEqualTo(1L);

    s.close();

    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> direct.pubsubNumSub(channel).get(channel) == 0L);
  }
}
