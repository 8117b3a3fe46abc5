package dev.agentmesh.examples.prioritylist;

import java.time.LocalDate;
import java.util.List;
import java.util.Objects;

/**
 * What the ranking rules read about one account: ownership, tier, revenue and onboarding from the
 * CRM, the last-touch date, the open tickets from the ticketing service and the recent call notes.
 *
 * <pre>{@code
 * AccountFacts globex = new AccountFacts("1002", "Globex", "102", "enterprise", 7_800_000,
 *     "in_progress", LocalDate.parse("2026-10-20"), List.of(), List.of());
 * }</pre>
 *
 * @param id the CRM's account id
 * @param name the account's name
 * @param owner the id of the rep who owns it
 * @param tier the account tier ({@code enterprise}, {@code mid-market}, {@code smb})
 * @param annualRevenue annual recurring revenue, whole dollars
 * @param onboarding the onboarding status ({@code not_started}, {@code in_progress}, {@code
 *     stalled}, {@code complete})
 * @param lastTouch the day someone last called, met or wrote to the account
 * @param openTickets the account's open tickets
 * @param recentNotes call notes, newest first
 */
public record AccountFacts(
    String id,
    String name,
    String owner,
    String tier,
    long annualRevenue,
    String onboarding,
    LocalDate lastTouch,
    List<OpenTicket> openTickets,
    List<CallNote> recentNotes) {

  /**
   * Checks the components and copies the lists.
   *
   * @param id the CRM's account id
   * @param name the account's name
   * @param owner the id of the rep who owns it
   * @param tier the account tier
   * @param annualRevenue annual recurring revenue, whole dollars
   * @param onboarding the onboarding status
   * @param lastTouch the day someone last called, met or wrote to the account
   * @param openTickets the account's open tickets
   * @param recentNotes call notes, newest first
   */
  public AccountFacts {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(tier, "tier");
    Objects.requireNonNull(onboarding, "onboarding");
    Objects.requireNonNull(lastTouch, "lastTouch");
    openTickets = List.copyOf(openTickets);
    recentNotes = List.copyOf(recentNotes);
  }

  /**
   * An open ticket of the account, as the ticketing service has it.
   *
   * @param id the ticket's id
   * @param subject its subject
   * @param priority {@code urgent}, {@code high}, {@code normal} or {@code low}
   * @param opened the day it was opened
   * @param answered whether an agent has answered it yet
   */
  public record OpenTicket(
      String id, String subject, String priority, LocalDate opened, boolean answered) {}

  /**
   * A note a rep wrote after a call.
   *
   * @param date the day of the call
   * @param author who wrote it
   * @param text what it says
   */
  public record CallNote(LocalDate date, String author, String text) {}
}
