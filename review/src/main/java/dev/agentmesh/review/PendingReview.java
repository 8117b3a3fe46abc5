package dev.agentmesh.review;

import dev.agentmesh.core.ReviewPolicy;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.Objects;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * One artifact waiting for a decision, as the review queue lists it: what it is, who produced it,
 * how risky it is, since when it waits and who may decide it. The engine builds one when an agent
 * proposes an artifact and hands it to {@link ReviewIndex#opened} so the proposal's append also
 * writes its queue rows.
 *
 * <pre>{@code
 * PendingReview pending =
 *     new PendingReview(
 *         "r-7", "s-3", "release-notes", "document", types.contentHash(document),
 *         ReviewPolicy.Risk.MEDIUM, proposedAt, proposedAt.plus(Duration.ofDays(1)),
 *         Set.of("ana"), Set.of("release-approvers"), "Release notes for 4.2");
 * }</pre>
 *
 * @param reviewId the review's id, unique in the store
 * @param sessionId the session the artifact was proposed in
 * @param agent the producing agent's name
 * @param artifactType the artifact's type name, such as {@code code-diff}
 * @param contentHash the hash of the artifact a decision binds to
 * @param risk the artifact's risk tier; the queue lists higher tiers first
 * @param proposedAt when the artifact was proposed (microsecond precision; years 0 to 9999)
 * @param expiresAt when the proposal expires, or null for never
 * @param reviewers the ids of the reviewers who may decide, sorted
 * @param groups the groups whose members may decide, sorted
 * @param title one line saying what the artifact is, at most {@value #MAX_TITLE} characters
 */
public record PendingReview(
    String reviewId,
    String sessionId,
    String agent,
    String artifactType,
    ContentHash contentHash,
    ReviewPolicy.Risk risk,
    Instant proposedAt,
    @Nullable Instant expiresAt,
    Set<String> reviewers,
    Set<String> groups,
    String title) {

  /** The longest title, in UTF-16 characters. */
  public static final int MAX_TITLE = 500;

  /** The longest id or name (review, session, agent, type, reviewer, group), in characters. */
  public static final int MAX_NAME = 200;

  private static final Instant FIRST = Instant.parse("0000-01-01T00:00:00Z");
  private static final Instant LAST = Instant.parse("9999-12-31T23:59:59.999999Z");

  /**
   * Checks every part, copies the sets sorted and truncates the instants to microseconds.
   *
   * @param reviewId the review's id, unique in the store
   * @param sessionId the session the artifact was proposed in
   * @param agent the producing agent's name
   * @param artifactType the artifact's type name
   * @param contentHash the hash of the artifact a decision binds to
   * @param risk the artifact's risk tier
   * @param proposedAt when the artifact was proposed
   * @param expiresAt when the proposal expires, or null
   * @param reviewers the ids of the reviewers who may decide
   * @param groups the groups whose members may decide
   * @param title one line saying what the artifact is
   * @throws IllegalArgumentException naming the part that is blank, too long, holds a control
   *     character, or an instant outside years 0 to 9999
   */
  public PendingReview {
    name("reviewId", reviewId);
    name("sessionId", sessionId);
    name("agent", agent);
    name("artifactType", artifactType);
    Objects.requireNonNull(contentHash, "contentHash");
    Objects.requireNonNull(risk, "risk");
    proposedAt = instant("proposedAt", proposedAt);
    expiresAt = expiresAt == null ? null : instant("expiresAt", expiresAt);
    reviewers = names("reviewers", reviewers);
    groups = names("groups", groups);
    Objects.requireNonNull(title, "title");
    if (title.length() > MAX_TITLE) {
      throw new IllegalArgumentException(
          "title of review '"
              + reviewId
              + "' must be at most "
              + MAX_TITLE
              + " characters but had "
              + title.length()
              + "; shorten it (the surface carries the detail)");
    }
  }

  /**
   * Whether {@code reviewer}, a member of {@code reviewerGroups}, is listed as one who may decide:
   * by id, or through one of the groups. The engine's policy still decides (four eyes, the
   * producing agent, the session's starter); this only says whether the review is in their queue.
   *
   * @param reviewer the reviewer's id
   * @param reviewerGroups the groups the reviewer belongs to
   * @return true if the review is in the reviewer's queue
   */
  public boolean listedFor(String reviewer, Set<String> reviewerGroups) {
    if (reviewers.contains(reviewer)) {
      return true;
    }
    for (String group : reviewerGroups) {
      if (groups.contains(group)) {
        return true;
      }
    }
    return false;
  }

  private static void name(String what, String value) {
    Objects.requireNonNull(value, what);
    if (value.isBlank()
        || value.length() > MAX_NAME
        || value.chars().anyMatch(Character::isISOControl)) {
      throw new IllegalArgumentException(
          what
              + " of a pending review must be 1 to "
              + MAX_NAME
              + " characters, not blank, without control characters, but was '"
              + Texts.truncate(value.replaceAll("\\p{Cntrl}", "?"), 80)
              + "'");
    }
  }

  private static Set<String> names(String what, Set<String> values) {
    SortedSet<String> sorted = new TreeSet<>();
    for (String value : Objects.requireNonNull(values, what)) {
      name("an entry of " + what, value);
      sorted.add(value);
    }
    return Collections.unmodifiableSortedSet(sorted);
  }

  private static Instant instant(String what, Instant at) {
    Objects.requireNonNull(at, what);
    if (at.isBefore(FIRST) || at.isAfter(LAST)) {
      throw new IllegalArgumentException(
          what + " of a pending review must be within years 0 to 9999 but was " + at);
    }
    return at.truncatedTo(ChronoUnit.MICROS);
  }
}
