package dev.agentmesh.sessions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmesh.core.AgentTool;
import dev.agentmesh.core.Mesh;
import dev.agentmesh.testing.FakeClock;
import dev.agentmesh.testing.ManualScheduler;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Closing a Sessions lets its running drives finish their step and release their leases. */
class SessionsCloseTest {

  private final FakeClock clock = Fixtures.clock();
  private final InMemorySessionStore store = InMemorySessionStore.create();
  private final ExecutorService driveThread = Executors.newSingleThreadExecutor();

  @AfterEach
  void stop() {
    driveThread.shutdownNow();
  }

  @Test
  void closeWaitsForARunningTurnToStopAndReleaseItsLeaseSoAnotherNodeContinuesAtOnce() {
    CountDownLatch inTool = new CountDownLatch(1);
    CountDownLatch closing = new CountDownLatch(1);
    AtomicInteger lookups = new AtomicInteger();
    AgentTool lookup =
        AgentTool.builder("lookup")
            .description("Looks up")
            .idempotent(true)
            .handler(
                (args, ctx) -> {
                  if (lookups.incrementAndGet() == 1) {
                    inTool.countDown();
                    DriverDurabilityTest.await(closing);
                  }
                  return "found";
                })
            .build();
    Mesh mesh = Fixtures.mesh(clock, lookup);
    Sessions closingNode =
        Sessions.builder(mesh)
            .store(store)
            .executor(driveThread)
            .scheduler(new ManualScheduler())
            .clock(clock)
            .nodeId("closing")
            .build();
    Sessions otherNode =
        Sessions.builder(mesh)
            .store(store)
            .executor(Runnable::run)
            .scheduler(new ManualScheduler())
            .clock(clock)
            .nodeId("other")
            .build();
    closingNode.newSession("assistant").id("s-close").input("find it").start();
    DriverDurabilityTest.await(inTool);

    // Close while the tool still runs: close() marks the node closed, then waits for the drive.
    Thread closer = new Thread(closingNode::close, "closer");
    closer.start();
    while (closer.isAlive() && closer.getState() != Thread.State.TIMED_WAITING) {
      Thread.onSpinWait();
    }
    closing.countDown();
    try {
      closer.join(TimeUnit.SECONDS.toMillis(10));
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
    assertThat(closer.isAlive()).as("close returned once the drive stopped").isFalse();

    assertThat(otherNode.recoverOrphans())
        .as("sessions the other node claimed right after close returned")
        .isEqualTo(1);
    SessionState done = otherNode.session("s-close").awaitFinished(Duration.ofSeconds(10));
    assertThat(done.output().asString()).isEqualTo("assistant done: found;");
    assertThat(lookups).hasValue(1);
  }
}
