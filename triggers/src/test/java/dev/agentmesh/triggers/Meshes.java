package dev.agentmesh.triggers;

import dev.agentmesh.core.AgentSpec;
import dev.agentmesh.core.Mesh;
import dev.agentmesh.core.spi.ChatMessage;
import dev.agentmesh.core.spi.ChatRequest;
import dev.agentmesh.core.spi.ChatResponse;
import dev.agentmesh.core.spi.ToolCall;
import dev.agentmesh.testing.ScriptedModel;
import java.util.List;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

/** Small meshes for the trigger tests. */
final class Meshes {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private Meshes() {}

  /** One agent, {@code triage}, whose model answers {@code sorted}. */
  static Mesh echo() {
    return Mesh.builder()
        .agent(AgentSpec.builder("triage").instructions("Sort {{input}}").build())
        .model("default", ScriptedModel.builder().when(r -> true, r -> text("sorted")).build())
        .build();
  }

  /** {@code planner} (declares start_session) and {@code writer}, on one model. */
  static List<AgentSpec> plannerAndWriter() {
    return List.of(
        AgentSpec.builder("planner")
            .instructions("Plan {{input}}")
            .tools(AgentTriggers.TOOL)
            .build(),
        AgentSpec.builder("writer").instructions("Write {{input}}").build());
  }

  /**
   * Answers the writer with {@code the draft}; has the planner start a writer session, then report
   * what the tool returned.
   */
  static ScriptedModel plannerModel() {
    return ScriptedModel.builder()
        .when(r -> system(r).startsWith("Write"), r -> text("the draft"))
        .when(
            r -> toolResult(r) == null,
            r ->
                ChatResponse.ofToolCalls(
                    ToolCall.of(
                        "call-1",
                        AgentTriggers.TOOL,
                        JSON.readTree("{\"agent\":\"writer\",\"input\":\"draft the notes\"}"))))
        .when(r -> true, r -> text("planner saw: " + toolResult(r)))
        .build();
  }

  private static ChatResponse text(String text) {
    return ChatResponse.ofText(text);
  }

  private static String system(ChatRequest r) {
    for (ChatMessage m : r.messages()) {
      if (m.role() == ChatMessage.Role.SYSTEM) return m.textOrEmpty();
    }
    return "";
  }

  static @Nullable String toolResult(ChatRequest r) {
    for (ChatMessage m : r.messages()) {
      if (m.role() == ChatMessage.Role.TOOL) return m.textOrEmpty();
    }
    return null;
  }
}
