package dev.agentmesh.examples.support;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A small CRM and ticketing service on 127.0.0.1 (a random port), the external system the examples'
 * tools call over real HTTP. Its JSON is shaped like HubSpot's CRM v3 API and Zendesk's tickets
 * API:
 *
 * <ul>
 *   <li>{@code GET /crm/v3/objects/{type}?limit=&after=} lists records ({@code {"results": [...],
 *       "paging": {"next": {"after": "10"}}}}); any other query parameter is an equality filter on
 *       that property (a shortcut of this server);
 *   <li>{@code POST /crm/v3/objects/{type}/search} with HubSpot's {@code filterGroups} ({@code EQ},
 *       {@code NEQ}, {@code LT}, {@code LTE}, {@code GT}, {@code GTE}, {@code IN}, {@code
 *       HAS_PROPERTY}, {@code NOT_HAS_PROPERTY}, {@code CONTAINS_TOKEN}; {@code
 *       associations.companies} filters by association), {@code sorts}, {@code limit}, {@code
 *       after};
 *   <li>{@code GET /crm/v3/objects/{type}/{id}} returns one record with an {@code ETag} (its
 *       version);
 *   <li>{@code PATCH /crm/v3/objects/{type}/{id}} with {@code {"properties": {...}}} requires
 *       {@code If-Match} with the version read: {@code 412} when the record changed meanwhile,
 *       {@code 428} without the header (this CRM refuses blind overwrites);
 *   <li>{@code POST /crm/v3/objects/{type}} creates a record (calls, notes, leads...), with
 *       HubSpot's {@code associations} ({@code [{"to": {"id": "1001"}, "types":
 *       [{"associationCategory": "HUBSPOT_DEFINED", "associationTypeId": 182}]}]});
 *   <li>{@code GET /crm/v3/owners} and {@code /crm/v3/owners/{id}}: the reps;
 *   <li>{@code GET /api/v2/tickets} (filters {@code status}, {@code priority}, {@code
 *       organization_id}, {@code requester_id}, {@code assignee_id}), {@code /api/v2/tickets/{id}}
 *       and {@code /api/v2/organizations/{id}/tickets}: Zendesk-shaped tickets.
 * </ul>
 *
 * <p>Errors are HubSpot's {@code {"status": "error", "category": ..., "message": ...}}. Every
 * request is kept for assertions ({@link #requests()}, and over HTTP at {@link #REQUESTS}); {@link
 * #edit} simulates a change someone made in the CRM meanwhile. Thread-safe. The examples run it as
 * a process of its own ({@link #main}, through {@link CrmProcess}); in this JVM it serves this
 * module's tests.
 *
 * <pre>{@code
 * try (CrmServer crm = CrmServer.start(CrmData.sample())) {
 *   CrmClient client = CrmClient.create(crm.baseUri());
 *   CrmRecord acme = client.get("companies", "1001");
 *   crm.edit("companies", "1001", "notes_last_contacted", "2026-11-29T16:00:00Z");
 *   client.update("companies", "1001", acme.version(), Map.of("tier", "strategic")); // throws
 * }
 * }</pre>
 */
public final class CrmServer implements AutoCloseable {

  /**
   * One request the server answered.
   *
   * @param method the HTTP method
   * @param path the path, without the query
   * @param query the decoded query string, empty when none
   * @param ifMatch the {@code If-Match} header, or {@code null}
   * @param body the request body, empty when none
   * @param status the status code answered
   */
  public record RecordedRequest(
      String method, String path, String query, @Nullable String ifMatch, String body, int status) {

    /** {@return {@code "METHOD /path"}, handy in assertions} */
    public String line() {
      return method + " " + path;
    }
  }

  /**
   * This server's own endpoint (no CRM has it): {@code GET} answers every request answered so far,
   * as {@code {"results": [{"method", "path", "query", "ifMatch", "body", "status"}]}}, for tests
   * and the demos' summaries. It is not itself recorded.
   */
  public static final String REQUESTS = "/_local/requests";

  private static final Pattern OBJECTS = Pattern.compile("/crm/v3/objects/([a-z_0-9]+)");
  private static final Pattern OBJECT = Pattern.compile("/crm/v3/objects/([a-z_0-9]+)/([^/]+)");
  private static final Pattern OWNER = Pattern.compile("/crm/v3/owners/([^/]+)");
  private static final Pattern TICKET = Pattern.compile("/api/v2/tickets/(\\d+)(?:\\.json)?");
  private static final Pattern ORG_TICKETS =
      Pattern.compile("/api/v2/organizations/(\\d+)/tickets(?:\\.json)?");

  private final CrmStore store;
  private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
  private final Loopback http;

  private CrmServer(CrmData data, Clock clock) {
    this.store = new CrmStore(data, clock);
    this.http = Loopback.start("crm-server", this::handle);
  }

  /**
   * Starts a server with this data and the system clock.
   *
   * @param data the records it starts with ({@link CrmData#sample()} for the default set)
   * @return the running server; close it
   */
  public static CrmServer start(CrmData data) {
    return start(data, Clock.systemUTC());
  }

  /**
   * Starts a server whose {@code updatedAt} and {@code createdAt} come from this clock.
   *
   * @param data the records it starts with
   * @param clock the clock stamping changes
   * @return the running server; close it
   */
  public static CrmServer start(CrmData data, Clock clock) {
    return new CrmServer(data, clock);
  }

  /** {@return the server's address, {@code http://127.0.0.1:<port>}} */
  public URI baseUri() {
    return http.baseUri();
  }

  /** {@return every request answered so far, oldest first} */
  public List<RecordedRequest> requests() {
    return List.copyOf(requests);
  }

  /**
   * Simulates a change made in the CRM by someone else: sets one property and bumps the record's
   * version and {@code updatedAt}, so a write based on an earlier read gets {@code 412}.
   *
   * @param type the object type ({@code companies})
   * @param id the record's id
   * @param field the property to set
   * @param value its new value
   * @return the record after the change
   * @throws java.util.NoSuchElementException when there is no such record
   */
  public CrmRecord edit(String type, String id, String field, String value) {
    store.get(type, id);
    return store.patch(type, id, null, Map.of(field, value));
  }

  /**
   * The current state of a record, with its version.
   *
   * @param type the object type
   * @param id the record's id
   * @return the record
   * @throws java.util.NoSuchElementException when there is no such record
   */
  public CrmRecord record(String type, String id) {
    return store.get(type, id);
  }

  /**
   * The current records of a type, with their versions.
   *
   * @param type the object type
   * @return its records, in creation order
   */
  public List<CrmRecord> records(String type) {
    return store.all(type);
  }

  /** {@return the current tickets} */
  public List<CrmTicket> tickets() {
    return store.tickets();
  }

  @Override
  public void close() {
    http.close();
  }

  /**
   * Runs the server as a process of its own (see {@link LoopbackProcess}): prints {@code port <n>},
   * serves until standard input ends.
   *
   * @param args none for the sample data, or the directory of the data files ({@link CrmData#load})
   */
  public static void main(String[] args) {
    CrmData data = args.length == 0 ? CrmData.sample() : CrmData.load(Path.of(args[0]));
    CrmServer server = start(data);
    LoopbackProcess.serveUntilEndOfInput(server.baseUri().getPort(), server::close);
  }

  private void handle(HttpExchange exchange) throws IOException {
    String method = exchange.getRequestMethod();
    String path = exchange.getRequestURI().getPath();
    String query = exchange.getRequestURI().getQuery();
    String rawQuery = exchange.getRequestURI().getRawQuery();
    String body = Loopback.body(exchange);
    String ifMatch = exchange.getRequestHeaders().getFirst("If-Match");
    if (path.equals(REQUESTS) && method.equals("GET")) {
      Loopback.send(exchange, 200, "application/json;charset=utf-8", requestsJson());
      return;
    }
    CrmStore.Reply reply;
    try {
      reply = route(method, path, rawQuery == null ? "" : rawQuery, body, ifMatch);
    } catch (CrmStore.Failure f) {
      reply = f.reply();
    } catch (IllegalArgumentException e) {
      reply = CrmStore.Reply.error(400, "VALIDATION_ERROR", String.valueOf(e.getMessage()));
    } catch (RuntimeException e) {
      reply = CrmStore.Reply.error(500, "INTERNAL_ERROR", String.valueOf(e));
    }
    requests.add(
        new RecordedRequest(
            method, path, query == null ? "" : query, ifMatch, body, reply.status()));
    reply.headers().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
    Loopback.send(exchange, reply.status(), "application/json;charset=utf-8", reply.body());
  }

  private CrmStore.Reply route(
      String method, String path, String rawQuery, String body, @Nullable String ifMatch) {
    Map<String, String> params = params(rawQuery);
    String base = baseUri().toString();
    Matcher m;
    if ((m = OBJECTS.matcher(path)).matches()) {
      if (method.equals("GET")) return store.list(m.group(1), params);
      if (method.equals("POST")) return store.create(m.group(1), body);
    } else if (path.matches("/crm/v3/objects/[a-z_0-9]+/search") && method.equals("POST")) {
      return store.search(path.split("/")[4], body);
    } else if ((m = OBJECT.matcher(path)).matches()) {
      if (method.equals("GET")) return store.read(m.group(1), m.group(2));
      if (method.equals("PATCH")) return store.update(m.group(1), m.group(2), ifMatch, body);
    } else if (path.equals("/crm/v3/owners") || path.equals("/crm/v3/owners/")) {
      if (method.equals("GET")) return store.owners(params);
    } else if ((m = OWNER.matcher(path)).matches()) {
      if (method.equals("GET")) return store.owner(m.group(1));
    } else if (path.matches("/api/v2/tickets(\\.json)?")) {
      if (method.equals("GET")) return store.tickets(params, base);
    } else if ((m = TICKET.matcher(path)).matches()) {
      if (method.equals("GET")) return store.ticket(Long.parseLong(m.group(1)), base);
    } else if ((m = ORG_TICKETS.matcher(path)).matches()) {
      if (method.equals("GET")) {
        params.put("organization_id", m.group(1));
        return store.tickets(params, base);
      }
    } else {
      return CrmStore.Reply.error(
          404,
          "OBJECT_NOT_FOUND",
          "No endpoint "
              + path
              + "; this CRM serves /crm/v3/objects/{type}[/{id}|/search], /crm/v3/owners and"
              + " /api/v2/tickets");
    }
    return CrmStore.Reply.error(405, "METHOD_NOT_ALLOWED", method + " is not supported on " + path);
  }

  private String requestsJson() {
    ObjectNode root = CrmJson.object();
    ArrayNode results = root.putArray("results");
    for (RecordedRequest r : requests) {
      ObjectNode o =
          results
              .addObject()
              .put("method", r.method())
              .put("path", r.path())
              .put("query", r.query())
              .put("body", r.body())
              .put("status", r.status());
      if (r.ifMatch() != null) o.put("ifMatch", r.ifMatch());
    }
    return CrmJson.write(root);
  }

  /** The requests answered so far, from {@link #REQUESTS}'s JSON. */
  static List<RecordedRequest> requests(JsonNode json) {
    List<RecordedRequest> out = new ArrayList<>();
    for (JsonNode r : json.path("results"))
      out.add(
          new RecordedRequest(
              r.path("method").asString(),
              r.path("path").asString(),
              r.path("query").asString(),
              r.has("ifMatch") ? r.path("ifMatch").asString() : null,
              r.path("body").asString(),
              r.path("status").asInt()));
    return out;
  }

  private static Map<String, String> params(String query) {
    Map<String, String> params = new java.util.LinkedHashMap<>();
    if (query.isEmpty()) return params;
    for (String pair : query.split("&")) {
      int eq = pair.indexOf('=');
      String k = eq < 0 ? pair : pair.substring(0, eq);
      String v = eq < 0 ? "" : pair.substring(eq + 1);
      params.put(
          URLDecoder.decode(k, StandardCharsets.UTF_8),
          URLDecoder.decode(v, StandardCharsets.UTF_8));
    }
    return params;
  }
}
