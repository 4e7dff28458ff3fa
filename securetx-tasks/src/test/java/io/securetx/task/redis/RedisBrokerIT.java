package io.securetx.task.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.securetx.task.broker.Broker;
import io.securetx.task.broker.BrokerContract;
import io.securetx.task.broker.Delivery;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/** The broker contract on a real Redis (database 9), plus what only Redis can show. */
class RedisBrokerIT extends BrokerContract {

  static final RedisUrl URL = RedisTestServer.url(9);

  private final Jedis direct = RedisTestServer.flushedConnection(URL);

  @Override
  protected Broker newBroker() {
    return RedisBroker.connect(URL);
  }

  @Override
  protected Duration heartbeatTtl() {
    return Duration.ofSeconds(2);
  }

  @Override
  protected Duration shortClaimTtl() {
    return Duration.ofSeconds(2);
  }

  @Override
  protected void expireHeartbeat(String workerId) {
    // Redis drops the key itself once the ttl has passed; poll for that, bounded.
    await()
        .atMost(heartbeatTtl().plusSeconds(10))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> !direct.exists(RedisBroker.WORKER_PREFIX + workerId));
  }

  @Override
  protected void expireClaims(Duration age) throws InterruptedException {
    // Redis drops a claim itself once its ttl has passed.
    Thread.sleep(age.toMillis());
  }

  @AfterEach
  void closeDirect() {
    direct.close();
  }

  @Test
  void fetch_holderNeverAcks_messageStaysInItsInflightListInRedis() throws Exception {
    publish(Q, "precious");

    List<Delivery> held = broker.fetch("doomed", List.of(Q), 1, NO_WAIT);
    // The JVM holding it could die here: the message is already on the server, not only in memory.
    broker.close();

    assertThat(held).containsExactly(new Delivery("precious", Q));
    assertThat(direct.lrange(RedisBroker.INFLIGHT_PREFIX + "doomed", 0, -1))
        .containsExactly("precious");
    assertThat(direct.llen(Q)).isZero();
    broker = newBroker(); // for closeBroker
  }

  @Test
  void fetch_afterBlockingWait_messageIsInflightInRedis() throws Exception {
    Thread publisher =
        new Thread(
            () -> {
              await().pollDelay(Duration.ofMillis(200)).until(() -> true);
              publish(Q, "late");
            });
    publisher.start();

    List<Delivery> held = broker.fetch("w1", List.of(Q), 1, Duration.ofSeconds(5));
    publisher.join();

    assertThat(held).containsExactly(new Delivery("late", Q));
    assertThat(direct.lrange(RedisBroker.INFLIGHT_PREFIX + "w1", 0, -1)).containsExactly("late");
  }

  @Test
  void schedule_member_carriesTheListAndPayloadLengthPrefixed() throws Exception {
    String list = "caf\u00e9\u0006\u00163";
    publish(Q, "p");
    Delivery d = broker.fetch("w1", List.of(Q), 1, NO_WAIT).get(0);

    broker.schedule("w1", d, list, "payload:with:colons", T0);

    List<String> members = direct.zrange(RedisBroker.SCHEDULE, 0, -1);
    assertThat(members).hasSize(1);
    assertThat(members.get(0)).matches("[0-9a-f]{16}:8:caf\u00e9\u0006\u00163payload:with:colons");
    assertThat(broker.releaseDue(T0, 10)).isEqualTo(1);
    assertThat(direct.lrange(list, 0, -1)).containsExactly("payload:with:colons");
  }

  @Test
  void deadLetter_entry_isJsonWithCeleryStyleFieldNames() throws Exception {
    publish(Q, "p");
    Delivery d = broker.fetch("w1", List.of(Q), 1, NO_WAIT).get(0);

    broker.deadLetter("w1", d, dead("d1", d, "task-1"));

    assertThat(direct.lrange(RedisBroker.DEAD, 0, -1))
        .singleElement()
        .asString()
        .contains("\"id\":\"d1\"")
        .contains("\"task_id\":\"task-1\"")
        .contains("\"dead_at\":\"2026-11-27T10:00:00Z\"")
        .contains("\"payload\":\"p\"");
  }

  @Test
  void heartbeat_key_expiresWithTheTtlAndHoldsTheWorker() {
    broker.heartbeat(worker("w1"), Duration.ofSeconds(30));

    assertThat(direct.pttl(RedisBroker.WORKER_PREFIX + "w1")).isBetween(25_000L, 30_000L);
    assertThat(direct.get(RedisBroker.WORKER_PREFIX + "w1")).contains("\"hostname\":\"host-w1\"");
    assertThat(direct.zrange(RedisBroker.WORKERS, 0, -1)).containsExactly("w1");
  }

  @Test
  void reapExpired_workerRenewsWhileRestorerRuns_keepsItsMessages() throws Exception {
    broker.heartbeat(worker("w1"), heartbeatTtl());
    publish(Q, "a", "b");
    List<Delivery> held = broker.fetch("w1", List.of(Q), 2, NO_WAIT);
    expireHeartbeat("w1");

    // The restorer runs between reading the held list and the atomic move, the window in which a
    // slow worker may come back; the script's own heartbeat check must then leave it alone.
    int restored =
        broker.reapExpired(
            d -> {
              broker.heartbeat(worker("w1"), Duration.ofMinutes(5));
              return Broker.Restored.toList(Q, d.payload());
            });

    assertThat(restored).isZero();
    assertThat(direct.llen(Q)).isZero();
    assertThat(broker.ack("w1", held)).isEqualTo(2);
  }

  @Test
  void fetch_scriptCacheFlushed_stillWorks() throws Exception {
    publish(Q, "a");
    broker.fetch("w1", List.of(Q), 1, NO_WAIT);
    direct.scriptFlush();
    publish(Q, "b");

    assertThat(broker.fetch("w1", List.of(Q), 1, NO_WAIT)).containsExactly(new Delivery("b", Q));
  }
}
