package dev.agentmesh.sessions;

import dev.agentmesh.core.AgentSpec;
import dev.agentmesh.core.AgentTool;
import dev.agentmesh.core.Mesh;
import dev.agentmesh.core.spi.ChatMessage;
import dev.agentmesh.core.spi.ChatModel;
import dev.agentmesh.core.spi.ChatRequest;
import dev.agentmesh.core.spi.ChatResponse;
import dev.agentmesh.core.spi.ToolCall;
import dev.agentmesh.core.spi.ToolDefinition;
import dev.agentmesh.testing.FakeClock;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.node.JsonNodeFactory;

/** Small fakes for session tests: a clock tests move, a stateless scripted model, a mesh. */
final class Fixtures {

  private Fixtures() {}

  /** Where every test's clock starts. */
  static final Instant START = Instant.parse("2026-01-05T09:00:00Z");

  /** A clock that only moves when told to, standing at {@link #START}. */
  static FakeClock clock() {
    return FakeClock.at(START);
  }

  /**
   * A model whose answer depends only on the conversation, so a run continued from a log gets the
   * same answers: after a user message it calls every offered tool once (ids made from the
   * conversation's length), after tool results it answers "done: results", else it echoes.
   */
  static final ChatModel MODEL =
      new ChatModel() {
        @Override
        public ChatResponse chat(ChatRequest request) {
          List<ChatMessage> messages = request.messages();
          ChatMessage last = messages.get(messages.size() - 1);
          String agent = request.metadata().getOrDefault("agent", "?");
          if (last.role() == ChatMessage.Role.USER && !request.tools().isEmpty()) {
            List<ToolCall> calls = new ArrayList<>();
            for (ToolDefinition tool : request.tools()) {
              calls.add(
                  ToolCall.of(
                      "call-" + messages.size() + "-" + tool.name(),
                      tool.name(),
                      JsonNodeFactory.instance.objectNode().put("about", last.textOrEmpty())));
            }
            return ChatResponse.ofToolCalls(calls.toArray(new ToolCall[0]));
          }
          if (last.role() == ChatMessage.Role.TOOL) {
            StringBuilder results = new StringBuilder();
            for (int i = messages.size() - 1;
                i >= 0 && messages.get(i).role() == ChatMessage.Role.TOOL;
                i--) {
              results.insert(0, messages.get(i).textOrEmpty() + ";");
            }
            return ChatResponse.ofText(agent + " done: " + results);
          }
          return ChatResponse.ofText(agent + ": " + last.textOrEmpty());
        }

        @Override
        public String name() {
          return "scripted";
        }
      };

  /** A mesh with agent "assistant" (the given tools), "reviewer" (no tools) and "plain". */
  static Mesh mesh(Clock clock, AgentTool... tools) {
    List<String> names = new ArrayList<>();
    Mesh.Builder b = Mesh.builder().clock(clock).model("default", MODEL);
    for (AgentTool tool : tools) {
      b.tool(tool);
      names.add(tool.name());
    }
    return b.agent(AgentSpec.builder("assistant").instructions("Help.").tools(names).build())
        .agent(AgentSpec.builder("reviewer").instructions("Review.").build())
        .agent(AgentSpec.builder("plain").instructions("Answer.").build())
        .build();
  }

  /** A tool that counts its calls and returns {@code name + "#" + count}. */
  static AgentTool tool(
      String name, boolean idempotent, java.util.concurrent.atomic.AtomicInteger calls) {
    return AgentTool.builder(name)
        .description("Test tool " + name)
        .idempotent(idempotent)
        .handler((args, ctx) -> name + "#" + calls.incrementAndGet())
        .build();
  }
}
