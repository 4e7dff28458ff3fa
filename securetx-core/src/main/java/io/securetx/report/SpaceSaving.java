package io.securetx.report;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The weighted Space-Saving summary (Metwally, Agrawal, El Abbadi, 2005): at most {@code capacity}
 * counters, however many distinct users occur. A user not tracked replaces the counter with the
 * smallest weight and inherits that weight as its possible error. Every estimate is an upper bound
 * of the user's true volume and exceeds it by at most its error; every user whose true volume
 * exceeds the smallest counter is tracked. A min-heap finds the smallest counter in O(log k).
 */
final class SpaceSaving {

  /** One tracked user. */
  static final class Counter {
    String user;
    int ref;
    final Sum weight = new Sum();
    final Sum error = new Sum();
    private int position;

    Counter(String user, int ref) {
      this.user = user;
      this.ref = ref;
    }
  }

  /** Larger weight first; ties by user id, so the order is deterministic. */
  static final Comparator<Counter> LARGEST_FIRST =
      Comparator.<Counter, Sum>comparing(c -> c.weight).reversed().thenComparing(c -> c.user);

  private final int capacity;
  private final Counter[] heap;
  private final Map<String, Counter> index;
  private int size;

  SpaceSaving(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be >= 1");
    }
    this.capacity = capacity;
    this.heap = new Counter[capacity];
    this.index = new HashMap<>(capacity * 2);
  }

  /** Adds {@code weight} to a user's volume. */
  void add(String user, int ref, long weight) {
    Counter counter = index.get(user);
    if (counter == null) {
      if (size < capacity) {
        counter = new Counter(user, ref);
        counter.position = size;
        heap[size++] = counter;
        index.put(user, counter);
        siftUp(counter.position);
      } else {
        counter = heap[0];
        index.remove(counter.user);
        counter.user = user;
        counter.ref = ref;
        counter.error.set(counter.weight);
        index.put(user, counter);
      }
    }
    counter.weight.add(weight);
    siftDown(counter.position);
  }

  /** Starts tracking a user with an exactly known volume (when an exact tally is summarised). */
  void seed(String user, int ref, Sum weight) {
    if (index.containsKey(user) || size == capacity) {
      throw new IllegalStateException("seed only distinct users, at most capacity");
    }
    Counter counter = new Counter(user, ref);
    counter.weight.set(weight);
    counter.position = size;
    heap[size++] = counter;
    index.put(user, counter);
    siftUp(counter.position);
  }

  /** How many users are tracked. */
  int size() {
    return size;
  }

  /** The smallest tracked volume once every counter is in use; zero before. */
  Sum floor() {
    return size < capacity ? new Sum() : heap[0].weight;
  }

  /** The {@code n} largest counters, largest first. */
  List<Counter> top(int n) {
    Counter[] all = Arrays.copyOf(heap, size);
    Arrays.sort(all, LARGEST_FIRST);
    return new ArrayList<>(Arrays.asList(all).subList(0, Math.min(n, size)));
  }

  private void siftUp(int i) {
    Counter moving = heap[i];
    while (i > 0) {
      int parent = (i - 1) / 2;
      if (heap[parent].weight.compareTo(moving.weight) <= 0) {
        break;
      }
      place(heap[parent], i);
      i = parent;
    }
    place(moving, i);
  }

  private void siftDown(int i) {
    Counter moving = heap[i];
    while (true) {
      int child = 2 * i + 1;
      if (child >= size) {
        break;
      }
      if (child + 1 < size && heap[child + 1].weight.compareTo(heap[child].weight) < 0) {
        child++;
      }
      if (heap[child].weight.compareTo(moving.weight) >= 0) {
        break;
      }
      place(heap[child], i);
      i = child;
    }
    place(moving, i);
  }

  private void place(Counter counter, int i) {
    heap[i] = counter;
    counter.position = i;
  }
}
