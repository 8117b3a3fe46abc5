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
 * A stand-in for a real model, so the example runs with no key and no server: it behaves the way a
 * model following the triage instructions would. First it asks for {@code lookupTier}; once the
 * tier is known it answers with JSON that matches the output schema. An agent without that tool
 * (the security reviewer) gets a one-sentence verdict.
 */
final class OfflineTriageModel implements ChatModel {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  @Override
  public ChatResponse chat(ChatRequest request) {
    List<ChatMessage> messages = request.messages();
    ChatMessage last = messages.get(messages.size() - 1);
    ChatResponse.Builder answer =
        ChatResponse.builder().usage(Usage.of(estimateTokens(request), 40)).modelId(name());
    if ("reply".equals(request.metadata().get("agent"))) {
      return answer.text(JSON.writeValueAsString(reply(ticketOf(request)))).build();
    }
    if (request.tools().stream().noneMatch(t -> t.name().equals("lookupTier"))) {
      String text = request.lastUserText().toLowerCase(Locale.ROOT);
      boolean risky = text.contains("password") || text.contains("http") || text.contains("link");
      return answer
          .text(
              risky
                  ? "Treat it as a risk: never open links or share credentials from a ticket; verify the sender first."
                  : "Nothing unsafe in that message.")
          .build();
    }
    JsonNode ticket = ticketOf(request);
    if (last.role() != ChatMessage.Role.TOOL) {
      ObjectNode args =
          JSON.createObjectNode().put("customer", ticket.path("customer").asString("unknown"));
      return answer
          .toolCalls(List.of(ToolCall.of("call_" + messages.size(), "lookupTier", args)))
          .build();
    }
    JsonNode tier = JSON.readTree(last.textOrEmpty());
    String subject = ticket.path("subject").asString("").toLowerCase(Locale.ROOT);
    String team =
        subject.contains("invoice") || subject.contains("charge")
            ? "billing"
            : subject.contains("down") || subject.contains("error") ? "engineering" : "support";
    boolean urgent = !team.equals("support");
    String priority =
        tier.path("tier").asString().equals("gold") && urgent ? "high" : urgent ? "normal" : "low";
    ObjectNode out =
        JSON.createObjectNode()
            .put("priority", priority)
            .put("team", team)
            .put(
                "reasoning",
                tier.path("name").asString()
                    + " is a "
                    + tier.path("tier").asString()
                    + " customer with "
                    + (team.equals("engineering") ? "an " : "a ")
                    + team
                    + " problem.");
    return answer.text(JSON.writeValueAsString(out)).build();
  }

  /** The reply agent's draft: an e-mail as the {@code outbound-message} artifact type has it. */
  private static ObjectNode reply(JsonNode ticket) {
    String customer = ticket.path("customer").asString("customer");
    ObjectNode out =
        JSON.createObjectNode().put("channel", "email").put("sender", "support@example.com");
    out.putArray("to").add("billing@" + customer + ".example");
    out.putArray("cc");
    out.putArray("bcc");
    out.put("subject", "Re: " + ticket.path("subject").asString(""));
    out.put(
        "body",
        "Hello,\n\nthank you for telling us. Our billing team is looking at the double charge and"
            + " will write to you within one working day.\n\nKind regards,\nExample Co support");
    return out;
  }

  /** The ticket: the run's input, the first user message of the conversation. */
  private static JsonNode ticketOf(ChatRequest request) {
    for (ChatMessage m : request.messages()) {
      if (m.role() == ChatMessage.Role.USER && m.textOrEmpty().startsWith("{"))
        return JSON.readTree(m.textOrEmpty());
    }
    return JSON.createObjectNode();
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
