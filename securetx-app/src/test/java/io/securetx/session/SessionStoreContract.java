package io.securetx.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.securetx.adapter.http.MutableClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The session-store contract, run against every store: the in-memory one and the database one on
 * each database the vault supports. Time is a clock the test moves; a store from {@link
 * #otherServer} stands for a second server of the same deployment.
 */
public abstract class SessionStoreContract {

  protected static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
  protected static final Duration IDLE = Duration.ofMinutes(10);
  protected static final Duration ABSOLUTE = Duration.ofMinutes(25);
  protected static final int CAP = 3;
  protected static final SessionPolicy POLICY = new SessionPolicy(IDLE, ABSOLUTE, CAP);

  protected final MutableClock clock = new MutableClock(T0);
  protected SessionStore store;
  private int ids;

  /**
   * A store under test, on a fresh backend the first time and on the same one afterwards.
   *
   * @param clock its clock
   * @param policy its policy
   * @return the store, closed by the subclass after the test
   */
  protected abstract SessionStore open(Clock clock, SessionPolicy policy);

  /** What a second server sees: by default the same store (one process). */
  protected SessionStore otherServer() {
    return store;
  }

  @BeforeEach
  void openStore() {
    store = open(clock, POLICY);
  }

  protected SessionKey newKey() {
    return SessionKey.of("session-id-" + ids++);
  }

  private SessionKey opened() {
    SessionKey key = newKey();
    store.open(key);
    return key;
  }

  // ---- open and lookup

  @Test
  void open_thenFind_liveWithItsTimes() {
    SessionKey key = opened();

    assertThat(store.find(key)).contains(new StoredSession(key, T0, T0));
    assertThat(store.peek(key)).contains(new StoredSession(key, T0, T0));
  }

  @Test
  void findAndPeek_unknownKey_empty() {
    opened();

    assertThat(store.find(newKey())).isEmpty();
    assertThat(store.peek(newKey())).isEmpty();
  }

  @Test
  void open_onOneServer_seenAndClosedByAnother() {
    SessionKey key = opened();
    SessionStore other = otherServer();

    assertThat(other.find(key)).isPresent();
    other.close(key);

    assertThat(store.find(key)).isEmpty();
    assertThat(store.peek(key)).isEmpty();
  }

  // ---- idle expiry

  @Test
  void find_restartsTheIdleTime_peekDoesNot() {
    SessionKey key = opened();
    clock.advance(Duration.ofMinutes(4));

    assertThat(store.peek(key).orElseThrow().lastSeenAt()).isEqualTo(T0);
    assertThat(store.find(key).orElseThrow().lastSeenAt())
        .isEqualTo(T0.plus(Duration.ofMinutes(4)));
    assertThat(store.peek(key).orElseThrow().lastSeenAt())
        .isEqualTo(T0.plus(Duration.ofMinutes(4)));
  }

  @Test
  void idle_untilTheLastInstant_live_thenExpiredAndRemoved() {
    SessionKey key = opened();
    SessionKey other = opened();

    clock.advance(IDLE.minusSeconds(1));
    assertThat(store.peek(key)).isPresent();
    clock.advance(Duration.ofSeconds(1));

    assertThat(store.peek(key)).isEmpty();
    assertThat(store.find(other)).isEmpty();
    assertThat(store.size()).isZero();
  }

  @Test
  void polls_alone_doNotKeepASessionAlive() {
    SessionKey key = opened();
    Duration poll = Duration.ofSeconds(30);
    for (Duration elapsed = poll; elapsed.compareTo(IDLE) < 0; elapsed = elapsed.plus(poll)) {
      clock.advance(poll);
      assertThat(store.peek(key)).as("after %s", elapsed).isPresent();
    }
    clock.advance(poll);

    assertThat(store.peek(key)).isEmpty();
    assertThat(store.find(key)).isEmpty();
  }

  @Test
  void userRequests_keepASessionAlive_untilIdleAfterTheLast() {
    SessionKey key = opened();
    clock.advance(IDLE.minusSeconds(1));
    assertThat(store.find(key)).isPresent();
    clock.advance(IDLE.minusSeconds(1));
    assertThat(store.peek(key)).isPresent();
    clock.advance(Duration.ofSeconds(1));

    assertThat(store.find(key)).isEmpty();
  }

  // ---- absolute expiry

  @Test
  void absolute_endsEvenAnActiveSession() {
    SessionKey key = opened();
    Duration step = IDLE.minusMinutes(1);
    Duration elapsed = Duration.ZERO;
    while (elapsed.plus(step).compareTo(ABSOLUTE) < 0) {
      clock.advance(step);
      elapsed = elapsed.plus(step);
      assertThat(store.find(key)).as("after %s", elapsed).isPresent();
    }
    clock.advance(ABSOLUTE.minus(elapsed).minusSeconds(1));
    assertThat(store.find(key)).isPresent();
    clock.advance(Duration.ofSeconds(1));

    assertThat(store.find(key)).isEmpty();
    assertThat(store.size()).isZero();
  }

  // ---- logout

  @Test
  void close_endsThatSessionOnly() {
    SessionKey key = opened();
    SessionKey other = opened();

    store.close(key);

    assertThat(store.find(key)).isEmpty();
    assertThat(store.find(other)).isPresent();
    assertThat(store.size()).isEqualTo(1);
  }

  @Test
  void close_unknownOrTwice_isIgnored() {
    SessionKey key = opened();
    store.close(newKey());
    store.close(key);
    store.close(key);

    assertThat(store.size()).isZero();
  }

  // ---- bounds

  @Test
  void open_atTheCap_evictsTheOldest() {
    List<SessionKey> keys = new ArrayList<>();
    for (int i = 0; i < CAP; i++) {
      keys.add(opened());
      clock.advance(Duration.ofSeconds(1));
    }
    store.find(keys.get(0)); // recently used, but still the oldest

    SessionKey newest = opened();

    assertThat(store.size()).isEqualTo(CAP);
    assertThat(store.peek(keys.get(0))).isEmpty();
    for (SessionKey kept : List.of(keys.get(1), keys.get(2), newest)) {
      assertThat(store.peek(kept)).as("%s", kept).isPresent();
    }
  }

  @Test
  void open_manyAtTheSameInstant_keepsTheCapAndAlwaysTheNewOne() {
    for (int i = 0; i < 3 * CAP; i++) {
      SessionKey key = opened();
      assertThat(store.peek(key)).isPresent();
      assertThat(store.size()).isLessThanOrEqualTo(CAP);
    }
    assertThat(store.size()).isEqualTo(CAP);
  }

  @Test
  void open_removesExpiredSessionsNobodyLooksUpAgain() {
    opened();
    opened();
    clock.advance(IDLE);
    SessionKey fresh = opened();

    assertThat(store.size()).isEqualTo(1);
    assertThat(store.peek(fresh)).isPresent();
  }

  @Test
  void open_removesSessionsPastTheirAbsoluteExpiry_evenWhenActive() {
    SessionKey old = opened();
    for (Duration elapsed = Duration.ZERO;
        elapsed.compareTo(ABSOLUTE.minus(IDLE)) < 0;
        elapsed = elapsed.plus(IDLE.minusMinutes(1))) {
      clock.advance(IDLE.minusMinutes(1));
      store.find(old);
    }
    clock.advance(ABSOLUTE.minus(Duration.between(T0, clock.instant())));
    opened();

    assertThat(store.size()).isEqualTo(1);
  }
}
