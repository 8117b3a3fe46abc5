package dev.agentmesh.examples.crmupdate;

import dev.agentmesh.core.spi.ChatMessage;
import dev.agentmesh.core.spi.ChatModel;
import dev.agentmesh.core.spi.ChatRequest;
import dev.agentmesh.core.spi.ChatResponse;
import dev.agentmesh.core.spi.ToolCall;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The example's offline model: does what the spec's instructions ask, deterministically. It reads
 * the company's name after "called" in the rep's words, calls {@code findCompany}, and proposes the
 * record change from what the tool returned (so the version read is the CRM's real one).
 *
 * <pre>{@code
 * ChatModel model = ExampleModel.from(env, out, ScriptedCrmModel::new);
 * }</pre>
 */
public final class ScriptedCrmModel implements ChatModel {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Pattern CALLED =
      Pattern.compile("\\b[Cc]alled\\s+([A-Z][\\w&.-]*(?:\\s+[A-Z][\\w&.-]*)*)");

  /** A new scripted model. */
  public ScriptedCrmModel() {}

  @Override
  public String name() {
    return "scripted-crm-update";
  }

  @Override
  public ChatResponse chat(ChatRequest request) {
    List<ChatMessage> messages = request.messages();
    ChatMessage last = messages.get(messages.size() - 1);
    String said = said(messages);
    if (last.role() == ChatMessage.Role.TOOL)
      return propose(JSON.readTree(last.textOrEmpty()), said);
    Matcher m = CALLED.matcher(said);
    String company = m.find() ? m.group(1) : said;
    ObjectNode args = JSON.createObjectNode().put("name", company);
    return ChatResponse.ofToolCalls(ToolCall.of("call-" + messages.size(), "findCompany", args));
  }

  private static ChatResponse propose(JsonNode read, String said) {
    if (!read.path("found").asBoolean())
      return ChatResponse.ofText(
          "Which company do you mean? I found none named " + read.path("name"));
    String lower = said.toLowerCase(Locale.ROOT);
    boolean noAnswer =
        lower.contains("left a message")
            || lower.contains("voicemail")
            || lower.contains("no answer")
            || lower.contains("didn't pick up");
    String contact = read.path("contact").asString();
    ObjectNode change =
        JSON.createObjectNode()
            .put("system", "crm")
            .put("recordType", "companies")
            .put("recordId", read.path("id").asString())
            .put("versionRead", read.path("version").asString());
    ArrayNode changes = change.putArray("changes");
    field(
        changes,
        "notes_last_contacted",
        read.path("lastTouch").asString(),
        read.path("today").asString());
    field(changes, "activity.hs_call_status", null, noAnswer ? "NO_ANSWER" : "COMPLETED");
    field(
        changes,
        "activity.hs_call_body",
        null,
        noAnswer ? "Called " + contact + "; no answer, left a message." : said.strip());
    return ChatResponse.ofText(JSON.writeValueAsString(change));
  }

  private static void field(
      ArrayNode changes,
      String name,
      @org.jspecify.annotations.Nullable String before,
      String after) {
    ObjectNode f = changes.addObject().put("field", name);
    if (before == null || before.isEmpty()) f.putNull("before");
    else f.put("before", before);
    f.put("after", after);
  }

  /** The rep's words: the first user message. */
  private static String said(List<ChatMessage> messages) {
    for (ChatMessage m : messages) if (m.role() == ChatMessage.Role.USER) return m.textOrEmpty();
    return "";
  }
}
