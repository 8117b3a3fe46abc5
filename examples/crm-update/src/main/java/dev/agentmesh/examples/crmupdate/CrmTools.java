package dev.agentmesh.examples.crmupdate;

import dev.agentmesh.core.Tool;
import dev.agentmesh.core.ToolParam;
import dev.agentmesh.examples.support.CrmClient;
import dev.agentmesh.examples.support.CrmRecord;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The agent's one tool: finds a company in the CRM by name and reads it (over HTTP) with its
 * version, so the proposed change can be applied on exactly that version.
 *
 * <pre>{@code
 * Mesh.builder().tools(new CrmTools(CrmClient.create(crm.baseUri()), clock));
 * }</pre>
 */
public final class CrmTools {

  /**
   * What {@link #findCompany} returns.
   *
   * @param found whether a company matched
   * @param id the company's record id
   * @param name its name
   * @param version the record's version (the CRM's ETag), to put in {@code versionRead}
   * @param lastTouch its {@code notes_last_contacted}
   * @param contact its main contact's name
   * @param today now, to the minute, as an ISO-8601 instant
   */
  public record CompanyRead(
      boolean found,
      String id,
      String name,
      String version,
      String lastTouch,
      String contact,
      String today) {}

  private final CrmClient crm;
  private final Clock clock;

  /**
   * Tools reading this CRM.
   *
   * @param crm the CRM's client
   * @param clock gives {@code today}
   */
  public CrmTools(CrmClient crm, Clock clock) {
    this.crm = crm;
    this.clock = clock;
  }

  /**
   * Finds a company by (part of) its name and reads it with its version.
   *
   * @param name the company's name as the rep said it
   * @return the record, or {@code found: false}
   */
  @Tool(
      value = "Finds a company in the CRM by name; returns its id, version, last touch and contact",
      idempotent = true)
  public CompanyRead findCompany(@ToolParam("The company's name, such as Acme") String name) {
    String today = clock.instant().truncatedTo(ChronoUnit.MINUTES).toString();
    String wanted = name.strip().toLowerCase(Locale.ROOT);
    for (CrmRecord listed : crm.list("companies")) {
      if (wanted.isEmpty()
          || !listed.property("name", "").toLowerCase(Locale.ROOT).contains(wanted)) continue;
      CrmRecord company = crm.get("companies", listed.id());
      List<CrmRecord> contacts =
          crm.search("contacts", Map.of("associatedcompanyid", company.id()));
      String contact =
          contacts.isEmpty()
              ? ""
              : contacts.get(0).property("firstname", "")
                  + " "
                  + contacts.get(0).property("lastname", "");
      return new CompanyRead(
          true,
          company.id(),
          company.property("name", ""),
          String.valueOf(company.version()),
          company.property("notes_last_contacted", ""),
          contact,
          today);
    }
    return new CompanyRead(false, "", name, "", "", "", today);
  }
}
