package dev.agentmesh.examples.support;

import java.time.Instant;
import java.util.List;

/**
 * A sales rep (or manager), as HubSpot's owners API ({@code GET /crm/v3/owners}) shows one. Records
 * point to their owner with the property {@code hubspot_owner_id}.
 *
 * <pre>{@code
 * for (CrmOwner rep : crm.owners()) out.println(rep.firstName() + " " + rep.teams());
 * }</pre>
 *
 * @param id the owner id records refer to
 * @param email the rep's e-mail address
 * @param firstName first name
 * @param lastName last name
 * @param userId the HubSpot user id
 * @param teams the names of the teams the owner belongs to, the primary one first
 * @param createdAt when created
 * @param updatedAt when last changed
 */
public record CrmOwner(
    String id,
    String email,
    String firstName,
    String lastName,
    long userId,
    List<String> teams,
    Instant createdAt,
    Instant updatedAt) {

  /**
   * Copies the team list.
   *
   * @param id the owner id
   * @param email the e-mail address
   * @param firstName first name
   * @param lastName last name
   * @param userId the user id
   * @param teams team names, primary first
   * @param createdAt when created
   * @param updatedAt when last changed
   */
  public CrmOwner {
    teams = List.copyOf(teams);
  }

  /** {@return first and last name} */
  public String name() {
    return firstName + " " + lastName;
  }
}
