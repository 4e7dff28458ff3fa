package io.securetx.task.memory;

import static java.util.Objects.requireNonNull;

import io.securetx.task.broker.Broker;
import io.securetx.task.broker.BrokerStats;
import io.securetx.task.broker.DeadLetter;
import io.securetx.task.broker.Delivery;
import io.securetx.task.broker.WorkerInfo;
import io.securetx.task.wire.PriorityLists;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A {@link Broker} in this process's memory. One lock guards everything, so every move is atomic by
 * construction; fetchers wait on a condition that every publish signals. Time (heartbeat expiry,
 * claim expiry) comes from the injected clock, so tests can move it.
 */
public final class InMemoryBroker implements Broker {

  private final Clock clock;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition published = lock.newCondition();

  /** List name to its items; the head of the deque is the front (served next). */
  private final Map<String, Deque<String>> lists = new HashMap<>();

  /** Worker id to the payloads it holds, oldest first. */
  private final Map<String, List<Delivery>> inFlight = new LinkedHashMap<>();

  private final PriorityQueue<Scheduled> schedule = new PriorityQueue<>();
  private long scheduleSequence;

  /** Newest first. */
  private final Deque<DeadLetter> dead = new ArrayDeque<>();

  private final Map<String, Heartbeat> heartbeats = new LinkedHashMap<>();
  private final Set<String> knownWorkers = new LinkedHashSet<>();
  private final Map<String, Instant> claims = new TreeMap<>();
  private final Map<String, String> claimValues = new TreeMap<>();
  private static final int PRUNE_CLAIMS_AT = 10_000;

  private boolean closed;

  /**
   * Creates an empty broker.
   *
   * @param clock the source of time for heartbeats, claims and stats
   */
  public InMemoryBroker(Clock clock) {
    this.clock = requireNonNull(clock, "clock");
  }

