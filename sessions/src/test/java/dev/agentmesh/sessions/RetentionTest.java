package dev.agentmesh.sessions;

import static dev.agentmesh.sessions.ParticipantRole.OWNER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentmesh.sessions.spi.StoredEvent;
import dev.agentmesh.testing.FakeClock;
import dev.agentmesh.testing.ManualScheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** Retention on the Sessions runtime: the sweep purges and archives; delete erases. */
class RetentionTest {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final Duration MONTH = Duration.ofDays(30);
  private final FakeClock clock = Fixtures.clock();
  private final ManualScheduler scheduler = new ManualScheduler(clock);
  private final InMemorySessionStore store = InMemorySessionStore.create();

  private Sessions sessions(Retention retention) {
    return Sessions.builder(Fixtures.mesh(clock))
        .store(store)
        .executor(Runnable::run)
        .scheduler(scheduler)
        .clock(clock)
        .nodeId("a")
        .retention(retention)
        .build();
  }

  private String completed(Sessions sessions, String id) {
    sessions
        .newSession("plain")
        .id(id)
        .input("hello")
        .participant("ana", OWNER)
        .start()
        .awaitFinished(WAIT);
    return id;
  }

  @Test
  void theSweepPurgesFinishedSessionsOlderThanTheWindowAndKeepsLiveOnes() {
    Sessions sessions = sessions(Retention.purgeFinishedAfter(MONTH));
    completed(sessions, "old-done");
    completed(sessions, "old-waiting");
    sessions.session("old-waiting").awaitInput("approval", "Ship it?");
    completed(sessions, "old-paused");
    sessions.session("old-paused").pause("ana");
    clock.advance(MONTH.minusHours(1));
    completed(sessions, "recent-done");
    clock.advance(Duration.ofHours(2));

    scheduler.runAll();

    assertThat(sessions.find("old-done")).isEmpty();
    assertThat(store.load("old-done", 0)).isEmpty();
    assertThat(sessions.find("old-waiting")).isPresent();
    assertThat(sessions.find("old-paused")).isPresent();
    assertThat(sessions.find("recent-done")).isPresent();
  }

  @Test
  void theSweepPurgesAtMostOncePerCheckInterval() {
    Sessions sessions =
        sessions(Retention.purgeFinishedAfter(Duration.ZERO).checkEvery(Duration.ofHours(1)));
    completed(sessions, "first");
    clock.advance(Duration.ofSeconds(1));
    scheduler.runAll();
    assertThat(sessions.find("first")).isEmpty();

    completed(sessions, "second");
    clock.advance(Duration.ofMinutes(59));
    scheduler.runAll();
    assertThat(sessions.find("second")).as("checked less than an hour ago").isPresent();

    clock.advance(Duration.ofMinutes(1));
    scheduler.runAll();
    assertThat(sessions.find("second")).isEmpty();
  }

  @Test
  void purgeDeletesEveryPageNowWhateverTheInterval() {
    Sessions sessions = sessions(Retention.purgeFinishedAfter(MONTH).batchSize(2));
    for (int i = 0; i < 5; i++) {
      completed(sessions, "s-" + i);
    }
    clock.advance(MONTH.plusSeconds(1));

    assertThat(sessions.purge()).isEqualTo(5);
    assertThat(store.size()).isZero();
    assertThat(sessions.purge()).isZero();
  }

  @Test
  void theArchiveGetsEachWholeLogBeforeItIsDeletedAndAFailingArchiveDeletesNothing() {
    Map<String, List<StoredEvent>> archived = new LinkedHashMap<>();
    AtomicBoolean failing = new AtomicBoolean(true);
    Sessions sessions =
        sessions(
            Retention.purgeFinishedAfter(MONTH)
                .archiveTo(
                    (summary, log) -> {
                      if (failing.get() && summary.id().equals("flaky")) {
                        throw new java.io.IOException("bucket unreachable");
                      }
                      assertThat(summary.version()).isEqualTo(log.size());
                      archived.put(summary.id(), log);
                    }));
    completed(sessions, "fine");
    completed(sessions, "flaky");
    List<StoredEvent> fineLog = store.load("fine", 0);
    clock.advance(MONTH.plusSeconds(1));

    assertThat(sessions.purge()).isEqualTo(1);
    assertThat(archived).containsOnlyKeys("fine");
    assertThat(archived.get("fine")).isEqualTo(fineLog);
    assertThat(sessions.find("flaky")).as("its archive failed, so it is kept").isPresent();

    failing.set(false);
    assertThat(sessions.purge()).isEqualTo(1);
    assertThat(archived).containsOnlyKeys("fine", "flaky");
    assertThat(store.size()).isZero();
  }

