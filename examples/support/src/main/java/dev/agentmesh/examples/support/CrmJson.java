package dev.agentmesh.examples.support;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** The CRM's JSON both ways: HubSpot v3 objects and owners, Zendesk tickets. */
final class CrmJson {

  static final JsonMapper MAPPER = JsonMapper.builder().build();

  /** HubSpot's default association type ids for the pairs the examples use. */
  static final Map<String, Integer> ASSOCIATION_TYPE_IDS =
      Map.ofEntries(
          Map.entry("calls->companies", 182),
          Map.entry("calls->contacts", 194),
          Map.entry("notes->companies", 190),
          Map.entry("notes->contacts", 202),
          Map.entry("tasks->companies", 192),
          Map.entry("tasks->contacts", 204),
          Map.entry("contacts->companies", 279),
          Map.entry("companies->contacts", 280),
          Map.entry("leads->contacts", 578),
          Map.entry("leads->companies", 610));

  private CrmJson() {}

  static JsonNode parse(String json, String where) {
    try {
      return MAPPER.readTree(json);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          where + ": expected JSON but found: " + abbreviate(json) + " (" + e.getMessage() + ")",
          e);
    }
  }

  static String write(JsonNode node) {
    return MAPPER.writeValueAsString(node);
  }

  static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  static ObjectNode record(CrmRecord r) {
    ObjectNode node = object().put("id", r.id());
    ObjectNode props = node.putObject("properties");
    Map<String, String> sorted = new TreeMap<>(r.properties());
    sorted.putIfAbsent("hs_object_id", r.id());
    sorted.putIfAbsent("createdate", r.createdAt().toString());
    sorted.put("hs_lastmodifieddate", r.updatedAt().toString());
    sorted.forEach(props::put);
    if (!r.associations().isEmpty()) {
      ObjectNode assoc = node.putObject("associations");
      new TreeMap<>(r.associations())
          .forEach(
              (toType, ids) -> {
                ArrayNode results = assoc.putObject(toType).putArray("results");
                for (String id : ids)
                  results
                      .addObject()
                      .put("id", id)
                      .put("type", singular(r.type()) + "_to_" + singular(toType));
              });
    }
    node.put("createdAt", r.createdAt().toString());
    node.put("updatedAt", r.updatedAt().toString());
    node.put("archived", false);
    return node;
  }

  static CrmRecord record(String type, JsonNode node, long version, String where) {
    String id = text(node, "id", where);
    Map<String, String> props = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : node.path("properties").properties())
      if (!e.getValue().isNull()) props.put(e.getKey(), scalar(e.getValue()));
    Map<String, List<String>> assoc = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : node.path("associations").properties()) {
      List<String> ids = new ArrayList<>();
      for (JsonNode a : e.getValue().path("results")) ids.add(scalar(a.path("id")));
      assoc.put(e.getKey(), ids);
    }
    Instant created = instant(node, "createdAt", where + " record " + id);
    Instant updated =
        node.has("updatedAt") ? instant(node, "updatedAt", where + " record " + id) : created;
    return new CrmRecord(type, id, props, assoc, created, updated, version);
  }

  static ObjectNode owner(CrmOwner o) {
    ObjectNode node =
        object()
            .put("id", o.id())
            .put("email", o.email())
            .put("type", "PERSON")
            .put("firstName", o.firstName())
            .put("lastName", o.lastName())
            .put("userId", o.userId())
            .put("createdAt", o.createdAt().toString())
            .put("updatedAt", o.updatedAt().toString())
            .put("archived", false);
    ArrayNode teams = node.putArray("teams");
    for (int i = 0; i < o.teams().size(); i++) {
      String name = o.teams().get(i);
      teams
          .addObject()
          .put("id", name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-"))
          .put("name", name)
          .put("primary", i == 0);
    }
    return node;
  }

  static CrmOwner owner(JsonNode node, String where) {
    List<String> teams = new ArrayList<>();
    for (JsonNode t : node.path("teams")) teams.add(scalar(t.path("name")));
    String id = text(node, "id", where);
    Instant created = instant(node, "createdAt", where + " owner " + id);
    return new CrmOwner(
        id,
        text(node, "email", where),
        text(node, "firstName", where),
        text(node, "lastName", where),
        node.path("userId").asLong(),
        teams,
        created,
        node.has("updatedAt") ? instant(node, "updatedAt", where) : created);
  }

  static ObjectNode ticket(CrmTicket t, String baseUri) {
    ObjectNode node =
        object()
            .put("url", baseUri + "/api/v2/tickets/" + t.id() + ".json")
            .put("id", t.id())
            .put("subject", t.subject())
            .put("description", t.description())
            .put("status", t.status())
            .put("priority", t.priority())
            .put("requester_id", t.requesterId());
    if (t.assigneeId() == null) node.putNull("assignee_id");
    else node.put("assignee_id", t.assigneeId());
    if (t.organizationId() == null) node.putNull("organization_id");
    else node.put("organization_id", t.organizationId());
    ArrayNode tags = node.putArray("tags");
    t.tags().forEach(tags::add);
    node.putObject("metric_set").put("replies", t.replies());
    node.put("created_at", t.createdAt().toString());
    node.put("updated_at", t.updatedAt().toString());
    return node;
  }

  static CrmTicket ticket(JsonNode node, String where) {
    String at = where + " ticket " + node.path("id").asString("?");
    List<String> tags = new ArrayList<>();
    for (JsonNode tag : node.path("tags")) tags.add(scalar(tag));
    Instant created = instant(node, "created_at", at);
    return new CrmTicket(
        node.path("id").asLong(),
        text(node, "subject", at),
        node.path("description").asString(""),
        text(node, "status", at),
        node.path("priority").asString("normal"),
        node.path("requester_id").asLong(),
        optionalLong(node.path("assignee_id")),
        optionalLong(node.path("organization_id")),
        tags,
        node.path("metric_set").path("replies").asInt(0),
        created,
        node.has("updated_at") ? instant(node, "updated_at", at) : created);
  }

  static String singular(String type) {
    if (type.endsWith("ies")) return type.substring(0, type.length() - 3) + "y";
    if (type.endsWith("s")) return type.substring(0, type.length() - 1);
    return type;
  }

  /** A property value as HubSpot keeps it: a string. */
  static String scalar(JsonNode v) {
    return v.isString() ? v.asString() : v.isNull() || v.isMissingNode() ? "" : v.toString();
  }

  /** An instant from ISO-8601 ({@code 2026-11-30T09:00:00Z}), a date, or epoch milliseconds. */
  static @Nullable Instant instantOrNull(String value) {
    try {
      return Instant.parse(value);
    } catch (DateTimeParseException e) {
      // try the other forms
    }
    try {
      return LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant();
    } catch (DateTimeParseException e) {
      // try the other forms
    }
    if (value.matches("\\d{12,14}")) return Instant.ofEpochMilli(Long.parseLong(value));
    return null;
  }

  private static Instant instant(JsonNode node, String field, String where) {
    String v = scalar(node.path(field));
    Instant i = instantOrNull(v);
    if (i == null)
      throw new IllegalArgumentException(
          where
              + ": expected '"
              + field
              + "' to be an ISO-8601 instant like 2026-11-30T09:00:00Z but found '"
              + v
              + "'");
    return i;
  }

  private static String text(JsonNode node, String field, String where) {
    JsonNode v = node.path(field);
    if (v.isMissingNode() || v.isNull())
      throw new IllegalArgumentException(
          where
              + ": expected a field '"
              + field
              + "' but found none in "
              + abbreviate(write(node)));
    return scalar(v);
  }

  private static @Nullable Long optionalLong(JsonNode v) {
    return v.isNumber() || (v.isString() && v.asString().matches("\\d+")) ? v.asLong() : null;
  }

  static String abbreviate(String s) {
    String one = s.replace('\n', ' ');
    return one.length() > 200 ? one.substring(0, 200) + "..." : one;
  }
}