  @Override
  public void publish(List<Outgoing> messages) {
    requireNonNull(messages, "messages");
    lock.lock();
    try {
      requireOpen();
      for (Outgoing message : messages) {
        list(message.list()).addLast(message.payload());
      }
      published.signalAll();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public List<Delivery> fetch(String workerId, List<String> lists, int max, Duration wait)
      throws InterruptedException {
    requireNonNull(workerId, "workerId");
    requireNonNull(lists, "lists");
    requireNonNull(wait, "wait");
    if (max < 1) {
      throw new IllegalArgumentException("max must be at least 1, was " + max);
    }
    long remaining = wait.toNanos();
    lock.lockInterruptibly();
    try {
      while (true) {
        requireOpen();
        List<Delivery> taken = new ArrayList<>();
        for (String name : lists) {
          Deque<String> items = this.lists.get(name);
          while (items != null && !items.isEmpty() && taken.size() < max) {
            taken.add(new Delivery(items.pollFirst(), name));
          }
        }
        if (!taken.isEmpty()) {
          inFlight.computeIfAbsent(workerId, id -> new ArrayList<>()).addAll(taken);
          return taken;
        }
        if (remaining <= 0) {
          return List.of();
        }
        remaining = published.awaitNanos(remaining);
      }
    } finally {
      lock.unlock();
    }
  }

  @Override
  public int ack(String workerId, List<Delivery> deliveries) {
    requireNonNull(workerId, "workerId");
    lock.lock();
    try {
      int removed = 0;
      for (Delivery delivery : deliveries) {
        if (takeHeld(workerId, delivery)) {
          removed++;
        }
      }
      return removed;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public boolean schedule(
      String workerId, Delivery delivery, String list, String payload, Instant due) {
    requireNonNull(list, "list");
    requireNonNull(payload, "payload");
    requireNonNull(due, "due");
    lock.lock();
    try {
      if (!takeHeld(workerId, delivery)) {
        return false;
      }
      schedule.add(new Scheduled(due, scheduleSequence++, list, payload));
      return true;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public int releaseDue(Instant now, int max) {
    requireNonNull(now, "now");
    lock.lock();
    try {
      int moved = 0;
      while (moved < max && !schedule.isEmpty() && !schedule.peek().due().isAfter(now)) {
        Scheduled next = schedule.poll();
        list(next.list()).addLast(next.payload());
        moved++;
      }
      if (moved > 0) {
        published.signalAll();
      }
      return moved;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public boolean requeue(
      String workerId, Delivery delivery, String list, String payload, boolean front) {
    requireNonNull(list, "list");
    requireNonNull(payload, "payload");
    lock.lock();
    try {
      if (!takeHeld(workerId, delivery)) {
        return false;
      }
      push(list, payload, front);
      return true;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public boolean deadLetter(String workerId, Delivery delivery, DeadLetter letter) {
    requireNonNull(letter, "letter");
    lock.lock();
    try {
      if (!takeHeld(workerId, delivery)) {
        return false;
      }
      dead.addFirst(letter);
      return true;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public boolean heartbeat(WorkerInfo worker, Duration ttl) {
    requireNonNull(worker, "worker");
    requireNonNull(ttl, "ttl");
    lock.lock();
    try {
      Instant now = clock.instant();
      Heartbeat previous = heartbeats.get(worker.id());
      boolean alive =
          previous == null ? !knownWorkers.contains(worker.id()) : previous.isAlive(now);
      heartbeats.put(worker.id(), new Heartbeat(worker, now.plus(ttl)));
      knownWorkers.add(worker.id());
      return alive;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public int unregister(String workerId, Restorer restorer) {
    requireNonNull(workerId, "workerId");
    requireNonNull(restorer, "restorer");
    lock.lock();
    try {
      heartbeats.remove(workerId);
      knownWorkers.remove(workerId);
      return restoreAll(workerId, restorer);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public int reapExpired(Restorer restorer) {
    requireNonNull(restorer, "restorer");
    lock.lock();
    try {
      Instant now = clock.instant();
      int restored = 0;
      for (Iterator<String> ids = knownWorkers.iterator(); ids.hasNext(); ) {
        String id = ids.next();
        Heartbeat beat = heartbeats.get(id);
        if (beat != null && beat.isAlive(now)) {
          continue;
        }
        // The id stays known, so a worker that comes back after being reaped hears that its
        // heartbeat had expired.
        heartbeats.remove(id);
        restored += restoreAll(id, restorer);
      }
      return restored;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public boolean publishOnce(String claim, Duration claimTtl, Outgoing message) {
    return publishOnce(claim, "1", claimTtl, message).isEmpty();
  }

  @Override
  public Optional<String> publishOnce(
      String claim, String value, Duration claimTtl, Outgoing message) {
    requireNonNull(claim, "claim");
    requireNonNull(value, "value");
    requireNonNull(claimTtl, "claimTtl");
    requireNonNull(message, "message");
    lock.lock();
    try {
      requireOpen();
      Instant now = clock.instant();
      Instant until = claims.get(claim);
      if (until != null && until.isAfter(now)) {
        return Optional.of(claimValues.getOrDefault(claim, ""));
      }
      if (claims.size() >= PRUNE_CLAIMS_AT) {
        // Expired claims are only looked at again when renewed: drop them before growing further.
        claims.entrySet().removeIf(e -> !e.getValue().isAfter(now));
        claimValues.keySet().retainAll(claims.keySet());
      }
      claims.put(claim, now.plus(claimTtl));
      claimValues.put(claim, value);
      list(message.list()).addLast(message.payload());
      published.signalAll();
      return Optional.empty();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public List<DeadLetter> deadLetters(int max) {
    lock.lock();
    try {
      return dead.stream().limit(Math.max(0, max)).toList();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public Optional<DeadLetter> deadLetter(String id) {
    requireNonNull(id, "id");
    lock.lock();
    try {
      return dead.stream().filter(d -> d.id().equals(id)).findFirst();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public boolean requeueDead(String id, String list) {
    requireNonNull(id, "id");
    requireNonNull(list, "list");
    lock.lock();
    try {
      for (Iterator<DeadLetter> it = dead.iterator(); it.hasNext(); ) {
        DeadLetter letter = it.next();
        if (letter.id().equals(id)) {
          it.remove();
          push(list, letter.payload(), true);
          return true;
        }
      }
      return false;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public long purgeDead() {
    lock.lock();
    try {
      long count = dead.size();
      dead.clear();
      return count;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public BrokerStats stats(Collection<String> queues) {
    requireNonNull(queues, "queues");
    lock.lock();
    try {
      Instant now = clock.instant();
      List<WorkerInfo> alive =
          heartbeats.values().stream().filter(h -> h.isAlive(now)).map(Heartbeat::worker).toList();
      Set<String> names = new LinkedHashSet<>(queues);
      alive.forEach(w -> names.addAll(w.queues()));
      Map<String, Long> depths = new LinkedHashMap<>();
      for (String queue : names) {
        long depth = 0;
        for (String name : PriorityLists.listsInServeOrder(queue)) {
          Deque<String> items = lists.get(name);
          depth += items == null ? 0 : items.size();
        }
        depths.put(queue, depth);
      }
      long held = inFlight.values().stream().mapToLong(List::size).sum();
      return new BrokerStats(depths, schedule.size(), held, dead.size(), alive);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void close() {
    lock.lock();
    try {
      closed = true;
      published.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private int restoreAll(String workerId, Restorer restorer) {
    List<Delivery> held = inFlight.remove(workerId);
    if (held == null) {
      return 0;
    }
    // Newest first, each to the front, leaves the oldest served first, as kombu's restore does.
    for (int i = held.size() - 1; i >= 0; i--) {
      Delivery delivery = held.get(i);
      Restored target = restorer.restore(delivery);
      if (target.list() != null) {
        push(target.list(), target.payload(), true);
      } else {
        dead.addFirst(requireNonNull(target.dead()));
      }
    }
    return held.size();
  }

  private boolean takeHeld(String workerId, Delivery delivery) {
    requireNonNull(workerId, "workerId");
    requireNonNull(delivery, "delivery");
    List<Delivery> held = inFlight.get(workerId);
    if (held == null) {
      return false;
    }
    for (Iterator<Delivery> it = held.iterator(); it.hasNext(); ) {
      if (it.next().payload().equals(delivery.payload())) {
        it.remove();
        return true;
      }
    }
    return false;
  }

  private void push(String list, String payload, boolean front) {
    if (front) {
      list(list).addFirst(payload);
    } else {
      list(list).addLast(payload);
    }
    published.signalAll();
  }

  private Deque<String> list(String name) {
    return lists.computeIfAbsent(name, n -> new ArrayDeque<>());
  }

  private void requireOpen() {
    if (closed) {
      throw new IllegalStateException("the broker is closed");
    }
  }

  private record Heartbeat(WorkerInfo worker, Instant expiresAt) {
    boolean isAlive(Instant now) {
      return now.isBefore(expiresAt);
    }
  }

  private record Scheduled(Instant due, long sequence, String list, String payload)
      implements Comparable<Scheduled> {
    @Override
    public int compareTo(Scheduled other) {
      int byDue = due.compareTo(other.due);
      return byDue != 0 ? byDue : Long.compare(sequence, other.sequence);
    }
  }
}