  @Test
  void anIdempotencyKeyOutlivesThePurgeOfItsSessionButNotAnErasure() {
    Sessions sessions = sessions(Retention.purgeFinishedAfter(MONTH).keepRows("triggers.claim"));
    sessions
        .newSession("plain")
        .id("s-1")
        .input("signup")
        .idempotencyKey("webhook-1")
        .start()
        .awaitFinished(WAIT);
    clock.advance(MONTH.plusSeconds(1));
    assertThat(sessions.purge()).isEqualTo(1);

    Session redelivered =
        sessions.newSession("plain").input("signup").idempotencyKey("webhook-1").start();
    assertThat(redelivered.id()).as("the purged session, not a new one").isEqualTo("s-1");
    assertThat(store.size()).isZero();

    assertThat(sessions.delete("s-1")).isFalse();
    Session afterErasure =
        sessions.newSession("plain").id("s-2").input("signup").idempotencyKey("webhook-1").start();
    assertThat(afterErasure.id()).isEqualTo("s-2");
    assertThat(sessions.find("s-2")).isPresent();
  }

  @Test
  void deleteErasesASessionAndLaterCommandsFindNoSession() {
    Sessions sessions = sessions(Retention.purgeFinishedAfter(MONTH));
    completed(sessions, "s-1");
    completed(sessions, "s-2");
    Session session = sessions.session("s-1");

    assertThat(sessions.delete("s-1")).isTrue();

    assertThat(sessions.find("s-1")).isEmpty();
    assertThat(store.load("s-1", 0)).isEmpty();
    assertThatThrownBy(() -> sessions.session("s-1")).isInstanceOf(SessionNotFoundException.class);
    assertThatThrownBy(() -> session.post("ana", "hello again"))
        .isInstanceOf(SessionNotFoundException.class);
    assertThat(sessions.delete("s-1")).isFalse();
    assertThat(sessions.find("s-2")).isPresent();
  }

  @Test
  void aSessionErasedWhileItsTurnWaitsToRunIsNotCreatedAgainByThatTurn() {
    List<Runnable> queued = new ArrayList<>();
    Sessions sessions =
        Sessions.builder(Fixtures.mesh(clock))
            .store(store)
            .executor(queued::add)
            .scheduler(scheduler)
            .clock(clock)
            .nodeId("a")
            .build();
    sessions.newSession("plain").id("s-1").input("hello").participant("ana", OWNER).start();

    sessions.delete("s-1");
    new ArrayList<>(queued).forEach(Runnable::run);

    assertThat(store.find("s-1")).isEmpty();
    assertThat(store.load("s-1", 0)).isEmpty();
  }

  @Test
  void purgeWithoutAPolicyAndBadSettingsSayWhatToDo() {
    Sessions sessions =
        Sessions.builder(Fixtures.mesh(clock))
            .store(store)
            .executor(Runnable::run)
            .scheduler(scheduler)
            .clock(clock)
            .build();

    assertThatThrownBy(sessions::purge)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "No retention policy is set, so nothing is purged; set one with "
                + "Sessions.builder(mesh).retention(Retention.purgeFinishedAfter(...))");
    assertThatThrownBy(() -> Retention.purgeFinishedAfter(Duration.ofDays(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "The retention window must not be negative but was PT-24H; use "
                + "Duration.ZERO to purge finished sessions at the next check");
    assertThatThrownBy(() -> Retention.purgeFinishedAfter(MONTH).batchSize(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("batchSize must be between 1 and 1000 but was 0");
    assertThatThrownBy(() -> Retention.purgeFinishedAfter(MONTH).checkEvery(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("checkEvery must be positive but was PT0S");
  }

  @Test
  void aRetentionPolicyRunsTheSweepEvenWithoutASweepInterval() {
    sessions(Retention.purgeFinishedAfter(MONTH));
    assertThat(scheduler.pending()).isEqualTo(1);
  }
}
