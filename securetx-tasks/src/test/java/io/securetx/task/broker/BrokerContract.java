package io.securetx.task.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.securetx.task.broker.Broker.Outgoing;
import io.securetx.task.broker.Broker.Restored;
import io.securetx.task.wire.PriorityLists;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link Broker} must do, whatever keeps its messages. A backend's test extends this
 * class and says how to make an empty broker and how to let a heartbeat expire.
 */
public abstract class BrokerContract {

  protected static final String Q = "q";
  protected static final String Q3 = PriorityLists.listFor(Q, 3);
  protected static final String Q9 = PriorityLists.listFor(Q, 9);
  protected static final Duration NO_WAIT = Duration.ZERO;
  protected static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");

  protected Broker broker;
  private final ExecutorService pool = Executors.newCachedThreadPool();
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

  /** Returns a broker with nothing in it. */
  protected abstract Broker newBroker();

  /**
   * Returns once the heartbeat a worker gave with {@link #heartbeatTtl()} has expired: advances a
   * fake clock, or waits for a real server to drop it.
   */
  protected abstract void expireHeartbeat(String workerId);

  /**
   * How long heartbeats given by these tests last. Two heartbeats in a row must fall within it: a
   * real server needs it long enough for a pause of the test thread.
   */
  protected Duration heartbeatTtl() {
    return Duration.ofMillis(300);
  }

  /** How long the short claims of these tests last; the same reasoning as {@link #heartbeatTtl}. */
  protected Duration shortClaimTtl() {
    return Duration.ofMillis(50);
  }

  @BeforeEach
  void openBroker() {
    broker = newBroker();
  }

  @AfterEach
  void closeBroker() {
    pool.shutdownNow();
    timer.shutdownNow();
    broker.close();
  }

  // ---- publish and fetch ------------------------------------------------------------------------

  @Test
  void fetch_afterPublish_returnsOldestFirstWithinAList() throws Exception {
    publish(Q, "a", "b", "c");

    assertThat(payloads(broker.fetch("w1", List.of(Q), 10, NO_WAIT)))
        .containsExactly("a", "b", "c");
  }

  @Test
  void fetch_singleMessages_comeInPublishOrder() throws Exception {
    publish(Q, "a", "b", "c");

    List<String> got = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      got.addAll(payloads(broker.fetch("w1", List.of(Q), 1, NO_WAIT)));
    }

