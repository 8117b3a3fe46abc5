package dev.agentmesh.examples.changelog;

import dev.agentmesh.core.spi.ChatMessage;
import dev.agentmesh.core.spi.ChatModel;
import dev.agentmesh.core.spi.ChatRequest;
import dev.agentmesh.core.spi.ChatResponse;
import dev.agentmesh.core.spi.ToolCall;
import dev.agentmesh.core.spi.Usage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The example's scripted model: it behaves the way a model following the changelog writer's
 * instructions would, so the example runs with no key and no server. It asks for the week's commits
 * with {@code weekCommits}, then writes the week's section in the team's format, with one mistake
 * in its first draft (the breaking change listed among the features, as a hurried writer might);
 * once a reviewer's change request mentions breaking changes, it lists them first under their own
 * heading.
 */
final class OfflineChangelogModel implements ChatModel {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Pattern CONVENTIONAL =
      Pattern.compile("^(\\w+)(?:\\(([^)]+)\\))?(!)?: (.+)$");

  @Override
  public ChatResponse chat(ChatRequest request) {
    List<ChatMessage> messages = request.messages();
    ChatMessage last = messages.get(messages.size() - 1);
    ChatResponse.Builder answer =
        ChatResponse.builder()
            .usage(Usage.of(request.toString().length() / 4, 120))
            .modelId(name());
    JsonNode input = sessionInput(messages);
    if (last.role() != ChatMessage.Role.TOOL) {
      ObjectNode args =
          JSON.createObjectNode()
              .put("since", input.path("since").asString())
              .put("until", input.path("until").asString());
      return answer
          .toolCalls(List.of(ToolCall.of("call_" + messages.size(), "weekCommits", args)))
          .build();
    }
    boolean breakingFirst =
        messages.stream()
            .anyMatch(
                m ->
                    m.role() == ChatMessage.Role.USER
                        && m.textOrEmpty().toLowerCase(Locale.ROOT).contains("breaking changes"));
    String section = section(input, JSON.readTree(last.textOrEmpty()), breakingFirst);
    ObjectNode document =
        JSON.createObjectNode()
            .put("title", "Changelog: week of " + input.path("weekStart").asString())
            .put("format", "MARKDOWN")
            .put("before", "")
            .put("after", section);
    return answer.text(JSON.writeValueAsString(document)).build();
  }

  @Override
  public String name() {
    return "offline-changelog-model";
  }

  /** The week's section: headings in the team's order, one line per commit, chores left out. */
  static String section(JsonNode input, JsonNode commits, boolean breakingFirst) {
    Map<String, List<String>> sections = new LinkedHashMap<>();
    for (String heading : List.of("Breaking changes", "Features", "Fixes", "Documentation")) {
      sections.put(heading, new ArrayList<>());
    }
    for (JsonNode c : commits) {
      Matcher m = CONVENTIONAL.matcher(c.path("subject").asString());
      if (!m.matches()) continue;
      boolean breaking =
          m.group(3) != null || c.path("body").asString("").contains("BREAKING CHANGE");
      String heading =
          switch (m.group(1)) {
            case "feat" -> "Features";
            case "fix" -> "Fixes";
            case "docs" -> "Documentation";
            default -> null;
          };
      if (heading == null) continue;
      if (breaking && breakingFirst) heading = "Breaking changes";
      String scope = m.group(2) == null ? "" : "**" + m.group(2) + "**: ";
      String mark = breaking && !breakingFirst ? "(breaking) " : "";
      sections
          .get(heading)
          .add("- " + scope + mark + m.group(4) + " (" + c.path("hash").asString() + ")");
    }
    StringBuilder out =
        new StringBuilder("## Week of ")
            .append(input.path("weekStart").asString())
            .append(" to ")
            .append(input.path("weekEnd").asString())
            .append('\n');
    sections.forEach(
        (heading, lines) -> {
          if (lines.isEmpty()) return;
          out.append("\n### ").append(heading).append('\n');
          lines.forEach(line -> out.append(line).append('\n'));
        });
    return out.toString();
  }

  /** The session's input: the first user message, the JSON the trigger built. */
  private static JsonNode sessionInput(List<ChatMessage> messages) {
    for (ChatMessage m : messages) {
      if (m.role() == ChatMessage.Role.USER && m.textOrEmpty().startsWith("{")) {
        return JSON.readTree(m.textOrEmpty());
      }
    }
    return JSON.createObjectNode();
  }
}
