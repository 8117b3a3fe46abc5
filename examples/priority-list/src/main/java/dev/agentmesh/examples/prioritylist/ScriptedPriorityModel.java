package dev.agentmesh.examples.prioritylist;

import dev.agentmesh.core.spi.ChatMessage;
import dev.agentmesh.core.spi.ChatModel;
import dev.agentmesh.core.spi.ChatRequest;
import dev.agentmesh.core.spi.ChatResponse;
import dev.agentmesh.core.spi.ToolCall;
import dev.agentmesh.core.spi.Usage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The deterministic stand-in for a model, so the example runs with no key: it does what a model
 * following the two specs' instructions does, and nothing else. For {@code daily-priorities} it
 * calls {@code listReps}, then {@code rankAccounts} once per rep (in one batch), then answers with
 * the lists exactly as the tool returned them. For {@code morning-briefing} it calls {@code
 * start_session} for {@code daily-priorities}, then sums the lists up in a few sentences. It reads
 * only the current turn (the messages after the last user message), so a human's second message in
 * the same session gets a fresh list.
 *
 * <pre>{@code
 * ChatModel model = ExampleModel.from(env, out, ScriptedPriorityModel::new);
 * }</pre>
 */
public final class ScriptedPriorityModel implements ChatModel {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** Creates the model; it keeps no state between calls. */
  public ScriptedPriorityModel() {}

  @Override
  public ChatResponse chat(ChatRequest request) {
    List<ChatMessage> turn = currentTurn(request.messages());
    String agent = request.metadata().getOrDefault("agent", "");
    ChatResponse.Builder answer =
        ChatResponse.builder().usage(Usage.of(tokens(request), 60)).modelId(name());
    return switch (agent) {
      case PriorityMesh.AGENT -> dailyPriorities(turn, answer);
      case PriorityMesh.BRIEFING -> briefing(turn, answer);
      default ->
          answer.text("I only know the daily-priorities and morning-briefing agents.").build();
    };
  }

  private static ChatResponse dailyPriorities(List<ChatMessage> turn, ChatResponse.Builder answer) {
    List<ChatMessage> ranked = results(turn, PriorityTools.RANK);
    List<ChatMessage> rosters = results(turn, PriorityTools.REPS);
    if (rosters.isEmpty()) {
      return answer
          .toolCalls(List.of(ToolCall.of("call_reps", PriorityTools.REPS, JSON.createObjectNode())))
          .build();
    }
    JsonNode roster = JSON.readTree(rosters.get(0).textOrEmpty());
    if (ranked.isEmpty()) {
      List<ToolCall> calls = new ArrayList<>();
      for (JsonNode rep : roster.path("reps")) {
        String id = rep.path("id").asString();
        calls.add(
            ToolCall.of(
                "call_rank_" + id, PriorityTools.RANK, JSON.createObjectNode().put("rep", id)));
      }
      return answer.toolCalls(calls).build();
    }
    ObjectNode out = JSON.createObjectNode().put("date", roster.path("date").asString());
    ArrayNode lists = out.putArray("lists");
    for (ChatMessage result : ranked) lists.add(JSON.readTree(result.textOrEmpty()));
    return answer.text(JSON.writeValueAsString(out)).build();
  }

  private static ChatResponse briefing(List<ChatMessage> turn, ChatResponse.Builder answer) {
    List<ChatMessage> children = results(turn, "start_session");
    if (children.isEmpty()) {
      ObjectNode args = JSON.createObjectNode().put("agent", PriorityMesh.AGENT);
      args.putObject("input").put("reason", "the morning briefing asked for it");
      return answer.toolCalls(List.of(ToolCall.of("call_child", "start_session", args))).build();
    }
    ChatMessage child = children.get(0);
    if (child.error()) {
      return answer.text("The priority list could not be made: " + child.textOrEmpty()).build();
    }
    return answer.text(summary(JSON.readTree(child.textOrEmpty()))).build();
  }

  /** Two or three sentences for the manager: the top account per rep, then the escalations. */
  static String summary(JsonNode list) {
    StringBuilder text = new StringBuilder("Priorities for " + list.path("date").asString() + ":");
    List<String> escalations = new ArrayList<>();
    for (JsonNode rep : list.path("lists")) {
      JsonNode top = rep.path("items").path(0);
      text.append(
          String.format(
              Locale.ROOT,
              " %s starts with %s (%d points, %d accounts).",
              rep.path("repName").asString(),
              top.path("name").asString("nothing"),
              top.path("score").asInt(),
              rep.path("items").size()));
      for (JsonNode e : rep.path("escalations"))
        escalations.add(e.path("name").asString() + " ticket " + e.path("ticket").asString());
    }
    text.append(
        escalations.isEmpty()
            ? " Nothing to escalate."
            : " Escalated to you: " + String.join(", ", escalations) + ".");
    return text.toString();
  }

  /** The messages after the last user message: what this turn has done so far. */
  private static List<ChatMessage> currentTurn(List<ChatMessage> messages) {
    int last = -1;
    for (int i = 0; i < messages.size(); i++)
      if (messages.get(i).role() == ChatMessage.Role.USER) last = i;
    return messages.subList(last + 1, messages.size());
  }

  private static List<ChatMessage> results(List<ChatMessage> turn, String tool) {
    return turn.stream()
        .filter(m -> m.role() == ChatMessage.Role.TOOL && tool.equals(m.toolName()))
        .toList();
  }

  private static long tokens(ChatRequest request) {
    long chars = 0;
    for (ChatMessage m : request.messages()) chars += m.textOrEmpty().length();
    return Math.max(1, chars / 4);
  }

  @Override
  public String name() {
    return "scripted-priorities";
  }
}
