package dev.agentmesh.sessions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmesh.core.AgentEvent;
import dev.agentmesh.core.AgentSpec;
import dev.agentmesh.core.Mesh;
import dev.agentmesh.core.spi.ChatModel;
import dev.agentmesh.core.spi.ChatRequest;
import dev.agentmesh.core.spi.ChatResponse;
import dev.agentmesh.testing.FakeClock;
import dev.agentmesh.testing.ManualScheduler;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Node A's turn is blocked in a model call while the fake clock moves: its lease is renewed in the
 * background, and once another node has taken the session over, none of A's later steps lands in
 * the log.
 */
class LeaseFencingTest {

  private static final Duration TTL = Duration.ofSeconds(30);

  private final FakeClock clock = Fixtures.clock();
  private final InMemorySessionStore store = InMemorySessionStore.create();
  private final ManualScheduler scheduler = new ManualScheduler();
  private final ExecutorService nodeAThread = Executors.newSingleThreadExecutor();
  private final CountDownLatch inModel = new CountDownLatch(1);
  private final CountDownLatch modelReturns = new CountDownLatch(1);

  /**
   * The first call blocks until {@link #modelReturns} and answers "from A"; later ones "from B".
   */
  private final ChatModel model =
      new ChatModel() {
        private final AtomicBoolean first = new AtomicBoolean(true);

        @Override
        public ChatResponse chat(ChatRequest request) {
          if (first.getAndSet(false)) {
            inModel.countDown();
            DriverDurabilityTest.await(modelReturns);
            return ChatResponse.ofText("from A");
          }
          return ChatResponse.ofText("from B");
        }

        @Override
        public String name() {
          return "blocking";
        }
      };

  private final Mesh mesh =
      Mesh.builder()
          .clock(clock)
          .model("default", model)
          .agent(AgentSpec.builder("plain").instructions("Answer.").build())
          .build();
  private final Sessions nodeA =
      Sessions.builder(mesh)
          .store(store)
          .executor(nodeAThread)
          .scheduler(scheduler)
          .clock(clock)
          .leaseTtl(TTL)
          .nodeId("a")
          .build();
  private final Sessions nodeB =
      Sessions.builder(mesh)
          .store(store)
          .executor(Runnable::run)
          .scheduler(new ManualScheduler())
          .clock(clock)
          .leaseTtl(TTL)
          .nodeId("b")
          .build();

  @AfterEach
  void stopNodes() {
    modelReturns.countDown();
    nodeAThread.shutdownNow();
  }

  private void awaitNodeAIdle() throws InterruptedException {
    nodeAThread.shutdown();
    assertThat(nodeAThread.awaitTermination(10, TimeUnit.SECONDS))
        .as("node A finished its drive")
        .isTrue();
  }

  private static List<String> runsStarted(List<LoggedEvent> log) {
    return log.stream()
        .filter(
            e ->
                e.event() instanceof SessionEvent.AgentStep step
                    && step.event() instanceof AgentEvent.RunStarted)
        .map(e -> ((SessionEvent.AgentStep) e.event()).event().runId())
        .toList();
  }

  private static long eventsOf(List<LoggedEvent> log, String runId) {
    return log.stream()
        .filter(
            e ->
                e.event() instanceof SessionEvent.AgentStep step
                    && step.event().runId().equals(runId))
        .count();
  }

  @Test
  void aTurnBlockedInALongModelCallKeepsRenewingItsLeaseSoNoOtherNodeTakesOver() throws Exception {
    nodeA.newSession("plain").id("s-long").input("hello").start();
    DriverDurabilityTest.await(inModel);

    clock.advance(TTL.multipliedBy(2).dividedBy(3));
    scheduler.runAll();
    clock.advance(TTL.multipliedBy(2).dividedBy(3));

    assertThat(nodeB.recoverOrphans())
        .as("sessions node B claimed while A's model call ran")
        .isZero();
    modelReturns.countDown();
    awaitNodeAIdle();
    SessionState done = nodeA.session("s-long").state();
    assertThat(done.status()).isEqualTo(SessionStatus.COMPLETED);
    assertThat(done.output().asString()).isEqualTo("from A");
    scheduler.runAll(); // the renewal task finds no drive left and ends
    assertThat(scheduler.pending()).as("renewals still scheduled after the drive ended").isZero();
    assertThat(store.tryAcquireLease("s-long", "c", clock.instant(), TTL))
        .as("the lease A released was not renewed again")
        .isPresent();
  }

  @Test
  void aRenewalStillRunningWhenTheDriveEndsDoesNotTakeTheReleasedLeaseBack() throws Exception {
    nodeA.newSession("plain").id("s-release").input("hello").start();
    DriverDurabilityTest.await(inModel);
    modelReturns.countDown();
    awaitNodeAIdle(); // the drive ended and released the lease
    clock.advance(TTL.dividedBy(3).plusSeconds(1)); // the renewal in flight finds itself due

    assertThat(scheduler.runAllIncludingCancelled())
        .as("the renewal that was running as the drive ended")
        .isEqualTo(1);

    assertThat(store.tryAcquireLease("s-release", "b", clock.instant(), TTL))
        .as("another node can drive the session at once, not after the TTL")
        .isPresent();
  }

  @Test
  void aNodeWhoseLeaseExpiredRecordsNoStepAfterAnotherNodeTookTheSessionOver() throws Exception {
    nodeA.newSession("plain").id("s-fenced").input("hello").start();
    DriverDurabilityTest.await(inModel);

    clock.advance(TTL.plusSeconds(1));
    assertThat(nodeB.recoverOrphans()).isEqualTo(1);
    assertThat(nodeB.session("s-fenced").state().output().asString()).isEqualTo("from B");
    modelReturns.countDown();
    awaitNodeAIdle();

    List<LoggedEvent> log = nodeB.session("s-fenced").history();
    List<String> runs = runsStarted(log);
    assertThat(runs)
        .as(
            "node A's run stored nothing: its start and model call waited for its first append,"
                + " which the store refused")
        .hasSize(1);
    assertThat(eventsOf(log, runs.get(0))).as("events of node B's run").isEqualTo(4);
    SessionState state = nodeB.session("s-fenced").state();
    assertThat(state.status()).isEqualTo(SessionStatus.COMPLETED);
    assertThat(state.output().asString()).isEqualTo("from B");
  }
}
