package dev.agentmesh.examples.triage;

import dev.agentmesh.core.spi.ChatMessage;
import dev.agentmesh.core.spi.ChatModel;
import dev.agentmesh.core.spi.ChatRequest;
import dev.agentmesh.core.spi.ChatResponse;
import dev.agentmesh.core.spi.ToolCall;
import dev.agentmesh.core.spi.Usage;
import java.util.List;
import java.util.Locale;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A stand-in for a real model, so the example runs with no key and no server: it behaves the way
 * a model following the triage instructions would. First it asks for {@code lookupTier}; once the
 * tier is known it answers with JSON that matches the output schema. Any other agent gets a short
 * acknowledgement.
 */
final class OfflineTriageModel implements ChatModel {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  @Override
  public ChatResponse chat(ChatRequest request) {
    List<ChatMessage> messages = request.messages();
    ChatMessage last = messages.get(messages.size() - 1);
    ChatResponse.Builder answer = ChatResponse.builder().usage(Usage.of(estimateTokens(request), 40)).modelId(name());
    if (request.tools().stream().noneMatch(t -> t.name().equals("lookupTier"))) {
      return answer.text("Noted: " + request.lastUserText()).build();
    }
    if (last.role() != ChatMessage.Role.TOOL) {
      ObjectNode args = JSON.createObjectNode().put("customer", customerOf(request));
      return answer.toolCalls(List.of(ToolCall.of("call_" + messages.size(), "lookupTier", args))).build();
    }
    JsonNode tier = JSON.readTree(last.textOrEmpty());
    String subject = request.lastUserText().toLowerCase(Locale.ROOT);
    String team = subject.contains("invoice") || subject.contains("charge") ? "billing"
        : subject.contains("down") || subject.contains("error") ? "engineering" : "support";
    boolean urgent = !team.equals("support");
    String priority = tier.path("tier").asString().equals("gold") && urgent ? "high" : urgent ? "normal" : "low";
    ObjectNode out = JSON.createObjectNode().put("priority", priority).put("team", team)
        .put("reasoning", tier.path("name").asString() + " is a " + tier.path("tier").asString()
            + " customer with a " + team + " problem.");
    return answer.text(JSON.writeValueAsString(out)).build();
  }

  private static String customerOf(ChatRequest request) {
    for (ChatMessage m : request.messages()) {
      if (m.role() == ChatMessage.Role.USER && m.textOrEmpty().startsWith("{")) {
        return JSON.readTree(m.textOrEmpty()).path("customer").asString();
      }
    }
    return "unknown";
  }

  private static long estimateTokens(ChatRequest request) {
    long chars = 0;
    for (ChatMessage m : request.messages()) chars += m.textOrEmpty().length();
    return Math.max(1, chars / 4);
  }

  @Override
  public String name() {
    return "offline-triage";
  }
}