    assertThat(got).containsExactly("a", "b", "c");
  }

  @Test
  void fetch_severalLists_drainsEarlierListsFirst() throws Exception {
    publish(Q9, "nine");
    publish(Q3, "three-a", "three-b");
    publish(Q, "zero");

    List<Delivery> got = broker.fetch("w1", List.of(Q, Q3, Q9), 3, NO_WAIT);

    assertThat(got)
        .containsExactly(
            new Delivery("zero", Q), new Delivery("three-a", Q3), new Delivery("three-b", Q3));
    assertThat(broker.fetch("w1", List.of(Q, Q3, Q9), 3, NO_WAIT))
        .containsExactly(new Delivery("nine", Q9));
  }

  @Test
  void fetch_max_takesAtMostMaxAndLeavesTheRest() throws Exception {
    publish(Q, "a", "b", "c", "d", "e");

    assertThat(payloads(broker.fetch("w1", List.of(Q), 2, NO_WAIT))).containsExactly("a", "b");
    assertThat(payloads(broker.fetch("w2", List.of(Q), 10, NO_WAIT)))
        .containsExactly("c", "d", "e");
  }

  @Test
  void fetch_emptyWithWait_returnsEmptyAfterAboutTheWait() throws Exception {
    long start = System.nanoTime();

    List<Delivery> got = broker.fetch("w1", List.of(Q, Q3), 5, Duration.ofMillis(400));

    long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertThat(got).isEmpty();
    assertThat(elapsedMillis).isBetween(350L, 3_000L);
  }

  @Test
  void fetch_emptyWithoutWait_returnsAtOnce() throws Exception {
    long start = System.nanoTime();

    assertThat(broker.fetch("w1", List.of(Q), 5, NO_WAIT)).isEmpty();
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(1_000L);
  }

  @Test
  void fetch_messagePublishedOnFirstListWhileWaiting_returnsIt() throws Exception {
    assertPublishedWhileWaitingIsFetched(Q);
  }

  @Test
  void fetch_messagePublishedOnLaterListWhileWaiting_returnsIt() throws Exception {
    assertPublishedWhileWaitingIsFetched(Q9);
  }

  private void assertPublishedWhileWaitingIsFetched(String list) throws Exception {
    timer.schedule(() -> publish(list, "late"), 300, TimeUnit.MILLISECONDS);
    long start = System.nanoTime();

    List<Delivery> got = broker.fetch("w1", List.of(Q, Q3, Q9), 5, Duration.ofSeconds(10));

    assertThat(got).containsExactly(new Delivery("late", list));
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(5_000L);
  }

  @Test
  void fetch_interruptedWhileWaiting_throwsInterruptedException() throws Exception {
    Future<List<Delivery>> waiting =
        pool.submit(() -> broker.fetch("w1", List.of(Q, Q3), 1, Duration.ofSeconds(30)));
    timer.schedule(() -> waiting.cancel(true), 200, TimeUnit.MILLISECONDS);
    long start = System.nanoTime();

    assertThatThrownBy(() -> waiting.get(10, TimeUnit.SECONDS))
        .isInstanceOf(CancellationException.class);
    pool.shutdown();
    assertThat(pool.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(5_000L);
  }

  @Test
  void fetch_heldByOneWorker_isNotSeenByAnother() throws Exception {
    publish(Q, "a", "b");
    List<Delivery> held = broker.fetch("w1", List.of(Q), 2, NO_WAIT);

    assertThat(broker.fetch("w2", List.of(Q), 10, Duration.ofMillis(100))).isEmpty();
    assertThat(broker.stats(List.of(Q)).inFlight()).isEqualTo(2);
    assertThat(broker.ack("w1", held)).isEqualTo(2);
  }

  // ---- ack --------------------------------------------------------------------------------------

  @Test
  void ack_heldDeliveries_countsThemOnceOnly() throws Exception {
    publish(Q, "a", "b", "c");
    List<Delivery> held = broker.fetch("w1", List.of(Q), 3, NO_WAIT);

    assertThat(broker.ack("w1", held.subList(0, 2))).isEqualTo(2);
    assertThat(broker.ack("w1", held)).isEqualTo(1);
    assertThat(broker.ack("w1", held)).isZero();
    assertThat(broker.stats(List.of(Q)).inFlight()).isZero();
  }

  @Test
  void ack_byAnotherWorker_removesNothing() throws Exception {
    publish(Q, "a");
    List<Delivery> held = broker.fetch("w1", List.of(Q), 1, NO_WAIT);

    assertThat(broker.ack("w2", held)).isZero();
    assertThat(broker.ack("w1", held)).isEqualTo(1);
  }

  @Test
  void ack_identicalPayloadsHeldTwice_removesOneCopyEach() throws Exception {
    publish(Q, "same", "same");
    List<Delivery> held = broker.fetch("w1", List.of(Q), 2, NO_WAIT);

    assertThat(broker.ack("w1", held.subList(0, 1))).isEqualTo(1);
    assertThat(broker.stats(List.of(Q)).inFlight()).isEqualTo(1);
    assertThat(broker.ack("w1", held.subList(1, 2))).isEqualTo(1);
  }

  // ---- schedule ---------------------------------------------------------------------------------

  @Test
  void schedule_held_isReleasedOnlyWhenDue() throws Exception {
    publish(Q, "a");
    Delivery d = broker.fetch("w1", List.of(Q), 1, NO_WAIT).get(0);
    Instant due = T0.plusSeconds(60);

    assertThat(broker.schedule("w1", d, Q3, "a-retry", due)).isTrue();
    assertThat(broker.stats(List.of(Q)).inFlight()).isZero();
    assertThat(broker.stats(List.of(Q)).scheduled()).isEqualTo(1);

    assertThat(broker.releaseDue(due.minusMillis(1), 10)).isZero();
    assertThat(broker.fetch("w1", List.of(Q, Q3), 5, NO_WAIT)).isEmpty();

    assertThat(broker.releaseDue(due, 10)).isEqualTo(1);
    assertThat(broker.fetch("w1", List.of(Q, Q3), 5, NO_WAIT))
        .containsExactly(new Delivery("a-retry", Q3));
    assertThat(broker.releaseDue(due.plusSeconds(1), 10)).isZero();
  }

  @Test
  void schedule_notHeld_returnsFalseAndSchedulesNothing() {
    assertThat(broker.schedule("w1", new Delivery("ghost", Q), Q, "ghost", T0)).isFalse();
    assertThat(broker.releaseDue(T0.plusSeconds(1), 10)).isZero();
    assertThat(broker.stats(List.of(Q)).scheduled()).isZero();
  }

  @Test
  void schedule_identicalPayloads_bothKept() throws Exception {
    publish(Q, "same", "same");
    List<Delivery> held = broker.fetch("w1", List.of(Q), 2, NO_WAIT);

    assertThat(broker.schedule("w1", held.get(0), Q, "same", T0)).isTrue();
    assertThat(broker.schedule("w1", held.get(1), Q, "same", T0)).isTrue();

    assertThat(broker.releaseDue(T0, 10)).isEqualTo(2);
    assertThat(payloads(broker.fetch("w1", List.of(Q), 5, NO_WAIT)))
        .containsExactly("same", "same");
  }

  @Test
  void releaseDue_max_movesAtMostMaxEarliestFirst() throws Exception {
    publish(Q, "a", "b", "c");
    List<Delivery> held = broker.fetch("w1", List.of(Q), 3, NO_WAIT);
    broker.schedule("w1", held.get(0), Q, "late", T0.plusSeconds(3));
    broker.schedule("w1", held.get(1), Q, "early", T0.plusSeconds(1));
    broker.schedule("w1", held.get(2), Q, "middle", T0.plusSeconds(2));

    assertThat(broker.releaseDue(T0.plusSeconds(10), 2)).isEqualTo(2);
    assertThat(payloads(broker.fetch("w1", List.of(Q), 5, NO_WAIT)))
        .containsExactly("early", "middle");
  }

  @Test
  void releaseDue_twoConcurrentReleasers_releaseEachMessageExactlyOnce() throws Exception {
    int n = 300;
    publish(Q, IntStream.range(0, n).mapToObj(i -> "m" + i).toArray(String[]::new));
    List<Delivery> held = broker.fetch("w1", List.of(Q), n, NO_WAIT);
    assertThat(held).hasSize(n);
    for (Delivery d : held) {
      assertThat(broker.schedule("w1", d, Q3, d.payload(), T0)).isTrue();
    }

    CountDownLatch start = new CountDownLatch(1);
    Callable<Integer> releaser =
        () -> {
          start.await();
          int moved = 0;
          int step;
          while ((step = broker.releaseDue(T0.plusSeconds(1), 7)) > 0) {
            moved += step;
          }
          return moved;
        };
    Future<Integer> a = pool.submit(releaser);
    Future<Integer> b = pool.submit(releaser);
    start.countDown();

    assertThat(a.get(30, TimeUnit.SECONDS) + b.get(30, TimeUnit.SECONDS)).isEqualTo(n);
    List<String> released = payloads(broker.fetch("w2", List.of(Q3), n + 10, NO_WAIT));
    assertThat(released).hasSize(n).doesNotHaveDuplicates();
    assertThat(broker.stats(List.of(Q)).scheduled()).isZero();
  }

  // ---- requeue ----------------------------------------------------------------------------------

  @Test
  void requeue_front_isServedNext() throws Exception {
    publish(Q, "a", "b", "c");
    Delivery a = broker.fetch("w1", List.of(Q), 1, NO_WAIT).get(0);

    assertThat(broker.requeue("w1", a, Q, "a-again", true)).isTrue();

    assertThat(payloads(broker.fetch("w2", List.of(Q), 5, NO_WAIT)))
        .containsExactly("a-again", "b", "c");
    assertThat(broker.ack("w1", List.of(a))).isZero();
  }

  @Test
  void requeue_back_isServedLast() throws Exception {
    publish(Q, "a", "b", "c");
    Delivery a = broker.fetch("w1", List.of(Q), 1, NO_WAIT).get(0);

    assertThat(broker.requeue("w1", a, Q, "a-again", false)).isTrue();

    assertThat(payloads(broker.fetch("w2", List.of(Q), 5, NO_WAIT)))
        .containsExactly("b", "c", "a-again");
  }

  @Test
  void requeue_notHeld_returnsFalseAndPublishesNothing() throws Exception {
    assertThat(broker.requeue("w1", new Delivery("ghost", Q), Q, "ghost", true)).isFalse();
    assertThat(broker.fetch("w1", List.of(Q), 5, NO_WAIT)).isEmpty();
  }

  // ---- dead letters -----------------------------------------------------------------------------

  @Test
  void deadLetter_held_isListedNewestFirstAndFoundById() throws Exception {
    publish(Q, "a", "b");
    List<Delivery> held = broker.fetch("w1", List.of(Q), 2, NO_WAIT);

    assertThat(broker.deadLetter("w1", held.get(0), dead("d1", held.get(0), "task-1"))).isTrue();
    assertThat(broker.deadLetter("w1", held.get(1), dead("d2", held.get(1), null))).isTrue();

    assertThat(broker.deadLetters(10)).extracting(DeadLetter::id).containsExactly("d2", "d1");
    assertThat(broker.deadLetters(1)).extracting(DeadLetter::id).containsExactly("d2");
    assertThat(broker.deadLetter("d1")).contains(dead("d1", held.get(0), "task-1"));
    assertThat(broker.deadLetter("nope")).isEmpty();
    assertThat(broker.stats(List.of(Q)).inFlight()).isZero();
    assertThat(broker.stats(List.of(Q)).dead()).isEqualTo(2);
  }

  @Test
  void deadLetter_notHeld_returnsFalseAndStoresNothing() {
    Delivery ghost = new Delivery("ghost", Q);

    assertThat(broker.deadLetter("w1", ghost, dead("d1", ghost, null))).isFalse();
    assertThat(broker.deadLetters(10)).isEmpty();
  }

  @Test
  void requeueDead_existing_putsPayloadFirstInLineOnce() throws Exception {
    publish(Q, "a", "b");
    Delivery a = broker.fetch("w1", List.of(Q), 1, NO_WAIT).get(0);
    broker.deadLetter("w1", a, dead("d1", a, null));

    assertThat(broker.requeueDead("d1", Q)).isTrue();
    assertThat(broker.requeueDead("d1", Q)).isFalse();

    assertThat(broker.deadLetters(10)).isEmpty();
    assertThat(payloads(broker.fetch("w1", List.of(Q), 5, NO_WAIT))).containsExactly("a", "b");
  }

  @Test
  void requeueDead_unknown_returnsFalse() {
    assertThat(broker.requeueDead("nope", Q)).isFalse();
  }

  @Test
  void purgeDead_someEntries_deletesAndCountsThem() throws Exception {
    publish(Q, "a", "b");
    for (Delivery d : broker.fetch("w1", List.of(Q), 2, NO_WAIT)) {
      broker.deadLetter("w1", d, dead("d-" + d.payload(), d, null));
    }

    assertThat(broker.purgeDead()).isEqualTo(2);
    assertThat(broker.purgeDead()).isZero();
    assertThat(broker.deadLetters(10)).isEmpty();
  }

  // ---- heartbeats, reaping, unregister ----------------------------------------------------------

  @Test
  void heartbeat_firstRenewedThenExpired_tellsTheWorkerItWasPresumedDead() {
    WorkerInfo w = worker("w1");

    assertThat(broker.heartbeat(w, heartbeatTtl())).isTrue();
    assertThat(broker.heartbeat(w, heartbeatTtl())).isTrue();
    expireHeartbeat("w1");
    assertThat(broker.heartbeat(w, heartbeatTtl())).isFalse();
    assertThat(broker.heartbeat(w, heartbeatTtl())).isTrue();
  }

  @Test
  void heartbeat_expiredAndReaped_stillTellsTheWorker() throws Exception {
    WorkerInfo w = worker("w1");
    broker.heartbeat(w, heartbeatTtl());
    publish(Q, "a");
    broker.fetch("w1", List.of(Q), 1, NO_WAIT);
    expireHeartbeat("w1");
    assertThat(broker.reapExpired(backToList())).isEqualTo(1);

    assertThat(broker.heartbeat(w, heartbeatTtl())).isFalse();
  }

  @Test
  void reapExpired_liveWorker_keepsItsMessages() throws Exception {
    broker.heartbeat(worker("w1"), Duration.ofMinutes(5));
    publish(Q, "a", "b");
    List<Delivery> held = broker.fetch("w1", List.of(Q), 2, NO_WAIT);

    assertThat(broker.reapExpired(backToList())).isZero();

    assertThat(broker.fetch("w2", List.of(Q), 5, NO_WAIT)).isEmpty();
    assertThat(broker.ack("w1", held)).isEqualTo(2);
  }

  @Test
  void reapExpired_expiredWorkerTwoReapers_restoresEachMessageOnceOldestFirst() throws Exception {
    broker.heartbeat(worker("w1"), heartbeatTtl());
    broker.heartbeat(worker("w2"), Duration.ofMinutes(5));
    int n = 50;
    publish(Q, IntStream.range(0, n).mapToObj(i -> "m" + i).toArray(String[]::new));
    publish(Q3, "waiting");
    List<Delivery> held = broker.fetch("w1", List.of(Q), n, NO_WAIT);
    assertThat(held).hasSize(n);
    publish(Q, "m-new");
    expireHeartbeat("w1");

    CountDownLatch start = new CountDownLatch(1);
    Callable<Integer> reaper =
        () -> {
          start.await();
          return broker.reapExpired(d -> Restored.toList(Q, d.payload() + "!"));
        };
    Future<Integer> a = pool.submit(reaper);
    Future<Integer> b = pool.submit(reaper);
    start.countDown();

    assertThat(a.get(30, TimeUnit.SECONDS) + b.get(30, TimeUnit.SECONDS)).isEqualTo(n);
    List<String> expected = new ArrayList<>();
    IntStream.range(0, n).forEach(i -> expected.add("m" + i + "!"));
    expected.add("m-new");
    expected.add("waiting");
    assertThat(payloads(broker.fetch("w2", List.of(Q, Q3), 2 * n, NO_WAIT)))
        .containsExactlyElementsOf(expected);
    assertThat(broker.ack("w1", held)).isZero();
  }

  @Test
  void reapExpired_restorerDeadLetters_movesToDeadLetters() throws Exception {
    broker.heartbeat(worker("w1"), heartbeatTtl());
    publish(Q, "poison");
    broker.fetch("w1", List.of(Q), 1, NO_WAIT);
    expireHeartbeat("w1");

    assertThat(broker.reapExpired(d -> Restored.toDead(dead("d1", d, null)))).isEqualTo(1);

    assertThat(broker.deadLetters(10)).extracting(DeadLetter::payload).containsExactly("poison");
    assertThat(broker.stats(List.of(Q)).inFlight()).isZero();
  }

  @Test
  void reapExpired_nothingExpired_returnsZero() {
    broker.heartbeat(worker("w1"), Duration.ofMinutes(5));

    assertThat(broker.reapExpired(backToList())).isZero();
  }

  @Test
  void unregister_heldMessages_putsThemBackAndForgetsTheWorker() throws Exception {
    broker.heartbeat(worker("w1"), Duration.ofMinutes(5));
    publish(Q, "a", "b", "c");
    broker.fetch("w1", List.of(Q), 2, NO_WAIT);

    assertThat(broker.unregister("w1", backToList())).isEqualTo(2);

    assertThat(payloads(broker.fetch("w2", List.of(Q), 5, NO_WAIT))).containsExactly("a", "b", "c");
    assertThat(broker.stats(List.of(Q)).workers()).isEmpty();
    assertThat(broker.reapExpired(backToList())).isZero();
  }

  // ---- publishOnce ------------------------------------------------------------------------------

  @Test
  void publishOnce_manyThreadsSameClaim_publishesExactlyOnce() throws Exception {
    int threads = 8;
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Boolean>> results = new ArrayList<>();
    for (int i = 0; i < threads; i++) {
      String payload = "tick-" + i;
      results.add(
          pool.submit(
              () -> {
                start.await();
                return broker.publishOnce(
                    "report@2026-09-01", Duration.ofMinutes(1), new Outgoing(Q, payload));
              }));
    }
    start.countDown();

    int won = 0;
    for (Future<Boolean> f : results) {
      won += f.get(30, TimeUnit.SECONDS) ? 1 : 0;
    }
    assertThat(won).isEqualTo(1);
    assertThat(broker.fetch("w1", List.of(Q), 10, NO_WAIT)).hasSize(1);
    assertThat(
            broker.publishOnce(
                "report@2026-10-01", Duration.ofMinutes(1), new Outgoing(Q, "next-slot")))
        .isTrue();
  }

  @Test
  void publishOnceWithValue_manyThreadsSameClaim_onePublishesTheOthersReadItsValue()
      throws Exception {
    int threads = 8;
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Optional<String>>> results = new ArrayList<>();
    for (int i = 0; i < threads; i++) {
      String value = "value-" + i;
      results.add(
          pool.submit(
              () -> {
                start.await();
                return broker.publishOnce(
                    "http-task.k1", value, Duration.ofMinutes(1), new Outgoing(Q, value));
              }));
    }
    start.countDown();

    List<String> held = new ArrayList<>();
    int won = 0;
    for (Future<Optional<String>> f : results) {
      Optional<String> result = f.get(30, TimeUnit.SECONDS);
      if (result.isEmpty()) {
        won++;
      } else {
        held.add(result.get());
      }
    }
    assertThat(won).isEqualTo(1);
    List<Delivery> published = broker.fetch("w1", List.of(Q), 10, NO_WAIT);
    assertThat(published).hasSize(1);
    // Every loser was told the winner's value, which is the message it published.
    assertThat(held).hasSize(threads - 1).containsOnly(published.get(0).payload());
  }

  @Test
  void publishOnceWithValue_expiredClaim_publishesAgain() throws Exception {
    assertThat(broker.publishOnce("http-task.k2", "first", shortClaimTtl(), new Outgoing(Q, "a")))
        .isEmpty();
    assertThat(broker.publishOnce("http-task.k2", "second", shortClaimTtl(), new Outgoing(Q, "b")))
        .contains("first");
    expireClaims(shortClaimTtl().plusMillis(10));

    assertThat(
            broker.publishOnce(
                "http-task.k2", "third", Duration.ofMinutes(1), new Outgoing(Q, "c")))
        .isEmpty();
    assertThat(payloads(broker.fetch("w1", List.of(Q), 10, NO_WAIT))).containsExactly("a", "c");
  }

  /** Lets claims of the given age expire: the clock moves, or real time passes. */
  protected abstract void expireClaims(Duration age) throws Exception;

  // ---- stats ------------------------------------------------------------------------------------

  @Test
  void stats_everyPlace_isCounted() throws Exception {
    WorkerInfo w1 = worker("w1");
    broker.heartbeat(w1, Duration.ofMinutes(5));
    publish(Q, "a", "b", "c", "d");
    publish(Q9, "e");
    publish("other", "x");
    List<Delivery> held = broker.fetch("w1", List.of(Q), 3, NO_WAIT);
    broker.schedule("w1", held.get(0), Q, "a", T0);
    broker.deadLetter("w1", held.get(1), dead("d1", held.get(1), null));

    BrokerStats stats = broker.stats(List.of("other"));

    assertThat(stats.queueDepths()).containsEntry(Q, 2L).containsEntry("other", 1L);
    assertThat(stats.scheduled()).isEqualTo(1);
    assertThat(stats.inFlight()).isEqualTo(1);
    assertThat(stats.dead()).isEqualTo(1);
    assertThat(stats.workers()).containsExactly(w1);
  }

  // ---- helpers ----------------------------------------------------------------------------------

  protected final void publish(String list, String... payloads) {
    List<Outgoing> out = new ArrayList<>();
    for (String p : payloads) {
      out.add(new Outgoing(list, p));
    }
    broker.publish(out);
  }

  protected static List<String> payloads(List<Delivery> deliveries) {
    return deliveries.stream().map(Delivery::payload).toList();
  }

  protected static WorkerInfo worker(String id) {
    return new WorkerInfo(id, "host-" + id, 4242, List.of(Q), 4, T0);
  }

  protected static DeadLetter dead(String id, Delivery d, String taskId) {
    return new DeadLetter(id, "undecodable", "not JSON", d.list(), taskId, T0, d.payload());
  }

  protected static Broker.Restorer backToList() {
    return d -> Restored.toList(Q, d.payload());
  }

  protected static Set<String> distinct(List<String> values) {
    return new HashSet<>(values);
  }
}
