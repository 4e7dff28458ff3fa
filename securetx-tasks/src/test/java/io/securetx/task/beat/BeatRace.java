package io.securetx.task.beat;

import io.securetx.task.MutableClock;
import io.securetx.task.broker.Broker;
import io.securetx.task.broker.Delivery;
import io.securetx.task.wire.CeleryCodec;
import io.securetx.task.wire.PriorityLists;
import io.securetx.task.wire.TaskMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Three schedulers on one broker, ticking at the same moments from three threads while the clock
 * moves 30 seconds per round; returns every message they sent.
 */
final class BeatRace {

  private BeatRace() {}

  static List<TaskMessage> run(
      Broker broker, MutableClock clock, List<PeriodicTask> entries, Instant start, Duration span)
      throws Exception {
    clock.set(start);
    List<Beat> beats = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      beats.add(new Beat(broker, entries, clock, Duration.ofMinutes(10)));
    }
    CyclicBarrier together =
        new CyclicBarrier(beats.size(), () -> clock.advance(Duration.ofSeconds(30)));
    int rounds = (int) (span.toSeconds() / 30);
    ExecutorService threads = Executors.newFixedThreadPool(beats.size());
    try {
      List<Future<Integer>> sent = new ArrayList<>();
      for (Beat beat : beats) {
        sent.add(
            threads.submit(
                () -> {
                  int mine = 0;
                  for (int r = 0; r < rounds; r++) {
                    mine += beat.tick();
                    together.await();
                  }
                  return mine;
                }));
      }
      for (Future<Integer> f : sent) {
        f.get();
      }
    } finally {
      threads.shutdownNow();
    }
    CeleryCodec codec = CeleryCodec.create();
    List<TaskMessage> messages = new ArrayList<>();
    List<String> lists = PriorityLists.listsInServeOrder("celery");
    while (true) {
      List<Delivery> got = broker.fetch("beat-race-reader", lists, 100, Duration.ZERO);
      if (got.isEmpty()) {
        break;
      }
      for (Delivery d : got) {
        messages.add(codec.decode(d.payload()).message());
      }
      broker.ack("beat-race-reader", got);
    }
    return messages;
  }
}
