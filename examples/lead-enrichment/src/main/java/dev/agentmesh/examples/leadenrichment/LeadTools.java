package dev.agentmesh.examples.leadenrichment;

import dev.agentmesh.core.Tool;
import dev.agentmesh.core.ToolParam;
import dev.agentmesh.examples.support.CrmClient;
import dev.agentmesh.examples.support.CrmOwner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The enrichment agent's tools, both reads over HTTP: the company behind a sign-up's domain from
 * the enrichment service, and the CRM's sales owners.
 *
 * <pre>{@code
 * Mesh.builder().tools(new LeadTools(enrichment.baseUri(), CrmClient.create(crm.baseUri())))...
 * }</pre>
 */
public final class LeadTools {

  /** A company as the enrichment service knows it ({@code found} false when it does not). */
  public record Company(
      String domain, boolean found, String name, String industry, long employees, String country) {}

  /** A sales owner the lead can be assigned to. */
  public record Owner(String id, String name, String email, List<String> teams) {}

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final URI enrichment;
  private final CrmClient crm;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** Tools over the enrichment service at {@code enrichment} and the CRM behind {@code crm}. */
  public LeadTools(URI enrichment, CrmClient crm) {
    this.enrichment = enrichment;
    this.crm = crm;
  }

  @Tool(
      value = "Looks up the company behind an e-mail domain: name, industry, employees, country",
      idempotent = true)
  public Company enrichCompany(
      @ToolParam("The company's domain, such as tyrell.example") String domain) {
    URI uri =
        enrichment.resolve(
            "v1/companies/" + URLEncoder.encode(domain.trim(), StandardCharsets.UTF_8));
    try {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).GET().build(),
              HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() == 404) {
        return new Company(domain, false, "", "", 0, "");
      }
      JsonNode c = JSON.readTree(r.body());
      return new Company(
          domain,
          true,
          c.path("name").asString(""),
          c.path("industry").asString(""),
          c.path("employees").asLong(0),
          c.path("country").asString(""));
    } catch (IOException e) {
      throw new UncheckedIOException("The enrichment service at " + enrichment + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while asking the enrichment service", e);
    }
  }

  @Tool(value = "Lists the CRM's sales owners a lead can be assigned to", idempotent = true)
  public List<Owner> listOwners() {
    return crm.owners().stream()
        .map(
            (CrmOwner o) ->
                new Owner(o.id(), o.firstName() + " " + o.lastName(), o.email(), o.teams()))
        .toList();
  }
}
