package dev.agentmesh.sessions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmesh.core.AgentEvent;
import dev.agentmesh.core.Mesh;
import dev.agentmesh.core.spi.ChatMessage;
import dev.agentmesh.sessions.spi.SessionStore;
import dev.agentmesh.testsupport.PostgresTestDatabase;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Property: N writers posting to one session at once (threads on one {@link Sessions}, and threads
 * on several {@code Sessions} instances sharing one PostgreSQL) lose nothing and duplicate nothing,
 * all land in one total order, and agent turns never overlap. Seeded; the seed is printed, rerun
 * with {@code -Dagentmesh.seed=<seed>}.
 */
class ConcurrentWritersTest {

  private static final List<String> SCHEMAS = new ArrayList<>();

  static Stream<Arguments> cases() {
    long seed = Long.getLong("agentmesh.seed", System.nanoTime());
    return Stream.of(
        Arguments.of("memory, 1 instance, 8 threads", seed, false, 1, 8, 12),
        Arguments.of("postgres, 3 instances, 6 threads", seed + 1, true, 3, 6, 10),
        Arguments.of("postgres, 2 instances, 4 threads", seed + 2, true, 2, 4, 15));
  }

  @AfterAll
  static void dropSchemas() {
    SCHEMAS.forEach(PostgresTestDatabase.get()::dropSchema);
  }

  @ParameterizedTest(name = "{0}, seed {1}")
  @MethodSource("cases")
  void concurrentWritersLoseAndDuplicateNothingAndTurnsNeverOverlap(
      String name, long seed, boolean postgres, int instances, int threads, int messagesEach)
      throws Exception {
    System.out.println(
        "[ConcurrentWritersTest] "
            + name
            + ", seed "
            + seed
            + " (rerun with -Dagentmesh.seed="
            + seed
            + ")");
    SessionStore store = postgres ? postgresStore() : InMemorySessionStore.create();
    Mesh mesh = Fixtures.mesh(Clock.systemUTC());
    List<Sessions> nodes = new ArrayList<>();
    for (int i = 0; i < instances; i++) {
      nodes.add(Sessions.builder(mesh).store(store).nodeId("node-" + i).build());
    }
    String id =
        nodes
            .get(0)
            .newSession("plain")
            .input("start")
            .participant("ana", ParticipantRole.OWNER)
            .participant("bo", ParticipantRole.MEMBER)
            .start()
            .id();

    List<String> posted = postConcurrently(nodes, id, seed, threads, messagesEach);
    SessionState done = awaitAllAnswered(nodes.get(0), id, posted);

    List<LoggedEvent> log = nodes.get(0).session(id).history();
    for (int i = 0; i < log.size(); i++) {
      assertThat(log.get(i).version()).isEqualTo(i + 1L);
    }
    Map<String, Integer> seen = new HashMap<>();
    log.forEach(
        e -> {
          if (e.event() instanceof SessionEvent.MessagePosted p) {
            seen.merge(p.text(), 1, Integer::sum);
          }
        });
    assertThat(seen).hasSize(posted.size());
    assertThat(seen.values()).containsOnly(1);
    assertThat(done.transcript().stream().filter(m -> m.role() == ChatMessage.Role.USER).count())
        .isEqualTo(posted.size() + 1L);
    assertTurnsNeverOverlap(log);
    nodes.forEach(Sessions::close);
  }

  private static List<String> postConcurrently(
      List<Sessions> nodes, String id, long seed, int threads, int messagesEach) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<List<String>>> futures = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Random random = new Random(seed * 31 + t);
      int thread = t;
      futures.add(
          pool.submit(
              () -> {
                go.await();
                List<String> mine = new ArrayList<>();
                for (int m = 0; m < messagesEach; m++) {
                  String text = "t" + thread + "-m" + m;
                  Sessions node = nodes.get(random.nextInt(nodes.size()));
                  node.session(id).post(random.nextBoolean() ? "ana" : "bo", text);
                  mine.add(text);
                }
                return mine;
              }));
    }
    go.countDown();
    List<String> all = new ArrayList<>();
    for (Future<List<String>> f : futures) {
      all.addAll(f.get(60, TimeUnit.SECONDS));
    }
    pool.shutdown();
    return all;
  }

  private static SessionState awaitAllAnswered(Sessions node, String id, List<String> posted) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (true) {
      SessionState state = node.session(id).awaitIdle(Duration.ofSeconds(60));
      long users =
          state.transcript().stream().filter(m -> m.role() == ChatMessage.Role.USER).count();
      if (state.status() == SessionStatus.COMPLETED && users == posted.size() + 1L) {
        return state;
      }
      if (System.nanoTime() > deadline) {
        List<LoggedEvent> log = node.session(id).history();
        StringBuilder tail = new StringBuilder();
        for (LoggedEvent e : log.subList(Math.max(0, log.size() - 16), log.size())) {
          tail.append("\n  ")
              .append(e.version())
              .append(' ')
              .append(e.event().type())
              .append(
                  e.event() instanceof SessionEvent.AgentStep step
                      ? " " + step.event().type() + " run " + step.event().runId()
                      : "")
              .append(e.event() instanceof SessionEvent.MessagePosted p ? " " + p.text() : "");
        }
        List<String> inLog = new ArrayList<>();
        log.forEach(
            e -> {
              if (e.event() instanceof SessionEvent.MessagePosted p)
                inLog.add(e.version() + ":" + p.text());
            });
        List<String> inTranscript =
            state.transcript().stream()
                .filter(m -> m.role() == ChatMessage.Role.USER)
                .map(ChatMessage::textOrEmpty)
                .toList();
        List<String> missing =
            inLog.stream()
                .filter(v -> !inTranscript.contains(v.substring(v.indexOf(':') + 1)))
                .toList();
        throw new AssertionError(
            "Session "
                + id
                + " did not answer every message: "
                + state.status()
                + ", "
                + users
                + " user messages of "
                + (posted.size() + 1)
                + "; posts in the log: "
                + inLog.size()
                + ", in the log but not the transcript: "
                + missing
                + "; replaying the stored log gives "
                + SessionFold.replay(id, log.stream().map(LoggedEvent::event).toList())
                    .snapshot()
                    .transcript()
                    .stream()
                    .filter(m -> m.role() == ChatMessage.Role.USER)
                    .count()
                + " user messages; the log ends:"
                + tail);
      }
    }
  }

  private static void assertTurnsNeverOverlap(List<LoggedEvent> log) {
    String open = null;
    for (LoggedEvent e : log) {
      if (e.event() instanceof SessionEvent.AgentStep step) {
        AgentEvent a = step.event();
        if (a instanceof AgentEvent.RunStarted started && started.parentRunId() == null) {
          assertThat(open)
              .as(
                  "run %s started at version %d while run %s was open",
                  a.runId(), e.version(), open)
              .isNull();
          open = a.runId();
        } else if (a instanceof AgentEvent.OutputProduced || a instanceof AgentEvent.RunFailed) {
          assertThat(a.runId()).isEqualTo(open);
          open = null;
        } else {
          assertThat(a.runId()).as("event %d belongs to the open run", e.version()).isEqualTo(open);
        }
      }
    }
  }

  private static SessionStore postgresStore() {
    String schema = PostgresTestDatabase.newSchema("sessions_cw");
    SCHEMAS.add(schema);
    return dev.agentmesh.sessions.PostgresSessionStore.builder(
            PostgresTestDatabase.get().dataSource())
        .schema(schema)
        .migrate(true)
        .build();
  }
}
