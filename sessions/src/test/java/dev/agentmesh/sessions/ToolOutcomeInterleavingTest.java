package dev.agentmesh.sessions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentmesh.core.AgentEvent;
import dev.agentmesh.core.AgentTool;
import dev.agentmesh.core.Mesh;
import dev.agentmesh.core.spi.ChatMessage;
import dev.agentmesh.sessions.spi.SessionStore;
import dev.agentmesh.testing.FakeClock;
import dev.agentmesh.testing.ManualScheduler;
import dev.agentmesh.testsupport.PostgresTestDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A tool call has at most one outcome in the log, whatever the interleaving of node A stalling in a
 * non-idempotent tool past its lease, node B taking the session over (and recording the outcome as
 * unknown), A's late result, and a human's resolution. The interleavings are generated from a
 * printed seed; replay one with {@code -Dagentmesh.seed=<seed>}.
 */
class ToolOutcomeInterleavingTest {

  private static final Duration TTL = Duration.ofSeconds(30);

  enum Step {
    TAKEOVER,
    LATE_RESULT,
    HUMAN
  }

  static Stream<Long> seeds() {
    String replay = System.getProperty("agentmesh.seed");
    if (replay != null) {
      return Stream.of(Long.parseLong(replay));
    }
    return LongStream.generate(() -> new Random().nextLong()).limit(12).boxed();
  }

  @ParameterizedTest(name = "seed={0}")
  @MethodSource("seeds")
  void aToolCallHasAtMostOneOutcomeUnderAnyInterleaving(long seed, TestReporter reporter)
      throws Exception {
    reporter.publishEntry("replay", "-Dagentmesh.seed=" + seed);
    Random random = new Random(seed);
    List<Step> order = new ArrayList<>(List.of(Step.values()));
    Collections.shuffle(order, random);
    new Scenario(InMemorySessionStore.create(), InMemorySessionStore.create())
        .run(order, random.nextBoolean(), "seed " + seed + " " + order);
  }

  @Test
  void theOvertakenNodesLateResultIsRefusedAndTheHumansResolutionIsTheOnlyOutcome()
      throws Exception {
    new Scenario(InMemorySessionStore.create(), null)
        .run(List.of(Step.TAKEOVER, Step.LATE_RESULT, Step.HUMAN), false, "the reported order");
  }

  @Test
  void onPostgresTheOvertakenNodesLateResultNeverLandsBesideTheHumansResolution() throws Exception {
    PostgresTestDatabase db = PostgresTestDatabase.get();
    String schema = PostgresTestDatabase.newSchema("interleave");
    try {
      SessionStore a = PostgresSessionStore.builder(db.dataSource()).schema(schema).build();
      SessionStore b = PostgresSessionStore.builder(db.dataSource()).schema(schema).build();
      new Scenario(a, b)
          .run(List.of(Step.TAKEOVER, Step.LATE_RESULT, Step.HUMAN), false, "postgres");
    } finally {
      db.dropSchema(schema);
    }
  }

  /** Two nodes over one store (two instances of it where the store allows), one session. */
  private static final class Scenario {
    final FakeClock clock = Fixtures.clock();
    final CountDownLatch inTool = new CountDownLatch(1);
    final CountDownLatch toolReturns = new CountDownLatch(1);
    final ExecutorService nodeAThread = Executors.newSingleThreadExecutor();
    final SessionStore storeA;
    final SessionStore storeB;
    final Sessions nodeA;
    final Sessions nodeB;

    Scenario(SessionStore storeA, @Nullable SessionStore storeB) {
      boolean shared = storeA instanceof InMemorySessionStore;
      this.storeA = storeA;
      this.storeB = shared || storeB == null ? storeA : storeB;
      AgentTool charge =
          AgentTool.builder("chargeCard")
              .description("Charges the card")
              .idempotent(false)
              .handler(
                  (args, ctx) -> {
                    if (inTool.getCount() > 0) {
                      inTool.countDown();
                      DriverDurabilityTest.await(toolReturns);
                    }
                    return "charged";
                  })
              .build();
      Mesh mesh = Fixtures.mesh(clock, charge);
      nodeA =
          Sessions.builder(mesh)
              .store(this.storeA)
              .executor(nodeAThread)
              .scheduler(new ManualScheduler())
              .clock(clock)
              .leaseTtl(TTL)
              .nodeId("a")
              .build();
      nodeB =
          Sessions.builder(mesh)
              .store(this.storeB)
              .executor(Runnable::run)
              .scheduler(new ManualScheduler())
              .clock(clock)
              .leaseTtl(TTL)
              .nodeId("b")
              .build();
    }

