package dev.agentmesh.review;

import java.util.Collections;
import java.util.Objects;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * An authenticated person (or principal) who may decide reviews: an id and the groups the host's
 * directory puts them in. Only an {@link Authenticator} makes the reviewer of a decision, from the
 * caller's credential, so an id a caller makes up is never trusted.
 *
 * <pre>{@code
 * Reviewer ana = Reviewer.of("ana", "support-leads", "release-approvers");
 * ana.memberOf("support-leads"); // true
 * }</pre>
 *
 * @param id the reviewer's stable id, as the host knows them
 * @param groups the groups they belong to, sorted
 */
public record Reviewer(String id, Set<String> groups) {

  /** The most characters an id or a group name may have. */
  public static final int MAX_NAME_LENGTH = 200;

  /**
   * Checks the id and the group names and copies the groups, sorted.
   *
   * @param id the reviewer's stable id, as the host knows them
   * @param groups the groups they belong to
   * @throws IllegalArgumentException if the id or a group name is blank, longer than {@value
   *     #MAX_NAME_LENGTH} characters or holds a control character
   */
  public Reviewer {
    check("a reviewer id", id);
    SortedSet<String> sorted = new TreeSet<>();
    for (String g : Objects.requireNonNull(groups, "groups")) {
      check("a group name", g);
      sorted.add(g);
    }
    groups = Collections.unmodifiableSortedSet(sorted);
  }

  /**
   * A reviewer in {@code groups}.
   *
   * @param id the reviewer's stable id
   * @param groups the groups they belong to
   * @return the reviewer
   */
  public static Reviewer of(String id, String... groups) {
    return new Reviewer(id, Set.of(groups));
  }

  /**
   * Whether the reviewer is in {@code group}.
   *
   * @param group a group name
   * @return true when the reviewer belongs to it
   */
  public boolean memberOf(String group) {
    return groups.contains(group);
  }

  private static void check(String what, String name) {
    Objects.requireNonNull(name, what);
    if (name.isBlank()
        || name.length() > MAX_NAME_LENGTH
        || name.chars().anyMatch(Character::isISOControl)) {
      throw new IllegalArgumentException(
          what
              + " must be 1 to "
              + MAX_NAME_LENGTH
              + " characters without control characters, not blank, but was '"
              + Texts.truncate(name, 60)
              + "'");
    }
  }
}
