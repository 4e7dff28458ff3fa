package io.securetx.task.worker;

import io.securetx.task.broker.Broker;
import io.securetx.task.broker.DeadLetter;
import io.securetx.task.broker.Delivery;
import io.securetx.task.wire.CeleryCodec;
import io.securetx.task.wire.Envelope;
import io.securetx.task.wire.WireFormatException;
import java.time.Clock;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Decides where a message held by a worker that stopped or died goes: back to the list its routing
 * key and priority name (kombu 5.4's rule; 5.2 forgot the priority), flagged as redelivered, or to
 * the dead letters if it cannot be read.
 */
final class Redelivery implements Broker.Restorer {

  private final CeleryCodec codec;
  private final Clock clock;

  Redelivery(CeleryCodec codec, Clock clock) {
    this.codec = codec;
    this.clock = clock;
  }

  @Override
  public Broker.Restored restore(Delivery held) {
    try {
      Envelope envelope = codec.decode(held.payload()).markedRedelivered();
      return Broker.Restored.toList(envelope.listName(), codec.encode(envelope));
    } catch (WireFormatException e) {
      return Broker.Restored.toDead(undecodable(held, e, null));
    }
  }

  DeadLetter undecodable(Delivery held, WireFormatException cause, @Nullable String taskId) {
    return new DeadLetter(
        UUID.randomUUID().toString(),
        "undecodable:" + cause.reason().name().toLowerCase(java.util.Locale.ROOT),
        String.valueOf(cause.getMessage()),
        held.list(),
        taskId,
        clock.instant(),
        held.payload());
  }
}