    void run(List<Step> order, boolean humanFails, String what) throws Exception {
      String id = nodeA.newSession("assistant").id("s-charge").input("charge it").start().id();
      DriverDurabilityTest.await(inTool);
      String callId = pendingCall(id);
      try {
        for (Step step : order) {
          switch (step) {
            case TAKEOVER -> {
              clock.advance(TTL.plusSeconds(1));
              nodeB.recoverOrphans();
            }
            case LATE_RESULT -> {
              toolReturns.countDown();
              nodeAThread.submit(() -> {}).get(10, TimeUnit.SECONDS);
            }
            case HUMAN -> human(id, callId, humanFails);
          }
        }
      } finally {
        toolReturns.countDown();
        nodeAThread.shutdown();
        assertThat(nodeAThread.awaitTermination(10, TimeUnit.SECONDS))
            .as("node A stopped")
            .isTrue();
      }
      clock.advance(TTL.plusSeconds(1));
      nodeB.recoverOrphans();

      List<LoggedEvent> log = nodeB.session(id).history();
      assertThat(outcomes(log, callId))
          .as(what + ": outcomes of %s in %s", callId, log)
          .isLessThanOrEqualTo(1);
      if (log.stream()
          .anyMatch(
              e ->
                  e.event() instanceof SessionEvent.ToolOutcomeUnknown u
                      && u.callId().equals(callId))) {
        assertThat(results(log, callId))
            .as(what + ": a result beside the unknown outcome")
            .isZero();
      }
      Sessions fresh =
          Sessions.builder(Fixtures.mesh(clock))
              .store(storeB)
              .executor(r -> {})
              .scheduler(new ManualScheduler())
              .clock(clock)
              .build();
      SessionState state = fresh.session(id).state();
      assertThat(
              state.transcript().stream()
                  .filter(m -> m.role() == ChatMessage.Role.TOOL && callId.equals(m.toolCallId())))
          .as(what + ": tool results the model is sent")
          .hasSizeLessThanOrEqualTo(1);
      assertThat(fresh.session(id).history()).hasSameSizeAs(log);
    }

    private void human(String id, String callId, boolean fails) {
      SessionState now = nodeB.session(id).state();
      boolean unknown = now.unknownOutcomes().stream().anyMatch(u -> u.callId().equals(callId));
      if (unknown) {
        if (fails) {
          nodeB.session(id).failUnknownOutcome(callId, "The card was declined", "ana");
        } else {
          nodeB.session(id).resolveUnknownOutcome(callId, "charged once", "ana");
        }
      } else {
        assertThatThrownBy(
                () -> nodeB.session(id).resolveUnknownOutcome(callId, "charged once", "ana"))
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("has no unknown outcome for tool call '" + callId + "'");
      }
    }

    private String pendingCall(String id) {
      return nodeB.session(id).history().stream()
          .map(LoggedEvent::event)
          .filter(
              e ->
                  e instanceof SessionEvent.AgentStep s
                      && s.event() instanceof AgentEvent.ToolCalled)
          .map(e -> ((AgentEvent.ToolCalled) ((SessionEvent.AgentStep) e).event()).call().id())
          .findFirst()
          .orElseThrow();
    }
  }

  static long outcomes(List<LoggedEvent> log, String callId) {
    return results(log, callId)
        + log.stream()
            .filter(
                e ->
                    e.event() instanceof SessionEvent.OutcomeResolved r
                        && r.callId().equals(callId))
            .count();
  }

  static long results(List<LoggedEvent> log, String callId) {
    return log.stream()
        .map(LoggedEvent::event)
        .filter(
            e ->
                e instanceof SessionEvent.AgentStep s
                    && (s.event() instanceof AgentEvent.ToolReturned r && r.callId().equals(callId)
                        || s.event() instanceof AgentEvent.ToolFailed f
                            && f.callId().equals(callId)))
        .count();
  }
}
