package io.securetx.task.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** celery-wire.md §0 and §2.6: priority to list name, and the order workers serve the lists. */
class PriorityListsTest {

  @ParameterizedTest
  @CsvSource({
    "0,0",
    "1,0",
    "2,0",
    "3,3",
    "4,3",
    "5,3",
    "6,6",
    "7,6",
    "8,6",
    "9,9",
    "10,9",
    "255,9",
    "-1,0",
    "-2147483648,0",
    "2147483647,9"
  })
  void bucketOf_measuredPriorities_givesKombuBucket(int priority, int bucket) {
    assertThat(PriorityLists.bucketOf(priority)).isEqualTo(bucket);
  }

  @Test
  void listFor_eachBucket_givesBareNameOrSeparatorAndDigit() {
    assertThat(PriorityLists.listFor("celery", 0)).isEqualTo("celery");
    assertThat(PriorityLists.listFor("celery", 2)).isEqualTo("celery");
    assertThat(PriorityLists.listFor("celery", 3)).isEqualTo("celery\u0006\u00163");
    assertThat(PriorityLists.listFor("celery", 6)).isEqualTo("celery\u0006\u00166");
    assertThat(PriorityLists.listFor("celery", 255)).isEqualTo("celery\u0006\u00169");
    assertThat(PriorityLists.listFor("emails", 6).getBytes(java.nio.charset.StandardCharsets.UTF_8))
        .containsExactly('e', 'm', 'a', 'i', 'l', 's', 0x06, 0x16, '6');
  }

  @Test
  void listsInServeOrder_queue_givesBucketZeroFirst() {
    assertThat(PriorityLists.listsInServeOrder("q"))
        .containsExactly("q", "q\u0006\u00163", "q\u0006\u00166", "q\u0006\u00169");
  }

  @Test
  void queueOf_priorityListName_givesQueue() {
    for (int p = 0; p <= 10; p++) {
      assertThat(PriorityLists.queueOf(PriorityLists.listFor("a\u0006\u0016b", p)))
          .isEqualTo("a\u0006\u0016b");
    }
    assertThat(PriorityLists.queueOf("plain")).isEqualTo("plain");
  }

  @Test
  void listFor_emptyQueue_throws() {
    assertThatThrownBy(() -> PriorityLists.listFor("", 0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void serveOrder_measuredSequence_lowerNumberFirstFifoWithinBucket() {
    // celery-wire.md §2.6: pushed as 9,0,6,3,0,9,5,1, executed as 0,0,1,3,5,6,9,9.
    int[] pushed = {9, 0, 6, 3, 0, 9, 5, 1};
    Map<String, Deque<Integer>> redis = new HashMap<>();
    for (int p : pushed) {
      redis
          .computeIfAbsent(PriorityLists.listFor("celery", p), k -> new ArrayDeque<>())
          .addFirst(p);
    }
    List<Integer> served = new ArrayList<>();
    while (redis.values().stream().anyMatch(d -> !d.isEmpty())) {
      for (String list : PriorityLists.listsInServeOrder("celery")) { // BRPOP takes the first
        Deque<Integer> d = redis.get(list);
        if (d != null && !d.isEmpty()) {
          served.add(d.removeLast());
          break;
        }
      }
    }
    assertThat(served).containsExactly(0, 0, 1, 3, 5, 6, 9, 9);
  }

  @Test
  void envelopeListName_routingKeyAndPriority_givesPriorityList() {
    TaskMessage m = TaskMessage.builder("add").args(2, 3).build();

    assertThat(Envelope.of(m, "celery", 0).listName()).isEqualTo("celery");
    assertThat(Envelope.of(m, "celery", 4).listName()).isEqualTo("celery\u0006\u00163");
  }
}
