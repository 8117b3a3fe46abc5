package com.example.host;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmesh.core.AgentSpec;
import dev.agentmesh.core.Mesh;
import dev.agentmesh.models.OpenAiChatModel;
import dev.agentmesh.sessions.InMemorySessionStore;
import dev.agentmesh.sessions.SessionState;
import dev.agentmesh.sessions.Sessions;
import dev.agentmesh.testing.ScriptedModel;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Uses each dependency once, so the host's class path is the one its converging tree gave. */
class HostTest {

  record Ticket(String subject) {}

  record Triage(String team) {}

  @Test
  void aHostRunsASessionAndReadsItsTypedResultWithTheArtifactsTheBomResolved() {
    ScriptedModel model = ScriptedModel.builder().text("{\"team\":\"billing\"}").build();
    AgentSpec triage =
        AgentSpec.builder("triage")
            .instructions("Sort the ticket.")
            .model("fast")
            .outputType(Triage.class)
            .build();

    try (Mesh mesh =
            Mesh.builder()
                .agent(triage)
                .model("fast", model)
                .model(
                    "unused",
                    OpenAiChatModel.builder().apiKey("sk-host").model("gpt-4.1-mini").build())
                .build();
        Sessions sessions = Sessions.builder(mesh).store(InMemorySessionStore.create()).build()) {
      SessionState state =
          sessions
              .newSession("triage")
              .input(new Ticket("Invoice charged twice"))
              .start()
              .awaitFinished(Duration.ofMinutes(1));

      assertThat(state.output(Triage.class)).isEqualTo(new Triage("billing"));
    }
  }
}
