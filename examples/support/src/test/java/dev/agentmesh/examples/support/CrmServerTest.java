package dev.agentmesh.examples.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class CrmServerTest {

  static final Instant NOW = Instant.parse("2026-11-30T09:00:00Z");

  final CrmServer server = CrmServer.start(CrmData.sample(), Clock.fixed(NOW, ZoneOffset.UTC));
  final CrmClient crm = CrmClient.create(server.baseUri());
  final HttpClient http = HttpClient.newHttpClient();

  @AfterEach
  void close() {
    server.close();
  }

  @Test
  void aRecordReadsAsHubSpotShowsItWithItsVersionAsETag() throws Exception {
    HttpResponse<String> r = get("/crm/v3/objects/companies/1001");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("ETag")).contains("\"1\"");
    JsonNode json = CrmJson.parse(r.body(), "test");
    assertThat(json.path("id").asString()).isEqualTo("1001");
    assertThat(json.path("properties").path("name").asString()).isEqualTo("Acme Corp");
    assertThat(json.path("properties").path("tier").asString()).isEqualTo("enterprise");
    assertThat(json.path("properties").path("hs_object_id").asString()).isEqualTo("1001");
    assertThat(json.path("createdAt").asString()).isEqualTo("2025-03-01T09:00:00Z");
    assertThat(json.path("updatedAt").asString()).isEqualTo("2026-11-02T15:04:00Z");
    assertThat(json.path("archived").asBoolean()).isFalse();
  }

  @Test
  void aListPagesWithResultsAndPagingNextAfter() throws Exception {
    JsonNode first = CrmJson.parse(get("/crm/v3/objects/companies?limit=4").body(), "test");
    assertThat(first.path("results")).hasSize(4);
    assertThat(first.path("paging").path("next").path("after").asString()).isEqualTo("4");
    JsonNode last = CrmJson.parse(get("/crm/v3/objects/companies?limit=4&after=8").body(), "test");
    assertThat(last.path("results")).hasSize(2);
    assertThat(last.path("paging").isMissingNode()).isTrue();
    assertThat(crm.list("companies")).hasSize(10);
  }

  @Test
  void aQueryParameterOfAListFiltersByThatProperty() throws Exception {
    JsonNode mayas =
        CrmJson.parse(get("/crm/v3/objects/companies?hubspot_owner_id=101&limit=100").body(), "t");
    assertThat(mayas.path("results"))
        .extracting(n -> n.path("properties").path("name").asString())
        .containsExactly("Acme Corp", "Initech", "Vandelay Imports", "Pied Piper");
  }

  @Test
  void searchTakesHubSpotFilterGroupsSortsAndAssociationFilters() {
    String body =
        "{\"filterGroups\":[{\"filters\":[{\"propertyName\":\"tier\",\"operator\":\"EQ\","
            + "\"value\":\"enterprise\"},{\"propertyName\":\"notes_last_contacted\",\"operator\":"
            + "\"LT\",\"value\":\"2026-11-01\"}]}],\"sorts\":[{\"propertyName\":\"annualrevenue\","
            + "\"direction\":\"DESCENDING\"}]}";
    JsonNode json = CrmJson.parse(post("/crm/v3/objects/companies/search", body).body(), "t");
    assertThat(json.path("total").asInt()).isEqualTo(2);
    assertThat(json.path("results"))
        .extracting(n -> n.path("properties").path("name").asString())
        .containsExactly("Umbrella Health", "Globex");

    assertThat(crm.search("calls", Map.of("associations.companies", "1001")))
        .extracting(CrmRecord::id)
        .containsExactly("3001");
  }

  @Test
  void aConditionalUpdateWithTheVersionReadAppliesAndBumpsTheVersion() {
    CrmRecord read = crm.get("companies", "1001");

    CrmRecord updated =
        crm.update(
            "companies", "1001", read.version(), Map.of("notes_last_contacted", NOW.toString()));

    assertThat(updated.version()).isEqualTo(2);
    assertThat(updated.updatedAt()).isEqualTo(NOW);
    assertThat(server.record("companies", "1001").property("notes_last_contacted"))
        .isEqualTo(NOW.toString());
    assertThat(server.requests().get(1).ifMatch()).isEqualTo("\"1\"");
  }

  @Test
  void anUpdateBasedOnAStaleReadIsRefusedWith412AndWritesNothing() {
    CrmRecord read = crm.get("companies", "1001");
    server.edit("companies", "1001", "tier", "strategic");

    assertThatThrownBy(
            () ->
                crm.update(
                    "companies", "1001", read.version(), Map.of("notes_last_contacted", "x")))
        .isInstanceOfSatisfying(
            StaleRecordException.class,
            e -> {
              assertThat(e.status()).isEqualTo(412);
              assertThat(e.type()).isEqualTo("companies");
              assertThat(e.id()).isEqualTo("1001");
              assertThat(e.expectedVersion()).isEqualTo(1);
              assertThat(e.currentVersion()).isEqualTo(2);
            })
        .hasMessage(
            "companies 1001 changed in the CRM since version 1 was read (it is now at version 2);"
                + " nothing was written: read it again and re-apply the change if it still holds");
    CrmRecord now = server.record("companies", "1001");
    assertThat(now.property("notes_last_contacted")).isEqualTo("2026-11-02T15:04:00Z");
    assertThat(now.property("tier")).isEqualTo("strategic");
    assertThat(server.requests().get(server.requests().size() - 1).status()).isEqualTo(412);
  }

  @Test
  void aPatchWithoutIfMatchIsRefusedWith428() throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(uri("/crm/v3/objects/companies/1001"))
                .method(
                    "PATCH",
                    HttpRequest.BodyPublishers.ofString("{\"properties\":{\"tier\":\"x\"}}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(428);
    assertThat(CrmJson.parse(r.body(), "t").path("message").asString())
        .contains("needs an If-Match header with the version read");
    assertThat(server.record("companies", "1001").version()).isEqualTo(1);
  }

  @Test
  void aCreatedCallIsAssociatedWithItsCompanyAndFoundBySearch() {
    CrmRecord call =
        crm.create(
            "calls",
            Map.of("hs_call_body", "Left a voicemail", "hs_call_status", "NO_ANSWER"),
            Map.of("companies", List.of("1001")));

    assertThat(call.id()).isEqualTo("3009");
    assertThat(call.version()).isEqualTo(1);
    assertThat(call.createdAt()).isEqualTo(NOW);
    assertThat(call.associated("companies")).containsExactly("1001");
    assertThat(crm.search("calls", Map.of("associations.companies", "1001")))
        .extracting(CrmRecord::id)
        .containsExactly("3001", "3009");
    assertThat(server.requests().get(0).body()).contains("\"associationTypeId\":182");
  }

  @Test
  void missingRecordsAndUnknownTypesAnswerWithHubSpotErrors() {
    assertThatThrownBy(() -> crm.get("companies", "9999"))
        .isInstanceOf(CrmException.class)
        .hasMessage(
            "GET /crm/v3/objects/companies/9999 answered 404: No companies record with id 9999");
    assertThatThrownBy(() -> crm.list("widgets"))
        .isInstanceOf(CrmException.class)
        .hasMessageStartingWith(
            "POST /crm/v3/objects/widgets/search answered 400: Unable to infer object type from:"
                + " widgets");
  }

  @Test
  void ownersAreTheRepsAndTheirManager() {
    assertThat(crm.owners())
        .extracting(CrmOwner::name, o -> o.teams().get(0))
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("Maya Chen", "Account Management"),
            org.assertj.core.groups.Tuple.tuple("Luis Ortega", "Account Management"),
            org.assertj.core.groups.Tuple.tuple("Priya Nair", "Account Management"),
            org.assertj.core.groups.Tuple.tuple("Dana Whitfield", "Sales Leadership"));
    assertThat(crm.owner("104").email()).isEqualTo("dana.whitfield@example.com");
  }

  @Test
  void ticketsAreZendeskShapedAndFilterByStatusAndOrganization() throws Exception {
    JsonNode json =
        CrmJson.parse(get("/api/v2/tickets?status=open&organization_id=1001").body(), "t");
    assertThat(json.path("count").asInt()).isEqualTo(2);
    JsonNode first = json.path("tickets").path(0);
    assertThat(first.path("id").asLong()).isEqualTo(7001);
    assertThat(first.path("priority").asString()).isEqualTo("urgent");
    assertThat(first.path("organization_id").asLong()).isEqualTo(1001);
    assertThat(first.path("url").asString())
        .isEqualTo(server.baseUri() + "/api/v2/tickets/7001.json");

    CrmTicket urgent = crm.ticket(7001);
    assertThat(urgent.replies()).isZero();
    assertThat(urgent.isOpen()).isTrue();
    assertThat(urgent.createdAt()).isEqualTo(Instant.parse("2026-11-16T07:40:00Z"));
    assertThat(crm.tickets(Map.of("organization_id", "1004", "priority", "urgent")))
        .extracting(CrmTicket::id)
        .containsExactly(7005L);
    assertThat(
            CrmJson.parse(get("/api/v2/organizations/1002/tickets").body(), "t")
                .path("count")
                .asInt())
        .isEqualTo(1);
  }

  @Test
  void theSampleDataHasRepsAccountsContactsTicketsCallsNotesAndLeads() {
    CrmData data = CrmData.sample();
    assertThat(data.owners()).hasSize(4);
    assertThat(data.objects("companies")).hasSize(10);
    assertThat(data.objects("companies"))
        .allSatisfy(
            c ->
                assertThat(c.properties())
                    .containsKeys(
                        "tier",
                        "annualrevenue",
                        "onboarding_status",
                        "notes_last_contacted",
                        "hubspot_owner_id"));
    assertThat(data.objects("contacts")).hasSize(12);
    assertThat(data.objects("calls")).hasSize(8);
    assertThat(data.objects("notes")).hasSize(4);
    assertThat(data.objects("leads")).hasSize(2);
    assertThat(data.tickets()).hasSize(9);
  }

  @Test
  void dataLoadsFromADirectoryAndNamesTheFileOfABadRecord(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    java.nio.file.Files.writeString(
        dir.resolve("companies.json"),
        "{\"results\":[{\"id\":\"1\",\"properties\":{\"name\":\"Tiny\"},\"createdAt\":\"2026-01-01T00:00:00Z\"}]}");
    assertThat(CrmData.load(dir).objects("companies").get(0).property("name")).isEqualTo("Tiny");

    java.nio.file.Files.writeString(
        dir.resolve("companies.json"),
        "{\"results\":[{\"id\":\"1\",\"createdAt\":\"yesterday\"}]}");
    assertThatThrownBy(() -> CrmData.load(dir))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            dir
                + "/companies.json record 1: expected 'createdAt' to be an ISO-8601 instant like"
                + " 2026-11-30T09:00:00Z but found 'yesterday'");
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(String path, String body) {
    try {
      return http.send(
          HttpRequest.newBuilder(uri(path))
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(body))
              .build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private URI uri(String path) {
    return URI.create(server.baseUri() + path);
  }
}
