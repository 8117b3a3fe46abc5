package dev.agentmesh.core.internal.turn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentmesh.core.AgentEvent;
import dev.agentmesh.core.AgentMeshException;
import dev.agentmesh.core.AgentRequest;
import dev.agentmesh.core.AgentResult;
import dev.agentmesh.core.AgentSpec;
import dev.agentmesh.core.Mesh;
import dev.agentmesh.core.Tool;
import dev.agentmesh.core.spi.ChatMessage;
import dev.agentmesh.core.spi.ChatModel;
import dev.agentmesh.core.spi.ChatResponse;
import dev.agentmesh.core.spi.ToolCall;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.JsonNodeFactory;

/** The agent loop and the transcript agree: the loop's messages are the fold of its events. */
class LoopTranscriptTest {

  static final class Crm {
    final AtomicInteger calls = new AtomicInteger();

    @Tool(value = "Looks up a customer's tier", idempotent = true)
    String lookupTier(String customer) {
      calls.incrementAndGet();
      return "gold";
    }
  }

  private static ToolCall lookup(String id) {
    return ToolCall.of(
        id, "lookupTier", JsonNodeFactory.instance.objectNode().put("customer", "acme"));
  }

  /** Answers with {@code responses} in order, and keeps what it was asked. */
  private static ChatModel scripted(List<List<ChatMessage>> asked, ChatResponse... responses) {
    AtomicInteger next = new AtomicInteger();
    return request -> {
      asked.add(request.messages());
      return responses[next.getAndIncrement()];
    };
  }

  private static Mesh mesh(ChatModel model, Crm crm) {
    return Mesh.builder()
        .agent(AgentSpec.builder("triage").instructions("Triage.").tools("lookupTier").build())
        .model("default", model)
        .tools(crm)
        .build();
  }

  @Test
  void theLoopsMessagesAreTheTranscriptFoldedFromItsEvents() {
    List<AgentEvent> events = new CopyOnWriteArrayList<>();
    Mesh mesh =
        mesh(
            scripted(
                new ArrayList<>(),
                ChatResponse.ofToolCalls(lookup("c1")),
                ChatResponse.ofToolCalls(lookup("c2")),
                ChatResponse.ofText("done")),
            new Crm());

    AgentResult result =
        mesh.agent("triage").call(AgentRequest.builder("hi").listener(events::add).build());

    assertThat(Transcript.fromEvents(events)).isEqualTo(result.messages()).hasSize(6);
  }

  @Test
  void aRunContinuedFromTheEventsOfACrashedRunRunsTheOwedCallFirst() {
    List<AgentEvent> first = new CopyOnWriteArrayList<>();
    Crm crm = new Crm();
    Mesh crashing = mesh(scripted(new ArrayList<>(), ChatResponse.ofToolCalls(lookup("c1"))), crm);
    assertThatThrownBy(
            () ->
                crashing
                    .agent("triage")
                    .call(
                        AgentRequest.builder("hi")
                            .listener(
                                e -> {
                                  first.add(e);
                                  if (e instanceof AgentEvent.ToolCalled) {
                                    throw new AgentMeshException("crash");
                                  }
                                })
                            .build()))
        .hasMessage("crash");

    List<List<ChatMessage>> asked = new ArrayList<>();
    List<AgentEvent> second = new CopyOnWriteArrayList<>();
    Mesh resumed = mesh(scripted(asked, ChatResponse.ofText("done")), crm);
    AgentResult result =
        resumed
            .agent("triage")
            .call(
                AgentRequest.builder("hi")
                    .history(Transcript.fromEvents(first))
                    .listener(second::add)
                    .build());

    assertThat(crm.calls).hasValue(1);
    assertThat(second)
        .extracting(AgentEvent::type)
        .startsWith("run.started", "tool.called", "tool.returned", "model.called");
    assertThat(asked.get(0))
        .extracting(ChatMessage::role)
        .containsExactly(
            ChatMessage.Role.SYSTEM,
            ChatMessage.Role.USER,
            ChatMessage.Role.ASSISTANT,
            ChatMessage.Role.TOOL);
    assertThat(Transcript.fromEvents(second)).isEqualTo(result.messages().subList(2, 4));
  }

  @Test
  void aListenerThatRefusesTheModelCallStopsTheRunCleanly() {
    List<List<ChatMessage>> asked = new ArrayList<>();
    List<String> seen = new CopyOnWriteArrayList<>();
    Mesh mesh = mesh(scripted(asked, ChatResponse.ofText("done")), new Crm());

    AgentResult result =
        mesh.agent("triage")
            .call(
                AgentRequest.builder("hi")
                    .listener(
                        e -> {
                          if (e instanceof AgentEvent.ModelCalled) {
                            throw new StopRun("paused");
                          }
                          seen.add(e.type());
                        })
                    .build());

    assertThat(result.stopped()).isTrue();
    assertThat(result.turns()).isZero();
    assertThat(asked).isEmpty();
    assertThat(seen).containsExactly("run.started");
  }
}
