package io.securetx.task.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.securetx.task.MutableClock;
import io.securetx.task.broker.Delivery;
import io.securetx.task.memory.InMemoryBroker;
import io.securetx.task.memory.InMemoryResultBackend;
import io.securetx.task.wire.CeleryCodec;
import io.securetx.task.wire.Envelope;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class TaskClientTest {

  private static final Instant NOW = Instant.parse("2026-11-27T10:00:00Z");

  private final MutableClock clock = new MutableClock(NOW);
  private final InMemoryBroker broker = new InMemoryBroker(clock);
  private final TaskClient client = new TaskClient(broker, new InMemoryResultBackend(), clock);

  private Envelope published(String list) throws InterruptedException {
    List<Delivery> got = broker.fetch("reader", List.of(list), 1, Duration.ZERO);
    assertThat(got).hasSize(1);
    return CeleryCodec.create().decode(got.get(0).payload());
  }

  @Test
  void publish_countdownExpiresPriorityQueue_asApplyAsyncWritesThem() throws Exception {
    String id =
        client
            .task("send_welcome_email")
            .kwarg("user_id", 7)
            .countdown(Duration.ofSeconds(10))
            .expiresIn(Duration.ofSeconds(60))
            .priority(6)
            .queue("emails")
            .publish();
    Envelope envelope = published("emails\u0006\u00166");
    assertThat(envelope.message().id()).isEqualTo(id);
    assertThat(envelope.message().eta()).isEqualTo(NOW.plusSeconds(10));
    assertThat(envelope.message().expires()).isEqualTo(NOW.plusSeconds(60));
    assertThat(envelope.expiration()).isEqualTo("60000");
    assertThat(envelope.priority()).isEqualTo(6);
    assertThat(envelope.routingKey()).isEqualTo("emails");
  }

  @Test
  void publish_noExpiry_noExpirationProperty() throws Exception {
    client.task("add").args(1, 2).publish();
    Envelope envelope = published("celery");
    assertThat(envelope.expiration()).isNull();
    assertThat(envelope.message().eta()).isNull();
  }
}
