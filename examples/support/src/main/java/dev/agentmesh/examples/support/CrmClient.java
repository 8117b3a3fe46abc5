package dev.agentmesh.examples.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A small client of the {@link CrmServer}'s API for example tools: typed reads, searches that
 * follow paging, creates, and conditional updates that never overwrite a change made meanwhile.
 * Immutable and thread-safe.
 *
 * <pre>{@code
 * CrmClient crm = CrmClient.create(server.baseUri());
 * CrmRecord acme = crm.search("companies", Map.of("name", "Acme Corp")).get(0);
 * CrmRecord read = crm.get("companies", acme.id());
 * crm.update("companies", read.id(), read.version(), Map.of("notes_last_contacted", "2026-11-30"));
 * }</pre>
 */
public final class CrmClient {

  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final URI baseUri;
  private final HttpClient http;

  private CrmClient(URI baseUri, HttpClient http) {
    String s = baseUri.toString();
    this.baseUri = URI.create(s.endsWith("/") ? s.substring(0, s.length() - 1) : s);
    this.http = http;
  }

  /**
   * A client of the CRM at this address.
   *
   * @param baseUri the CRM's address ({@link CrmServer#baseUri()})
   * @return the client
   */
  public static CrmClient create(URI baseUri) {
    return create(baseUri, HttpClient.newBuilder().connectTimeout(TIMEOUT).build());
  }

  /**
   * A client using this HTTP client.
   *
   * @param baseUri the CRM's address
   * @param http the HTTP client
   * @return the client
   */
  public static CrmClient create(URI baseUri, HttpClient http) {
    return new CrmClient(baseUri, http);
  }

  /** {@return the CRM's address} */
  public URI baseUri() {
    return baseUri;
  }

  /**
   * Reads one record with its version (the {@code ETag}).
   *
   * @param type the object type ({@code companies})
   * @param id the record's id
   * @return the record
   * @throws CrmException {@code 404} when there is no such record
   */
  public CrmRecord get(String type, String id) {
    HttpResponse<String> r = send("GET", objects(type) + "/" + encode(id), null, null);
    return CrmJson.record(type, body(r), version(r), "GET " + type + "/" + id);
  }

  /**
   * Every record of a type, following paging.
   *
   * @param type the object type
   * @return the records (version {@code 0}: read one to update it)
   */
  public List<CrmRecord> list(String type) {
    return search(type, Map.of());
  }

  /**
   * The records whose properties equal these values, following paging ({@code POST .../search} with
   * one filter group of {@code EQ} filters). A key {@code associations.companies} matches records
   * associated with that company.
   *
   * @param type the object type
   * @param equals property name to required value
   * @return the matching records in the CRM's order (version {@code 0})
   */
  public List<CrmRecord> search(String type, Map<String, String> equals) {
    List<CrmRecord> all = new ArrayList<>();
    String after = null;
    do {
      ObjectNode request = CrmJson.object().put("limit", 100);
      ArrayNode filters = request.putArray("filterGroups").addObject().putArray("filters");
      new TreeMap<>(equals)
          .forEach(
              (k, v) ->
                  filters.addObject().put("propertyName", k).put("operator", "EQ").put("value", v));
      if (equals.isEmpty()) request.remove("filterGroups");
      if (after != null) request.put("after", after);
      JsonNode page = body(send("POST", objects(type) + "/search", request, null));
      for (JsonNode r : page.path("results")) all.add(CrmJson.record(type, r, 0, "search " + type));
      JsonNode next = page.path("paging").path("next").path("after");
      after = next.isMissingNode() ? null : next.asString();
    } while (after != null);
    return all;
  }

  /**
   * Creates a record.
   *
   * @param type the object type ({@code calls}, {@code notes}, {@code leads}...)
   * @param properties its properties
   * @return the created record, at version 1
   */
  public CrmRecord create(String type, Map<String, String> properties) {
    return create(type, properties, Map.of());
  }

  /**
   * Creates a record associated with others (HubSpot's default association types).
   *
   * @param type the object type
   * @param properties its properties
   * @param associations ids of records to associate, by their type ({@code companies -> [1001]})
   * @return the created record, at version 1
   */
  public CrmRecord create(
      String type, Map<String, String> properties, Map<String, List<String>> associations) {
    ObjectNode request = CrmJson.object();
    ObjectNode props = request.putObject("properties");
    new TreeMap<>(properties).forEach(props::put);
    ArrayNode assoc = request.putArray("associations");
    associations.forEach(
        (toType, ids) -> {
          Integer typeId = CrmJson.ASSOCIATION_TYPE_IDS.get(type + "->" + toType);
          if (typeId == null)
            throw new IllegalArgumentException(
                "No association type from "
                    + type
                    + " to "
                    + toType
                    + "; known pairs: "
                    + new TreeMap<>(CrmJson.ASSOCIATION_TYPE_IDS).keySet());
          for (String id : ids) {
            ObjectNode a = assoc.addObject();
            a.putObject("to").put("id", id);
            a.putArray("types")
                .addObject()
                .put("associationCategory", "HUBSPOT_DEFINED")
                .put("associationTypeId", typeId);
          }
        });
    HttpResponse<String> r = send("POST", objects(type), request, null);
    return CrmJson.record(type, body(r), version(r), "POST " + type);
  }

