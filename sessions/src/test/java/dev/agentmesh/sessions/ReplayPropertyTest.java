package dev.agentmesh.sessions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmesh.core.AgentTool;
import dev.agentmesh.core.Mesh;
import dev.agentmesh.testing.FakeClock;
import dev.agentmesh.testsupport.Seeds;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Property: whatever participants do to a session, in whatever order, the state the runtime keeps
 * live equals the state replayed from the stored log, and a fork's log starts with its parent's log
 * up to the fork point. Operation sequences come from seeded generators; a failing case prints its
 * seed: rerun it with {@code -Dagentmesh.seed=<seed>}.
 */
class ReplayPropertyTest {

  private static final int OPERATIONS = 40;

  static Stream<Long> seeds() {
    return Seeds.of(25);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void theLiveStateEqualsTheReplayedLogAfterEveryOperation(long seed) {
    Seeds.print(ReplayPropertyTest.class, seed);
    Random random = new Random(seed);
    FakeClock clock = Fixtures.clock();
    InMemorySessionStore store = InMemorySessionStore.create();
    AtomicReference<Runnable> inTool = new AtomicReference<>(() -> {});
    AtomicInteger calls = new AtomicInteger();
    AgentTool lookup =
        AgentTool.builder("lookup")
            .description("Looks up")
            .idempotent(true)
            .handler(
                (args, ctx) -> {
                  inTool.get().run();
                  return "found#" + calls.incrementAndGet();
                })
            .build();
    Mesh mesh = Fixtures.mesh(clock, lookup);
    Sessions sessions =
        Sessions.builder(mesh)
            .store(store)
            .executor(Runnable::run)
            .clock(clock)
            .nodeId("live")
            .build();
    List<String> ids = new ArrayList<>();
    ids.add(
        sessions
            .newSession(random.nextBoolean() ? "assistant" : "plain")
            .input("start")
            .participant("ana", ParticipantRole.OWNER)
            .participant("bo", ParticipantRole.MEMBER)
            .participant("eve", ParticipantRole.OBSERVER)
            .start()
            .id());

    for (int step = 0; step < OPERATIONS; step++) {
      String id = ids.get(random.nextInt(ids.size()));
      inTool.set(random.nextInt(4) == 0 ? () -> sessions.session(id).pause("ana") : () -> {});
      clock.advance(Duration.ofMillis(1 + random.nextInt(1000)));
      String op = operate(sessions, id, random, ids);
      for (String each : ids) {
        assertLiveEqualsReplay(sessions, store, each, seed, step, op);
      }
    }
  }

  private static String operate(Sessions sessions, String id, Random random, List<String> ids) {
    String[] people = {"ana", "bo", "eve", "zed"};
    String who = people[random.nextInt(people.length)];
    int choice = random.nextInt(100);
    String op;
    try {
      if (choice < 30) {
        op = "post by " + who;
        sessions.session(id).post(who, "message " + choice);
      } else if (choice < 42) {
        op = "postTo reviewer by " + who;
        sessions.session(id).postTo(who, "reviewer", "review " + choice);
      } else if (choice < 52) {
        op = "pause";
        sessions.session(id).pause(who);
      } else if (choice < 64) {
        op = "resume";
        sessions.session(id).resume(who);
      } else if (choice < 72) {
        op = "awaitInput";
        sessions.session(id).awaitInput("approval", "ok?");
      } else if (choice < 82) {
        op = "provideInput";
        sessions.session(id).provideInput("approval", choice % 2 == 0 ? "yes" : "no", who);
      } else if (choice < 87) {
        op = "join " + who;
        sessions.session(id).join(who, ParticipantRole.values()[random.nextInt(3)]);
      } else if (choice < 95) {
        long version = 1 + random.nextInt((int) sessions.session(id).state().version());
        op = "fork at " + version;
        String fork = sessions.session(id).fork(version).id();
        ids.add(fork);
        assertForkSharesPrefix(sessions, id, fork, version);
      } else if (choice < 97) {
        op = "cancel";
        sessions.session(id).cancel(who, "enough");
      } else {
        op = "tick";
        sessions.recoverOrphans();
      }
    } catch (IllegalArgumentException | IllegalStateException refused) {
      op = "refused: " + refused.getMessage();
    }
    return op;
  }

  private static void assertLiveEqualsReplay(
      Sessions sessions, InMemorySessionStore store, String id, long seed, int step, String op) {
    SessionState live = sessions.session(id).state();
    List<SessionEvent> log = new ArrayList<>();
    sessions.session(id).history().forEach(e -> log.add(e.event()));
    SessionState replayed = SessionFold.replay(id, log).snapshot();
    assertThat(live)
        .as("seed %d, step %d (%s), session %s", seed, step, op, id)
        .isEqualTo(replayed);
    assertThat(store.find(id).orElseThrow().status()).isEqualTo(live.status().id());
    assertThat(store.find(id).orElseThrow().runnable())
        .isEqualTo(live.status() == SessionStatus.RUNNING);
  }

  private static void assertForkSharesPrefix(
      Sessions sessions, String parent, String fork, long version) {
    List<LoggedEvent> parentLog = sessions.session(parent).history();
    List<LoggedEvent> forkLog = sessions.session(fork).history();
    for (int i = 0; i < version; i++) {
      assertThat(forkLog.get(i).event()).isEqualTo(parentLog.get(i).event());
    }
    assertThat(sessions.session(fork).state().forkedFrom()).isEqualTo(parent);
  }
}
