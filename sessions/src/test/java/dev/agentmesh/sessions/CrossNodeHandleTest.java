package dev.agentmesh.sessions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmesh.core.Mesh;
import dev.agentmesh.core.spi.ChatMessage;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A handle on one node reports the session as the store has it, not as that node last saw it. */
class CrossNodeHandleTest {

  private final InMemorySessionStore store = InMemorySessionStore.create();
  private final Mesh mesh = Fixtures.mesh(Clock.systemUTC());
  private final Sessions nodeA =
      Sessions.builder(mesh).store(store).executor(Runnable::run).nodeId("a").build();
  private final Sessions nodeB =
      Sessions.builder(mesh).store(store).executor(Runnable::run).nodeId("b").build();

  @Test
  void aHandleOnANodeThatSawNothingNewStillAwaitsTheStoresState() {
    String id =
        nodeA
            .newSession("plain")
            .input("start")
            .participant("ana", ParticipantRole.OWNER)
            .start()
            .id();
    assertThat(nodeA.session(id).awaitFinished(Duration.ofSeconds(10)).status())
        .isEqualTo(SessionStatus.COMPLETED);

    nodeB.session(id).post("ana", "once more");
    SessionState onB = nodeB.session(id).awaitFinished(Duration.ofSeconds(10));
    SessionState onA = nodeA.session(id).awaitFinished(Duration.ofSeconds(10));

    assertThat(onA.version()).as("node A's handle sees node B's turn").isEqualTo(onB.version());
    assertThat(onA.transcript()).extracting(ChatMessage::textOrEmpty).contains("once more");
    nodeA.close();
    nodeB.close();
  }
}
