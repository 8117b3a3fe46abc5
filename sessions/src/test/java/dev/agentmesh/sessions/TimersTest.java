package dev.agentmesh.sessions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentmesh.core.Mesh;
import dev.agentmesh.sessions.spi.PurgeRequest;
import dev.agentmesh.sessions.spi.RowQuery;
import dev.agentmesh.sessions.spi.SessionStore;
import dev.agentmesh.testing.FakeClock;
import dev.agentmesh.testing.ManualScheduler;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Durable timers fire once across nodes, survive restarts, and follow the injected clock. */
class TimersTest {

  private static final Duration TTL = Duration.ofSeconds(30);

  private final FakeClock clock = Fixtures.clock();
  private final Mesh mesh = Fixtures.mesh(clock);
  private final AtomicInteger handled = new AtomicInteger();

  @TempDir Path dir;

  /** Pauses the session, by "timer:" + the payload's text. */
  private final TimerHandler pause =
      (timer, state) -> {
        handled.incrementAndGet();
        return List.of(
            new SessionEvent.Paused(clock.instant(), "timer:" + timer.payload().asString()));
      };

  private Sessions node(SessionStore store, String id) {
    return Sessions.builder(mesh)
        .store(store)
        .executor(Runnable::run)
        .scheduler(new ManualScheduler())
        .clock(clock)
        .leaseTtl(TTL)
        .nodeId(id)
        .timer("expiry", pause)
        .build();
  }

  private String started(Sessions sessions) {
    Session handle =
        sessions.newSession("plain").input("hi").participant("ana", ParticipantRole.OWNER).start();
    handle.awaitFinished(Duration.ofSeconds(10));
    return handle.id();
  }

  private static long fired(Sessions sessions, String id) {
    return sessions.session(id).history().stream()
        .filter(e -> e.event() instanceof SessionEvent.TimerFired)
        .count();
  }

  @Test
  void aTimerFiresAtItsDueInstantNeverBeforeAndOnlyOnce() {
    try (Sessions sessions = node(InMemorySessionStore.create(), "a")) {
      String id = started(sessions);
      Instant due = clock.instant().plus(Duration.ofMinutes(10));
      Timer timer = sessions.session(id).schedule("review-expiry", "expiry", due, "r-7");

      clock.advance(Duration.ofMinutes(10).minusNanos(1000));
      assertThat(sessions.fireDueTimers()).isZero();
      assertThat(fired(sessions, id)).isZero();
      assertThat(sessions.session(id).timers()).containsExactly(timer);

      clock.advance(Duration.ofNanos(1000));
      assertThat(sessions.fireDueTimers()).isEqualTo(1);
      assertThat(sessions.fireDueTimers()).isZero();
      clock.advance(Duration.ofHours(1));
      sessions.fireDueTimers();

      assertThat(sessions.session(id).history())
          .extracting(e -> e.event().type())
          .endsWith("timer.fired", "session.paused")
          .containsOnlyOnce("timer.fired");
      SessionEvent.TimerFired event =
          sessions.session(id).history().stream()
              .map(LoggedEvent::event)
              .filter(SessionEvent.TimerFired.class::isInstance)
              .map(SessionEvent.TimerFired.class::cast)
              .findFirst()
              .orElseThrow();
      assertThat(event)
          .isEqualTo(new SessionEvent.TimerFired(due, "review-expiry", "expiry", timer.payload()));
      assertThat(sessions.session(id).state().status()).isEqualTo(SessionStatus.PAUSED);
      assertThat(sessions.session(id).timers()).isEmpty();
      assertThat(handled).hasValue(1);
    }
  }

