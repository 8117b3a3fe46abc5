package dev.agentmesh.examples.support;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** The {@link CrmServer}'s records and the answers to its endpoints; one lock guards all. */
final class CrmStore {

  /** Types the server accepts even without records, as HubSpot knows them. */
  private static final Set<String> KNOWN_TYPES =
      Set.of("companies", "contacts", "deals", "calls", "notes", "tasks", "leads", "meetings");

  private static final Set<String> LIST_PARAMS =
      Set.of("limit", "after", "properties", "associations", "archived", "propertiesWithHistory");

  record Reply(int status, Map<String, String> headers, String body) {
    static Reply json(int status, JsonNode body) {
      return new Reply(status, Map.of(), CrmJson.write(body));
    }

    static Reply error(int status, String category, String message) {
      ObjectNode body =
          CrmJson.object()
              .put("status", "error")
              .put("message", message)
              .put("correlationId", java.util.UUID.randomUUID().toString())
              .put("category", category);
      return json(status, body);
    }

    Reply withHeader(String name, String value) {
      Map<String, String> h = new LinkedHashMap<>(headers);
      h.put(name, value);
      return new Reply(status, h, body);
    }
  }

  /** Ends a request with this reply. */
  static final class Failure extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient Reply reply;

    Failure(Reply reply) {
      super(reply.body(), null, false, false);
      this.reply = reply;
    }

