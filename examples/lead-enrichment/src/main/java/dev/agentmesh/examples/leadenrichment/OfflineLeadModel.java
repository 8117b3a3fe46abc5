package dev.agentmesh.examples.leadenrichment;

import dev.agentmesh.core.spi.ChatMessage;
import dev.agentmesh.core.spi.ChatModel;
import dev.agentmesh.core.spi.ChatRequest;
import dev.agentmesh.core.spi.ChatResponse;
import dev.agentmesh.core.spi.ToolCall;
import dev.agentmesh.core.spi.Usage;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A stand-in for a real model, so the example runs with no key: it does what a model following the
 * enrich-lead instructions would. It asks for {@code enrichCompany}, then {@code listOwners}, then
 * answers the lead as a record change (the {@code record-change} artifact's JSON).
 */
final class OfflineLeadModel implements ChatModel {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  @Override
  public ChatResponse chat(ChatRequest request) {
    List<ChatMessage> messages = request.messages();
    JsonNode signup = inputOf(messages);
    JsonNode company = toolResult(messages, "enrichCompany");
    JsonNode owners = toolResult(messages, "listOwners");
    ChatResponse.Builder answer = ChatResponse.builder().usage(Usage.of(200, 60)).modelId(name());
    if (company == null) {
      ObjectNode args = JSON.createObjectNode().put("domain", signup.path("domain").asString(""));
      return answer.toolCalls(List.of(ToolCall.of("call_1", "enrichCompany", args))).build();
    }
    if (owners == null) {
      return answer
          .toolCalls(List.of(ToolCall.of("call_2", "listOwners", JSON.createObjectNode())))
          .build();
    }
    return answer.text(lead(signup, company, owners).toString()).build();
  }

  /** The new lead: the company's facts, then its status and owner. */
  private static ObjectNode lead(JsonNode signup, JsonNode company, JsonNode owners) {
    ObjectNode change =
        JSON.createObjectNode()
            .put("system", "crm")
            .put("recordType", "leads")
            .put("recordId", CrmLeads.NEW)
            .put("versionRead", "0");
    ArrayNode fields = change.putArray("changes");
    String name = company.path("name").asString(signup.path("domain").asString(""));
    add(fields, "hs_lead_name", name + " - " + signup.path("name").asString(""));
    add(fields, "email", signup.path("email").asString(""));
    add(fields, "company", name);
    add(fields, "domain", signup.path("domain").asString(""));
    add(fields, "industry", company.path("industry").asString(""));
    add(fields, "numberofemployees", String.valueOf(company.path("employees").asLong(0)));
    add(fields, "country", company.path("country").asString(""));
    add(fields, "hs_lead_status", "NEW");
    add(fields, "hubspot_owner_id", owner(owners, company.path("employees").asLong(0) >= 1000));
    return change;
  }

  /** The first account manager for large companies, the last one for the others. */
  private static String owner(JsonNode owners, boolean enterprise) {
    String first = null;
    String last = null;
    for (JsonNode o : owners) {
      if (o.path("teams").toString().toLowerCase(java.util.Locale.ROOT).contains("account")) {
        first = first == null ? o.path("id").asString() : first;
        last = o.path("id").asString();
      }
    }
    return String.valueOf(enterprise ? first : last);
  }

  private static void add(ArrayNode fields, String field, String after) {
    fields.addObject().put("field", field).putNull("before").put("after", after);
  }

  private static JsonNode inputOf(List<ChatMessage> messages) {
    for (ChatMessage m : messages) {
      if (m.role() == ChatMessage.Role.USER && m.textOrEmpty().startsWith("{")) {
        return JSON.readTree(m.textOrEmpty());
      }
    }
    return JSON.createObjectNode();
  }

  private static JsonNode toolResult(List<ChatMessage> messages, String tool) {
    for (ChatMessage m : messages) {
      if (m.role() == ChatMessage.Role.TOOL && tool.equals(m.toolName())) {
        return JSON.readTree(m.textOrEmpty());
      }
    }
    return null;
  }

  @Override
  public String name() {
    return "offline-lead-model";
  }
}