  /**
   * Changes properties of a record only if it is still at the version the change was based on
   * ({@code PATCH} with {@code If-Match}).
   *
   * @param type the object type
   * @param id the record's id
   * @param expectedVersion the version read ({@link CrmRecord#version()} of {@link #get})
   * @param fields property name to new value ({@code ""} clears it)
   * @return the record after the change, with its new version
   * @throws StaleRecordException when the record changed meanwhile; nothing was written
   */
  public CrmRecord update(
      String type, String id, long expectedVersion, Map<String, String> fields) {
    ObjectNode request = CrmJson.object();
    ObjectNode props = request.putObject("properties");
    new TreeMap<>(fields).forEach(props::put);
    HttpResponse<String> r =
        send("PATCH", objects(type) + "/" + encode(id), request, "\"" + expectedVersion + "\"");
    return CrmJson.record(type, body(r), version(r), "PATCH " + type + "/" + id);
  }

  /** {@return the owners (reps)} */
  public List<CrmOwner> owners() {
    List<CrmOwner> owners = new ArrayList<>();
    for (JsonNode o : body(send("GET", "/crm/v3/owners", null, null)).path("results"))
      owners.add(CrmJson.owner(o, "GET /crm/v3/owners"));
    return owners;
  }

  /**
   * One owner.
   *
   * @param id the owner id ({@code hubspot_owner_id} of a record)
   * @return the owner
   */
  public CrmOwner owner(String id) {
    return CrmJson.owner(
        body(send("GET", "/crm/v3/owners/" + encode(id), null, null)), "GET owner " + id);
  }

  /**
   * Tickets matching these query parameters ({@code status}, {@code priority}, {@code
   * organization_id}, {@code requester_id}, {@code assignee_id}).
   *
   * @param query parameter to value; empty for all tickets
   * @return the tickets
   */
  public List<CrmTicket> tickets(Map<String, String> query) {
    StringBuilder path = new StringBuilder("/api/v2/tickets");
    char sep = '?';
    for (Map.Entry<String, String> e : new TreeMap<>(query).entrySet()) {
      path.append(sep).append(encode(e.getKey())).append('=').append(encode(e.getValue()));
      sep = '&';
    }
    List<CrmTicket> tickets = new ArrayList<>();
    for (JsonNode t : body(send("GET", path.toString(), null, null)).path("tickets"))
      tickets.add(CrmJson.ticket(t, "GET /api/v2/tickets"));
    return tickets;
  }

  /**
   * One ticket.
   *
   * @param id the ticket number
   * @return the ticket
   */
  public CrmTicket ticket(long id) {
    return CrmJson.ticket(
        body(send("GET", "/api/v2/tickets/" + id, null, null)).path("ticket"), "GET ticket " + id);
  }

  private static String objects(String type) {
    return "/crm/v3/objects/" + encode(type);
  }

  private HttpResponse<String> send(
      String method,
      String path,
      @org.jspecify.annotations.Nullable JsonNode body,
      @org.jspecify.annotations.Nullable String ifMatch) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(baseUri + path))
            .timeout(TIMEOUT)
            .header("Accept", "application/json")
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(CrmJson.write(body)));
    if (body != null) b.header("Content-Type", "application/json");
    if (ifMatch != null) b.header("If-Match", ifMatch);
    HttpResponse<String> r;
    try {
      r = http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(
          method + " " + baseUri + path + " failed; is the CRM running at " + baseUri + "?", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted during " + method + " " + path, e);
    }
    if (r.statusCode() == 412) {
      String[] parts = path.split("/");
      long current = r.headers().firstValue("ETag").map(CrmClient::versionOf).orElse(-1L);
      long expected = ifMatch == null ? -1 : versionOf(ifMatch);
      throw new StaleRecordException(parts[4], parts[5], expected, current);
    }
    if (r.statusCode() >= 300) {
      JsonNode error = CrmJson.parse(r.body().isBlank() ? "{}" : r.body(), method + " " + path);
      String message = error.path("message").asString(error.path("description").asString(r.body()));
      throw new CrmException(
          r.statusCode(),
          method + " " + path + " answered " + r.statusCode() + ": " + CrmJson.abbreviate(message));
    }
    return r;
  }

  private static JsonNode body(HttpResponse<String> r) {
    return CrmJson.parse(r.body(), r.request().method() + " " + r.uri().getPath());
  }

  private static long version(HttpResponse<String> r) {
    return r.headers().firstValue("ETag").map(CrmClient::versionOf).orElse(0L);
  }

  private static long versionOf(String etag) {
    String v = etag.replace("W/", "").replace("\"", "").strip();
    return v.matches("\\d{1,18}") ? Long.parseLong(v) : -1;
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