    Reply reply() {
      return reply;
    }
  }

  private final Clock clock;
  private final Map<String, Map<String, CrmRecord>> objects = new LinkedHashMap<>();
  private final List<CrmOwner> owners;
  private final List<CrmTicket> tickets;

  CrmStore(CrmData data, Clock clock) {
    this.clock = clock;
    for (String type : data.types()) {
      Map<String, CrmRecord> byId = new LinkedHashMap<>();
      for (CrmRecord r : data.objects(type)) byId.put(r.id(), r);
      objects.put(type, byId);
    }
    this.owners = data.owners();
    this.tickets = data.tickets();
  }

  synchronized CrmRecord get(String type, String id) {
    CrmRecord r = records(type).get(id);
    if (r == null) throw new NoSuchElementException("No " + type + " record " + id + " in the CRM");
    return r;
  }

  synchronized List<CrmRecord> all(String type) {
    return List.copyOf(records(type).values());
  }

  List<CrmTicket> tickets() {
    return tickets;
  }

  synchronized Reply read(String type, String id) {
    CrmRecord r = found(type, id);
    return Reply.json(200, CrmJson.record(r)).withHeader("ETag", etag(r));
  }

  synchronized Reply list(String type, Map<String, String> params) {
    Predicate<CrmRecord> filter = r -> true;
    for (Map.Entry<String, String> p : params.entrySet())
      if (!LIST_PARAMS.contains(p.getKey()))
        filter = filter.and(r -> p.getValue().equals(value(r, p.getKey())));
    List<CrmRecord> matching = records(type).values().stream().filter(filter).toList();
    return page(matching, params.get("limit"), params.get("after"), 100, false);
  }

  synchronized Reply search(String type, String body) {
    JsonNode request = CrmJson.parse(body.isBlank() ? "{}" : body, "POST search body");
    Predicate<CrmRecord> filter = r -> request.path("filterGroups").isEmpty();
    for (JsonNode group : request.path("filterGroups")) {
      Predicate<CrmRecord> all = r -> true;
      for (JsonNode f : group.path("filters")) all = all.and(condition(f));
      filter = filter.or(all);
    }
    List<CrmRecord> matching =
        new ArrayList<>(records(type).values().stream().filter(filter).toList());
    JsonNode sort = request.path("sorts").path(0);
    if (!sort.isMissingNode()) {
      String by = sort.isString() ? sort.asString() : sort.path("propertyName").asString();
      Comparator<CrmRecord> order = (a, b) -> compare(value(a, by), value(b, by));
      if (sort.path("direction").asString("ASCENDING").equals("DESCENDING"))
        order = order.reversed();
      matching.sort(order);
    }
    return page(
        matching,
        request.path("limit").asString(null),
        request.path("after").asString(null),
        200,
        true);
  }

  synchronized Reply create(String type, String body) {
    JsonNode request = CrmJson.parse(body, "POST /crm/v3/objects/" + type + " body");
    records(type);
    Map<String, String> props = properties(request, "POST /crm/v3/objects/" + type);
    Map<String, List<String>> assoc = new LinkedHashMap<>();
    for (JsonNode a : request.path("associations")) {
      int typeId = a.path("types").path(0).path("associationTypeId").asInt(-1);
      String toType = associatedType(type, typeId);
      assoc
          .computeIfAbsent(toType, t -> new ArrayList<>())
          .add(CrmJson.scalar(a.path("to").path("id")));
    }
    Instant now = clock.instant();
    CrmRecord r = new CrmRecord(type, nextId(type), props, assoc, now, now, 1);
    objects.computeIfAbsent(type, t -> new LinkedHashMap<>()).put(r.id(), r);
    return Reply.json(201, CrmJson.record(r)).withHeader("ETag", etag(r));
  }

  synchronized Reply update(String type, String id, @Nullable String ifMatch, String body) {
    String where = "PATCH /crm/v3/objects/" + type + "/" + id;
    if (ifMatch == null)
      return Reply.error(
          428,
          "PRECONDITION_REQUIRED",
          where
              + " needs an If-Match header with the version read (the ETag of GET /crm/v3/objects/"
              + type
              + "/"
              + id
              + "); this CRM refuses blind overwrites");
    Map<String, String> props = properties(CrmJson.parse(body, where + " body"), where);
    CrmRecord r = patch(type, id, ifMatch, props);
    return Reply.json(200, CrmJson.record(r)).withHeader("ETag", etag(r));
  }

  /** Applies a change; {@code ifMatch == null} means unconditionally (the CRM's own edit). */
  synchronized CrmRecord patch(
      String type, String id, @Nullable String ifMatch, Map<String, String> changes) {
    CrmRecord current = found(type, id);
    if (ifMatch != null && !matches(ifMatch, current)) {
      ObjectNode error =
          CrmJson.object()
              .put("status", "error")
              .put(
                  "message",
                  type
                      + " "
                      + id
                      + " is at version "
                      + current.version()
                      + " (updated "
                      + current.updatedAt()
                      + ") but If-Match was "
                      + ifMatch
                      + ": it changed since it was read; read it again and re-apply the change")
              .put("category", "PRECONDITION_FAILED");
      error.putObject("context").putArray("currentVersion").add(String.valueOf(current.version()));
      throw new Failure(Reply.json(412, error).withHeader("ETag", etag(current)));
    }
    Map<String, String> props = new LinkedHashMap<>(current.properties());
    changes.forEach(
        (k, v) -> {
          if (v.isEmpty()) props.remove(k);
          else props.put(k, v);
        });
    CrmRecord updated =
        new CrmRecord(
            type,
            id,
            props,
            current.associations(),
            current.createdAt(),
            clock.instant(),
            current.version() + 1);
    records(type).put(id, updated);
    return updated;
  }

  Reply owners(Map<String, String> params) {
    List<CrmOwner> matching =
        owners.stream()
            .filter(o -> !params.containsKey("email") || o.email().equals(params.get("email")))
            .toList();
    ObjectNode body = CrmJson.object();
    ArrayNode results = body.putArray("results");
    matching.forEach(o -> results.add(CrmJson.owner(o)));
    return Reply.json(200, body);
  }

  Reply owner(String id) {
    for (CrmOwner o : owners) if (o.id().equals(id)) return Reply.json(200, CrmJson.owner(o));
    return Reply.error(404, "OBJECT_NOT_FOUND", "No owner " + id + " in the CRM");
  }

  Reply tickets(Map<String, String> params, String baseUri) {
    ObjectNode body = CrmJson.object();
    ArrayNode list = body.putArray("tickets");
    for (CrmTicket t : tickets) {
      ObjectNode node = CrmJson.ticket(t, baseUri);
      boolean match = true;
      for (String field :
          List.of("status", "priority", "organization_id", "requester_id", "assignee_id"))
        if (params.containsKey(field)
            && !params.get(field).equals(CrmJson.scalar(node.path(field)))) match = false;
      if (match) list.add(node);
    }
    body.putNull("next_page");
    body.putNull("previous_page");
    body.put("count", list.size());
    return Reply.json(200, body);
  }

  Reply ticket(long id, String baseUri) {
    for (CrmTicket t : tickets)
      if (t.id() == id) {
        ObjectNode body = CrmJson.object();
        body.set("ticket", CrmJson.ticket(t, baseUri));
        return Reply.json(200, body);
      }
    ObjectNode body =
        CrmJson.object().put("error", "RecordNotFound").put("description", "Not found");
    return Reply.json(404, body);
  }

  private Reply page(
      List<CrmRecord> matching,
      @Nullable String limitParam,
      @Nullable String afterParam,
      int max,
      boolean withTotal) {
    int limit = bounded(limitParam, 10, 1, max, "limit");
    int after = bounded(afterParam, 0, 0, Integer.MAX_VALUE, "after");
    ObjectNode body = CrmJson.object();
    if (withTotal) body.put("total", matching.size());
    ArrayNode results = body.putArray("results");
    int end = Math.min(matching.size(), after + limit);
    for (int i = Math.min(after, end); i < end; i++) results.add(CrmJson.record(matching.get(i)));
    if (end < matching.size())
      body.putObject("paging").putObject("next").put("after", String.valueOf(end));
    return Reply.json(200, body);
  }

  private static int bounded(@Nullable String value, int fallback, int min, int max, String name) {
    if (value == null || value.isBlank()) return fallback;
    try {
      int v = Integer.parseInt(value.strip());
      if (v < min || v > max)
        throw new IllegalArgumentException(
            name + " must be between " + min + " and " + max + " but was " + v);
      return v;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a number but was '" + value + "'", e);
    }
  }

  private Predicate<CrmRecord> condition(JsonNode f) {
    String name = f.path("propertyName").asString("");
    String op = f.path("operator").asString("EQ").toUpperCase(Locale.ROOT);
    String v = CrmJson.scalar(f.path("value"));
    List<String> values = new ArrayList<>();
    for (JsonNode x : f.path("values")) values.add(CrmJson.scalar(x));
    return r -> {
      String actual = value(r, name);
      switch (op) {
        case "EQ":
          return v.equals(actual);
        case "NEQ":
          return !v.equals(actual);
        case "IN":
          return actual != null && values.contains(actual);
        case "NOT_IN":
          return actual == null || !values.contains(actual);
        case "HAS_PROPERTY":
          return actual != null;
        case "NOT_HAS_PROPERTY":
          return actual == null;
        case "CONTAINS_TOKEN":
          return actual != null
              && actual
                  .toLowerCase(Locale.ROOT)
                  .contains(v.toLowerCase(Locale.ROOT).replace("*", ""));
        case "LT":
          return actual != null && compare(actual, v) < 0;
        case "LTE":
          return actual != null && compare(actual, v) <= 0;
        case "GT":
          return actual != null && compare(actual, v) > 0;
        case "GTE":
          return actual != null && compare(actual, v) >= 0;
        default:
          throw new IllegalArgumentException(
              "Unknown filter operator '"
                  + op
                  + "'; use EQ, NEQ, IN, NOT_IN, LT, LTE, GT, GTE, HAS_PROPERTY, NOT_HAS_PROPERTY"
                  + " or CONTAINS_TOKEN");
      }
    };
  }

  /** A property, {@code id}, or with {@code associations.<type>} an associated id. */
  private static @Nullable String value(CrmRecord r, String name) {
    if (name.equals("id") || name.equals("hs_object_id")) return r.id();
    if (name.equals("hs_lastmodifieddate")) return r.updatedAt().toString();
    if (name.startsWith("associations.")) {
      String to = name.substring("associations.".length());
      List<String> ids = r.associated(to);
      if (ids.isEmpty()) ids = r.associated(to + "s");
      if (ids.isEmpty() && to.endsWith("y"))
        ids = r.associated(to.substring(0, to.length() - 1) + "ies");
      return ids.isEmpty() ? null : ids.get(0);
    }
    return r.property(name);
  }

  /** Instants and dates by time, numbers by value, else text; missing values sort first. */
  private static int compare(@Nullable String a, @Nullable String b) {
    if (a == null || b == null) return a == null ? (b == null ? 0 : -1) : 1;
    Instant ia = CrmJson.instantOrNull(a);
    Instant ib = CrmJson.instantOrNull(b);
    if (ia != null && ib != null) return ia.compareTo(ib);
    try {
      return new BigDecimal(a).compareTo(new BigDecimal(b));
    } catch (NumberFormatException e) {
      return a.compareTo(b);
    }
  }

  private Map<String, CrmRecord> records(String type) {
    Map<String, CrmRecord> byId = objects.get(type);
    if (byId != null) return byId;
    if (!KNOWN_TYPES.contains(type))
      throw new Failure(
          Reply.error(
              400,
              "VALIDATION_ERROR",
              "Unable to infer object type from: "
                  + type
                  + "; this CRM knows "
                  + new java.util.TreeSet<>(
                      java.util.stream.Stream.concat(
                              KNOWN_TYPES.stream(), objects.keySet().stream())
                          .toList())));
    return objects.computeIfAbsent(type, t -> new LinkedHashMap<>());
  }

  private CrmRecord found(String type, String id) {
    CrmRecord r = records(type).get(id);
    if (r == null)
      throw new Failure(
          Reply.error(404, "OBJECT_NOT_FOUND", "No " + type + " record with id " + id));
    return r;
  }

  private static Map<String, String> properties(JsonNode request, String where) {
    JsonNode props = request.path("properties");
    if (!props.isObject())
      throw new IllegalArgumentException(
          where + ": expected a body {\"properties\": {...}} but found " + request.getNodeType());
    Map<String, String> result = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : props.properties())
      result.put(e.getKey(), CrmJson.scalar(e.getValue()));
    return result;
  }

  private static String associatedType(String fromType, int typeId) {
    for (Map.Entry<String, Integer> e : CrmJson.ASSOCIATION_TYPE_IDS.entrySet())
      if (e.getValue() == typeId && e.getKey().startsWith(fromType + "->"))
        return e.getKey().substring(fromType.length() + 2);
    throw new IllegalArgumentException(
        "Unknown associationTypeId "
            + typeId
            + " for "
            + fromType
            + "; this CRM knows "
            + new java.util.TreeMap<>(CrmJson.ASSOCIATION_TYPE_IDS));
  }

  private String nextId(String type) {
    long max = 0;
    for (String id : records(type).keySet())
      if (id.matches("\\d{1,18}")) max = Math.max(max, Long.parseLong(id));
    return String.valueOf(max == 0 ? defaultFirstId(type) : max + 1);
  }

  private static long defaultFirstId(String type) {
    return 9000 + Math.abs(type.hashCode() % 1000) * 10L;
  }

  private static String etag(CrmRecord r) {
    return "\"" + r.version() + "\"";
  }

  private static boolean matches(String ifMatch, CrmRecord r) {
    for (String tag : ifMatch.split(",")) {
      String t = tag.strip();
      if (t.equals("*")) return true;
      if (t.startsWith("W/")) t = t.substring(2);
      if (t.replace("\"", "").equals(String.valueOf(r.version()))) return true;
    }
    return false;
  }
}
