package dev.agentmesh.review;

import dev.agentmesh.core.ReviewPolicy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Collection;
import java.util.Collections;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * Which pending reviews to list ({@link ReviewQueue#pending}) or decide in bulk ({@link
 * ReviewQueue#decideAll}). Filters combine with AND; results are ordered by risk (highest first),
 * then by age (oldest first), then by review id, and paged by an opaque cursor. Immutable.
 *
 * <pre>{@code
 * ReviewQuery mine =
 *     ReviewQuery.builder()
 *         .reviewer(Reviewer.of("ana", "support-leads"))
 *         .minimumRisk(ReviewPolicy.Risk.HIGH)
 *         .olderThan(Duration.ofHours(4))
 *         .limit(50)
 *         .build();
 * ReviewPage first = queue.pending(mine);
 * ReviewPage second = queue.pending(mine.newBuilder().cursor(first.nextCursor()).build());
 * }</pre>
 */
public final class ReviewQuery {

  /** The page size when none is set. */
  public static final int DEFAULT_LIMIT = 50;

  /** The largest page. */
  public static final int MAX_LIMIT = 500;

  private static final String CURSOR_VERSION = "1:";

  private final @Nullable String reviewer;
  private final Set<String> reviewerGroups;
  private final @Nullable String agent;
  private final @Nullable String artifactType;
  private final @Nullable Duration olderThan;
  private final @Nullable Instant proposedBefore;
  private final ReviewPolicy.@Nullable Risk minimumRisk;
  private final int limit;
  private final @Nullable String position;

  private ReviewQuery(Builder b) {
    this.reviewer = b.reviewer;
    this.reviewerGroups = b.reviewerGroups;
    this.agent = b.agent;
    this.artifactType = b.artifactType;
    this.olderThan = b.olderThan;
    this.proposedBefore = b.proposedBefore;
    this.minimumRisk = b.minimumRisk;
    this.limit = b.limit;
    this.position = b.position;
  }

  /**
   * A query of every pending review, first page of {@value #DEFAULT_LIMIT}.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A builder holding this query's settings.
   *
   * @return a new builder
   */
  public Builder newBuilder() {
    Builder b = new Builder();
    b.reviewer = reviewer;
    b.reviewerGroups = reviewerGroups;
    b.agent = agent;
    b.artifactType = artifactType;
    b.olderThan = olderThan;
    b.proposedBefore = proposedBefore;
    b.minimumRisk = minimumRisk;
    b.limit = limit;
    b.position = position;
    return b;
  }

  /**
   * Only reviews listing this reviewer, by id or through {@link #reviewerGroups()}; null for any.
   *
   * @return the reviewer's id, or null
   */
  public @Nullable String reviewer() {
    return reviewer;
  }

  /**
   * The groups of {@link #reviewer()}, sorted; empty without a reviewer.
   *
   * @return the reviewer's groups
   */
  public Set<String> reviewerGroups() {
    return reviewerGroups;
  }

  /**
   * Only reviews of artifacts this agent produced; null for any.
   *
   * @return the agent's name, or null
   */
  public @Nullable String agent() {
    return agent;
  }

  /**
   * Only reviews of artifacts of this type; null for any.
   *
   * @return the type name, or null
   */
  public @Nullable String artifactType() {
    return artifactType;
  }

  /**
   * Only reviews proposed longer ago than this, judged by the queue's clock when the page is read;
   * null for any age.
   *
   * @return the minimum age, or null
   */
  public @Nullable Duration olderThan() {
    return olderThan;
  }

  /**
   * Only reviews proposed strictly before this instant; null for any.
   *
   * @return the bound, or null
   */
  public @Nullable Instant proposedBefore() {
    return proposedBefore;
  }

  /**
   * Only reviews of at least this risk tier; null for any.
   *
   * @return the lowest tier listed, or null
   */
  public ReviewPolicy.@Nullable Risk minimumRisk() {
    return minimumRisk;
  }

  /**
   * The most reviews one page holds.
   *
   * @return the page size
   */
  public int limit() {
    return limit;
  }

  /**
   * Where the page starts: the previous page's {@link ReviewPage#nextCursor()}, or null for the
   * first page.
   *
   * @return the cursor, or null
   */
  public @Nullable String cursor() {
    return position == null ? null : encode(position);
  }

  /** The queue position the page starts after, or null. */
  @Nullable String position() {
    return position;
  }

  static String encode(String position) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString((CURSOR_VERSION + position).getBytes(StandardCharsets.UTF_8));
  }

  private static String decode(String cursor) {
    String raw;
    try {
      raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      raw = "";
    }
    if (!raw.startsWith(CURSOR_VERSION)
        || !QueueRows.isPosition(raw.substring(CURSOR_VERSION.length()))) {
      throw new IllegalArgumentException(
          "Cursor '"
              + Texts.truncate(cursor, 80)
              + "' is not one a ReviewPage returned; pass ReviewPage.nextCursor() unchanged");
    }
    return raw.substring(CURSOR_VERSION.length());
  }

  @Override
  public String toString() {
    return "ReviewQuery{reviewer="
        + reviewer
        + ", groups="
        + reviewerGroups
        + ", agent="
        + agent
        + ", artifactType="
        + artifactType
        + ", olderThan="
        + olderThan
        + ", proposedBefore="
        + proposedBefore
        + ", minimumRisk="
        + minimumRisk
        + ", limit="
        + limit
        + ", cursor="
        + (position == null ? null : "set")
        + "}";
  }

  /** Sets a {@link ReviewQuery}'s filters; reusable, not thread-safe. */
  public static final class Builder {
    private @Nullable String reviewer;
    private Set<String> reviewerGroups = Set.of();
    private @Nullable String agent;
    private @Nullable String artifactType;
    private @Nullable Duration olderThan;
    private @Nullable Instant proposedBefore;
    private ReviewPolicy.@Nullable Risk minimumRisk;
    private int limit = DEFAULT_LIMIT;
    private @Nullable String position;

    private Builder() {}

    /**
     * Only reviews in this reviewer's queue: those listing the reviewer's id or one of {@code
     * groups}. Pass the groups the host's authenticator gave the reviewer; the queue lists, the
     * engine's policy decides.
     *
     * @param id the reviewer's id
     * @param groups the groups the reviewer belongs to; may be empty
     * @return this builder
     */
    public Builder reviewer(String id, Collection<String> groups) {
      this.reviewer = name("reviewer", id);
      Set<String> sorted = new TreeSet<>();
      for (String group : Objects.requireNonNull(groups, "groups")) {
        sorted.add(name("a reviewer's group", group));
      }
      this.reviewerGroups = Collections.unmodifiableSet(sorted);
      return this;
    }

    /**
     * Only reviews in {@code reviewer}'s queue: those listing the reviewer's id or one of their
     * groups.
     *
     * @param reviewer the reviewer, as the host's {@link Authenticator} gave it
     * @return this builder
     */
    public Builder reviewer(Reviewer reviewer) {
      Objects.requireNonNull(reviewer, "reviewer");
      return reviewer(reviewer.id(), reviewer.groups());
    }

    /**
     * Only reviews of artifacts {@code agent} produced.
     *
     * @param agent the agent's name
     * @return this builder
     */
    public Builder agent(String agent) {
      this.agent = name("agent", agent);
      return this;
    }

    /**
     * Only reviews of artifacts of this type.
     *
     * @param artifactType the type name, such as {@code outbound-message}
     * @return this builder
     */
    public Builder artifactType(String artifactType) {
      this.artifactType = name("artifactType", artifactType);
      return this;
    }

    /**
     * Only reviews proposed longer ago than {@code age}, by the queue's clock.
     *
     * @param age the minimum age; positive
     * @return this builder
     */
    public Builder olderThan(Duration age) {
      Objects.requireNonNull(age, "age");
      if (age.isNegative() || age.isZero()) {
        throw new IllegalArgumentException("olderThan must be positive but was " + age);
      }
      this.olderThan = age;
      return this;
    }

    /**
     * Only reviews proposed strictly before {@code instant}.
     *
     * @param instant the bound
     * @return this builder
     */
    public Builder proposedBefore(Instant instant) {
      this.proposedBefore = Objects.requireNonNull(instant, "instant");
      return this;
    }

    /**
     * Only reviews of at least this risk tier ({@code HIGH} lists high and critical).
     *
     * @param risk the lowest tier to list
     * @return this builder
     */
    public Builder minimumRisk(ReviewPolicy.Risk risk) {
      this.minimumRisk = Objects.requireNonNull(risk, "risk");
      return this;
    }

    /**
     * The most reviews one page holds, 1 to {@value ReviewQuery#MAX_LIMIT}.
     *
     * @param limit the page size
     * @return this builder
     */
    public Builder limit(int limit) {
      if (limit < 1 || limit > MAX_LIMIT) {
        throw new IllegalArgumentException(
            "limit must be between 1 and " + MAX_LIMIT + " but was " + limit);
      }
      this.limit = limit;
      return this;
    }

    /**
     * The page after the one that returned {@code cursor}; null for the first page.
     *
     * @param cursor a {@link ReviewPage#nextCursor()}, unchanged, or null
     * @return this builder
     * @throws IllegalArgumentException if the cursor is not one a page returned
     */
    public Builder cursor(@Nullable String cursor) {
      this.position = cursor == null ? null : decode(cursor);
      return this;
    }

    /**
     * The query.
     *
     * @return a new query with the filters set
     */
    public ReviewQuery build() {
      return new ReviewQuery(this);
    }

    private static String name(String what, String value) {
      Objects.requireNonNull(value, what);
      if (value.isBlank() || value.length() > PendingReview.MAX_NAME) {
        throw new IllegalArgumentException(
            what
                + " must be 1 to "
                + PendingReview.MAX_NAME
                + " characters, not blank, but was '"
                + Texts.truncate(value, 80)
                + "'");
      }
      return value;
    }
  }
}
