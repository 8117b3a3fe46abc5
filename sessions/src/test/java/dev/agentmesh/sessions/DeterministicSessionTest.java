package dev.agentmesh.sessions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmesh.core.AgentSpec;
import dev.agentmesh.core.Mesh;
import dev.agentmesh.core.spi.ChatMessage;
import dev.agentmesh.core.spi.ChatRequest;
import dev.agentmesh.core.spi.ChatResponse;
import dev.agentmesh.testsupport.DocsExamples;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Deterministic agents (a spec with a {@code function} instead of a model) in sessions: the same
 * log, origins and turns as any agent, with no model call. The blocks fenced {@code ```java
 * deterministic} in docs/sessions.md are the regions of this test.
 */
class DeterministicSessionTest {

  private static final Path PAGE = Path.of("../docs/sessions.md");
  private static final Path SOURCE =
      Path.of("src/test/java/dev/agentmesh/sessions/DeterministicSessionTest.java");

  record DeployRequest(String service, String image) {}

  record Verdict(boolean allowed, List<String> reasons) {}

  static final class DeployChecks {
    static Verdict verdict(DeployRequest deploy) {
      List<String> reasons = new ArrayList<>();
      if (deploy.image().endsWith(":latest")) reasons.add("image tag 'latest' is not pinned");
      return new Verdict(reasons.isEmpty(), reasons);
    }
  }

  @Test
  void aDeterministicAgentRunsASessionThatLogsTheRunAndTheOutputButNoModelCall() {
    Verdict verdict;
    List<String> log;
    // docs:begin session
    Mesh mesh =
        Mesh.builder()
            .agent(
                AgentSpec.builder("deploy-guardrail")
                    .function("deploy-check")
                    .inputType(DeployRequest.class)
                    .outputType(Verdict.class)
                    .build())
            .function("deploy-check", DeployRequest.class, DeployChecks::verdict)
            .build();
    try (Sessions sessions = Sessions.builder(mesh).store(InMemorySessionStore.create()).build()) {
      Session session =
          sessions
              .newSession("deploy-guardrail")
              .input(new DeployRequest("billing", "billing:latest"))
              .origin(Origin.event("deploys", "msg-42"))
              .idempotencyKey("deploys:msg-42")
              .start();
      verdict = session.awaitFinished(Duration.ofMinutes(1)).output(Verdict.class);
      log = session.history().stream().map(e -> e.event().type()).toList();
    }
    // docs:end

    assertThat(verdict).isEqualTo(new Verdict(false, List.of("image tag 'latest' is not pinned")));
    assertThat(log)
        .containsExactly(
            "session.created", "agent.run.started", "agent.output.produced", "session.completed");
  }

  @Test
  void aDeterministicAgentAnswersOneMessageAndTheDefaultAgentSeesItsOutputNext() {
    List<ChatRequest> asked = new CopyOnWriteArrayList<>();
    Mesh mesh =
        Mesh.builder()
            .agent(AgentSpec.builder("chat").instructions("Chat.").build())
            .agent(AgentSpec.builder("word-count").function("count-words").build())
            .function(
                "count-words",
                String.class,
                text -> java.util.Map.of("words", text.strip().split("\\s+").length))
            .model(
                "default",
                request -> {
                  asked.add(request);
                  return ChatResponse.ofText("noted");
                })
            .build();
    try (Sessions sessions = Sessions.builder(mesh).store(InMemorySessionStore.create()).build()) {
      Session session =
          sessions
              .newSession("chat")
              .input("hello")
              .participant("ana", ParticipantRole.OWNER)
              .start();
      session.awaitIdle(Duration.ofMinutes(1));
      session.postTo("ana", "word-count", "three words here");
      session.awaitIdle(Duration.ofMinutes(1));
      session.post("ana", "thanks");
      SessionState state = session.awaitIdle(Duration.ofMinutes(1));

      assertThat(asked).hasSize(2);
      assertThat(asked.get(1).messages())
          .extracting(m -> m.role() + ": " + m.text())
          .containsSubsequence(
              "USER: three words here", "ASSISTANT: {\"words\":3}", "USER: thanks");
      assertThat(state.output().toString()).isEqualTo("\"noted\"");
      assertThat(
              session.history().stream()
                  .map(e -> e.event().type())
                  .filter(t -> t.startsWith("agent.model"))
                  .count())
          .isEqualTo(4); // two model calls of chat, each called and responded; none of word-count
      assertThat(asked.get(1).messages().get(0).role()).isEqualTo(ChatMessage.Role.SYSTEM);
    }
  }

  @Test
  void theJavaOnTheDocsPageIsTheCodeOfThisTest() {
    DocsExamples.assertBlocksMatchRegions(PAGE, "java deterministic", SOURCE);
  }
}
