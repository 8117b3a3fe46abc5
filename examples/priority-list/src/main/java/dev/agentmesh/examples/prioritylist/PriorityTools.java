package dev.agentmesh.examples.prioritylist;

import dev.agentmesh.core.Tool;
import dev.agentmesh.core.ToolParam;
import dev.agentmesh.examples.prioritylist.AccountFacts.CallNote;
import dev.agentmesh.examples.prioritylist.AccountFacts.OpenTicket;
import dev.agentmesh.examples.prioritylist.PriorityList.RepList;
import dev.agentmesh.examples.prioritylist.PriorityRules.Rep;
import dev.agentmesh.examples.support.CrmClient;
import dev.agentmesh.examples.support.CrmOwner;
import dev.agentmesh.examples.support.CrmRecord;
import dev.agentmesh.examples.support.CrmTicket;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The agent's two tools, reading the CRM and the ticketing service over HTTP through {@link
 * CrmClient}: {@code listReps} (today's date and the reps, with their manager) and {@code
 * rankAccounts} (a rep's accounts with last-touch dates, open tickets and recent call notes, ranked
 * by {@link PriorityRules}). "Today" is the clock's date in the host's zone, so every run at the
 * same instant on the same data ranks alike.
 *
 * <pre>{@code
 * Mesh.builder().tools(new PriorityTools(CrmClient.create(crm.baseUri()),
 *     PriorityRules.defaults(), clock, ZoneId.systemDefault()))...
 * }</pre>
 */
public final class PriorityTools {

  static final String REPS = "listReps";
  static final String RANK = "rankAccounts";

  /** The CRM team of the reps' manager: an owner in it gets the escalations, not a list. */
  static final String MANAGERS_TEAM = "Sales Leadership";

  /** How many call notes per account the tool reads. */
  static final int NOTES = 3;

  /**
   * What {@code listReps} answers.
   *
   * @param date today in the host's zone, ISO
   * @param reps the reps, by owner id
   */
  public record Roster(String date, List<Rep> reps) {}

  private final CrmClient crm;
  private final PriorityRules rules;
  private final Clock clock;
  private final ZoneId zone;

  /**
   * Tools over this CRM.
   *
   * @param crm the CRM and ticketing client
   * @param rules the ranking rules
   * @param clock what "today" is read from
   * @param zone the host's zone, where today's date is taken
   */
  public PriorityTools(CrmClient crm, PriorityRules rules, Clock clock, ZoneId zone) {
    this.crm = Objects.requireNonNull(crm, "crm");
    this.rules = Objects.requireNonNull(rules, "rules");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.zone = Objects.requireNonNull(zone, "zone");
  }

  /**
   * Today's date and the reps.
   *
   * @return the roster
   */
  @Tool(
      value = "Gives today's date and the sales reps (owner id, name, manager)",
      idempotent = true)
  public Roster listReps() {
    List<CrmOwner> owners = crm.owners();
    String manager =
        owners.stream()
            .filter(o -> o.teams().contains(MANAGERS_TEAM))
            .map(CrmOwner::id)
            .findFirst()
            .orElse("sales-manager");
    List<Rep> reps =
        owners.stream()
            .filter(o -> !o.teams().contains(MANAGERS_TEAM))
            .sorted(Comparator.comparing(CrmOwner::id))
            .map(o -> new Rep(o.id(), o.name(), manager))
            .toList();
    return new Roster(today().toString(), reps);
  }

  /**
   * A rep's accounts ranked by the team's rules, with escalations for the manager.
   *
   * @param rep the rep's owner id
   * @return the rep's list
   */
  @Tool(
      value =
          "Ranks the accounts a rep owns by the team's rules (last touch, tier, revenue,"
              + " onboarding, open tickets); each item lists every rule's contribution",
      idempotent = true)
  public RepList rankAccounts(@ToolParam("The rep's owner id, as listReps gave it") String rep) {
    Roster roster = listReps();
    Rep who =
        roster.reps().stream()
            .filter(r -> r.id().equals(rep.strip()))
            .findFirst()
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "No rep with owner id '"
                            + rep.strip()
                            + "'; the reps are "
                            + roster.reps().stream().map(Rep::id).toList()
                            + " (call listReps)"));
    LocalDate today = today();
    List<AccountFacts> accounts =
        crm.search("companies", Map.of("hubspot_owner_id", who.id())).stream()
            .map(company -> facts(company, today))
            .toList();
    return rules.rank(who, accounts, today);
  }

  private AccountFacts facts(CrmRecord company, LocalDate today) {
    List<OpenTicket> tickets =
        crm.tickets(Map.of("organization_id", company.id())).stream()
            .filter(CrmTicket::isOpen)
            .sorted(Comparator.comparingLong(CrmTicket::id))
            .map(this::ticket)
            .toList();
    List<CallNote> notes =
        crm.search("calls", Map.of("associations.companies", company.id())).stream()
            .map(this::note)
            .sorted(Comparator.comparing(CallNote::date).reversed())
            .limit(NOTES)
            .toList();
    return new AccountFacts(
        company.id(),
        company.property("name", company.id()),
        company.property("hubspot_owner_id", ""),
        company.property("tier", "unknown"),
        revenue(company.property("annualrevenue", "0")),
        company.property("onboarding_status", "unknown"),
        date(company.property("notes_last_contacted", today.toString())),
        tickets,
        notes);
  }

  private OpenTicket ticket(CrmTicket t) {
    return new OpenTicket(
        String.valueOf(t.id()),
        t.subject(),
        t.priority(),
        LocalDate.ofInstant(t.createdAt(), zone),
        t.replies() > 0);
  }

  private CallNote note(CrmRecord call) {
    return new CallNote(
        date(call.property("hs_timestamp", "1970-01-01")),
        call.property("hubspot_owner_id", ""),
        call.property("hs_call_body", call.property("hs_call_title", "")));
  }

  private LocalDate today() {
    return LocalDate.ofInstant(clock.instant(), zone);
  }

  /** A HubSpot date: an ISO date, an ISO instant, or epoch milliseconds. */
  private LocalDate date(String value) {
    String v = value.strip();
    try {
      if (v.matches("\\d{9,}"))
        return LocalDate.ofInstant(Instant.ofEpochMilli(Long.parseLong(v)), zone);
      if (v.length() > 10) return LocalDate.ofInstant(Instant.parse(v), zone);
      return LocalDate.parse(v);
    } catch (DateTimeParseException e) {
      throw new IllegalStateException(
          "The CRM sent the date '" + v + "', expected 2026-11-30, an ISO instant or epoch millis",
          e);
    }
  }

  private static long revenue(String value) {
    try {
      return Math.round(Double.parseDouble(value.strip()));
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