  @Test
  void ofTwoNodesTickingTogetherEachTimerFiresOnce() throws Exception {
    InMemorySessionStore store = InMemorySessionStore.create();
    Sessions a = node(store, "a");
    Sessions b = node(store, "b");
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      String id = started(a);
      ids.add(id);
      a.session(id).schedule("expiry", "expiry", clock.instant().plusSeconds(i), "n" + i);
    }
    clock.advance(Duration.ofMinutes(1));
    CountDownLatch go = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try (a;
        b) {
      List<Future<Integer>> ticks = new ArrayList<>();
      for (Sessions node : List.of(a, b, a, b)) {
        ticks.add(
            pool.submit(
                () -> {
                  go.await(30, TimeUnit.SECONDS);
                  return node.fireDueTimers();
                }));
      }
      go.countDown();
      int total = 0;
      for (Future<Integer> f : ticks) {
        total += f.get(60, TimeUnit.SECONDS);
      }
      assertThat(total).isEqualTo(10);
      for (String id : ids) {
        assertThat(fired(a, id)).as("timer of %s", id).isEqualTo(1);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aTimerClaimedByANodeThatDiedFiresElsewhereOnceTheClaimExpires() {
    InMemorySessionStore store = InMemorySessionStore.create();
    try (Sessions b = node(store, "b")) {
      String id = started(b);
      b.session(id).schedule("expiry", "expiry", clock.instant(), "late");
      assertThat(store.claimRows(Timers.NAMESPACE, "a", clock.instant(), TTL, 10)).hasSize(1);

      clock.advance(TTL.minusSeconds(1));
      assertThat(b.fireDueTimers()).as("node a's claim still lives").isZero();
      clock.advance(Duration.ofSeconds(1));
      assertThat(b.fireDueTimers()).isEqualTo(1);
      assertThat(fired(b, id)).isEqualTo(1);
    }
  }

  @Test
  void aScheduledTimerSurvivesARestartOnTheSameStore() {
    Path file = dir.resolve("timers.db");
    String id;
    try (SqliteSessionStore store = SqliteSessionStore.create(file);
        Sessions before = node(store, "a")) {
      id = started(before);
      before
          .session(id)
          .schedule("digest", "expiry", clock.instant().plus(Duration.ofHours(1)), "d");
    }
    clock.advance(Duration.ofHours(2));
    try (SqliteSessionStore store = SqliteSessionStore.create(file);
        Sessions after = node(store, "b")) {
      assertThat(after.fireDueTimers()).isEqualTo(1);
      assertThat(fired(after, id)).isEqualTo(1);
      assertThat(after.session(id).state().status()).isEqualTo(SessionStatus.PAUSED);
    }
  }

  @Test
  void aCancelledOrReplacedTimerDoesNotFireAsScheduledBefore() {
    try (Sessions sessions = node(InMemorySessionStore.create(), "a")) {
      String id = started(sessions);
      Session handle = sessions.session(id);
      handle.schedule("expiry", "expiry", clock.instant().plusSeconds(10), "first");
      handle.schedule("other", "expiry", clock.instant().plusSeconds(10), "other");
      sessions.session(id).schedule("expiry", "expiry", clock.instant().plusSeconds(60), "moved");

      assertThat(handle.cancelTimer("other")).isTrue();
      assertThat(handle.cancelTimer("other")).isFalse();
      clock.advance(Duration.ofSeconds(30));
      assertThat(sessions.fireDueTimers()).isZero();
      clock.advance(Duration.ofSeconds(30));
      assertThat(sessions.fireDueTimers()).isEqualTo(1);
      assertThat(sessions.session(id).history())
          .extracting(LoggedEvent::event)
          .filteredOn(SessionEvent.Paused.class::isInstance)
          .extracting(e -> ((SessionEvent.Paused) e).by())
          .containsExactly("timer:moved");
    }
  }

  @Test
  void aFailingHandlerLeavesTheTimerToFireAgainAfterItsClaimExpires() {
    AtomicInteger calls = new AtomicInteger();
    try (Sessions sessions =
        Sessions.builder(mesh)
            .store(InMemorySessionStore.create())
            .executor(Runnable::run)
            .scheduler(new ManualScheduler())
            .clock(clock)
            .leaseTtl(TTL)
            .timer(
                "flaky",
                (timer, state) -> {
                  if (calls.incrementAndGet() == 1) {
                    throw new IllegalStateException("downstream unavailable");
                  }
                  return List.of();
                })
            .build()) {
      String id = started(sessions);
      sessions.session(id).schedule("retry", "flaky", clock.instant(), Map.of("attempt", 1));

      assertThat(sessions.fireDueTimers()).isZero();
      assertThat(fired(sessions, id)).isZero();
      clock.advance(TTL);
      assertThat(sessions.fireDueTimers()).isEqualTo(1);
      assertThat(fired(sessions, id)).isEqualTo(1);
    }
  }

  @Test
  void aTimerOfASessionEvictedFromABoundedStoreIsDroppedWhenDueAndFiresNothing() {
    InMemorySessionStore store = InMemorySessionStore.builder().maximumSessions(1).build();
    try (Sessions sessions = node(store, "a")) {
      String evicted = started(sessions);
      sessions.session(evicted).schedule("expiry", "expiry", clock.instant(), "gone");
      String next = started(sessions);
      assertThat(store.find(evicted)).as("evicted to make room").isEmpty();
      assertThat(store.findRow(Timers.NAMESPACE, Timers.key(evicted, "expiry"))).isPresent();

      assertThat(sessions.fireDueTimers()).isZero();
      assertThat(store.findRow(Timers.NAMESPACE, Timers.key(evicted, "expiry")))
          .as("dropped, not left to be claimed again every sweep")
          .isEmpty();
      clock.advance(TTL);
      assertThat(sessions.fireDueTimers()).isZero();
      assertThat(store.find(evicted)).as("not created again by the firing").isEmpty();
      assertThat(store.load(evicted, 0)).isEmpty();
      assertThat(fired(sessions, next)).isZero();
    }
  }

  @Test
  void aTimerWhoseSessionAnotherNodePurgedKeepingTheRowIsDroppedAndADeleteErasesTimers() {
    InMemorySessionStore store = InMemorySessionStore.create();
    try (Sessions sessions = node(store, "a")) {
      String purged = started(sessions);
      sessions.session(purged).schedule("expiry", "expiry", clock.instant(), "p");
      String erased = started(sessions);
      sessions.session(erased).schedule("expiry", "expiry", clock.instant(), "e");
      assertThat(sessions.session(purged).state().status()).isEqualTo(SessionStatus.COMPLETED);

      Instant now = clock.instant().plusSeconds(1);
      assertThat(
              store.purge(
                  PurgeRequest.finishedBefore(now, now)
                      .only(List.of(store.find(purged).orElseThrow()))
                      .keepRows(java.util.Set.of(Timers.NAMESPACE))
                      .build()))
          .as("through the store, so this node still caches the session")
          .hasSize(1);
      assertThat(sessions.delete(erased)).isTrue();
      assertThat(store.findRow(Timers.NAMESPACE, Timers.key(erased, "expiry")))
          .as("erased with its session")
          .isEmpty();

      assertThat(sessions.fireDueTimers()).isZero();
      assertThat(store.queryRows(RowQuery.builder(Timers.NAMESPACE).build())).isEmpty();
      clock.advance(TTL);
      assertThat(sessions.fireDueTimers()).isZero();
      assertThat(store.find(purged))
          .as(
              "its handler may decide on the cached state (its "
                  + "contract allows a second call), but nothing is stored")
          .isEmpty();
      assertThat(store.load(purged, 0)).isEmpty();
      assertThat(store.find(erased)).isEmpty();
    }
  }

  @Test
  void schedulingAKindWithoutAHandlerOrANameWithAHashIsRefused() {
    try (Sessions sessions = node(InMemorySessionStore.create(), "a")) {
      String id = started(sessions);
      assertThatThrownBy(() -> sessions.session(id).schedule("x", "expiri", clock.instant(), "p"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(
              "No timer handler for kind 'expiri' (timer 'x' of session '"
                  + id
                  + "'); "
                  + "register one with Sessions.builder(mesh).timer(\"expiri\", handler). Kinds with "
                  + "handlers: [expiry]");
      assertThatThrownBy(() -> sessions.session(id).schedule("a#b", "expiry", clock.instant(), "p"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(
              "A timer's name must be non-blank text without '#' but was 'a#b' (session '"
                  + id
                  + "')");
    }
  }
}
