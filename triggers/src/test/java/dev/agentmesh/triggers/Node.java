package dev.agentmesh.triggers;

import dev.agentmesh.core.AgentSpec;
import dev.agentmesh.core.Mesh;
import dev.agentmesh.core.spi.ChatModel;
import dev.agentmesh.core.spi.ChatResponse;
import dev.agentmesh.sessions.Sessions;
import dev.agentmesh.sessions.spi.SessionStore;
import dev.agentmesh.testing.FakeClock;
import dev.agentmesh.testing.ManualScheduler;
import java.util.function.UnaryOperator;

/**
 * One node of a test: sessions over a shared store whose turns run only when the test says ({@link
 * #runTurns()}), so a started session stays running until then, and a {@link Triggers} on a shared
 * fake clock.
 */
final class Node implements AutoCloseable {

  /** Answers every turn with "done". */
  static final ChatModel MODEL = request -> ChatResponse.ofText("done");

  static final Mesh MESH =
      Mesh.builder()
          .model("default", MODEL)
          .agent(AgentSpec.builder("digest").instructions("Write the digest.").build())
          .agent(AgentSpec.builder("sync").instructions("Sync.").build())
          .build();

  final ManualScheduler executor;
  final Sessions sessions;
  final Triggers triggers;

  Node(
      String name, SessionStore store, FakeClock clock, UnaryOperator<Triggers.Builder> configure) {
    this.executor = new ManualScheduler(clock);
    this.sessions =
        Sessions.builder(MESH)
            .store(store)
            .clock(clock)
            .executor(executor)
            .scheduler(executor)
            .nodeId(name)
            .build();
    this.triggers = configure.apply(Triggers.builder(sessions).clock(clock)).build();
  }

  /** Runs every turn waiting on this node: the sessions it started finish. */
  void runTurns() {
    executor.runAll();
    executor.runAll();
  }

  @Override
  public void close() {
    triggers.close();
    sessions.close();
  }
}
