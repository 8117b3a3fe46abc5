package dev.agentmesh.review;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Which corrections of one agent to list ({@link Corrections#query}): newest first, optionally only
 * those of one spec fingerprint, one artifact type, or only active ones; paged by a cursor.
 *
 * <pre>{@code
 * CorrectionQuery q = CorrectionQuery.builder("reply").artifactType("outbound-message").limit(20).build();
 * CorrectionPage page = corrections.query(q);
 * if (page.next() != null) {
 *   CorrectionPage more = corrections.query(q.newBuilder().after(page.next()).build());
 * }
 * }</pre>
 */
public final class CorrectionQuery {

  /** The most corrections one page may hold. */
  public static final int MAX_LIMIT = 500;

  private final String agent;
  private final @Nullable String specFingerprint;
  private final @Nullable String artifactType;
  private final boolean activeOnly;
  private final @Nullable String after;
  private final int limit;

  private CorrectionQuery(Builder b) {
    this.agent = b.agent;
    this.specFingerprint = b.specFingerprint;
    this.artifactType = b.artifactType;
    this.activeOnly = b.activeOnly;
    this.after = b.after;
    this.limit = b.limit;
  }

  /**
   * A query of every correction of {@code agent}, active and retired, first page of 50.
   *
   * @param agent the agent's name
   * @return a new builder
   */
  public static Builder builder(String agent) {
    return new Builder(agent);
  }

  /**
   * A builder holding this query's settings.
   *
   * @return a new builder
   */
  public Builder newBuilder() {
    Builder b = new Builder(agent);
    b.specFingerprint = specFingerprint;
    b.artifactType = artifactType;
    b.activeOnly = activeOnly;
    b.after = after;
    b.limit = limit;
    return b;
  }

  /** {@return the agent whose corrections are listed} */
  public String agent() {
    return agent;
  }

  /** {@return only corrections of artifacts of this spec fingerprint, or null for any} */
  public @Nullable String specFingerprint() {
    return specFingerprint;
  }

  /** {@return only corrections of this artifact type, or null for any} */
  public @Nullable String artifactType() {
    return artifactType;
  }

  /** {@return whether retired corrections are left out} */
  public boolean activeOnly() {
    return activeOnly;
  }

  /** {@return the cursor the page starts after, or null for the first page} */
  public @Nullable String after() {
    return after;
  }

  /** {@return the most corrections to return} */
  public int limit() {
    return limit;
  }

  boolean matches(Correction c) {
    return (specFingerprint == null || specFingerprint.equals(c.specFingerprint()))
        && (artifactType == null || artifactType.equals(c.artifactType()))
        && (!activeOnly || c.active());
  }

  /** Sets a {@link CorrectionQuery}'s filters; reusable, not thread-safe. */
  public static final class Builder {
    private final String agent;
    private @Nullable String specFingerprint;
    private @Nullable String artifactType;
    private boolean activeOnly;
    private @Nullable String after;
    private int limit = 50;

    private Builder(String agent) {
      this.agent = nonBlank("agent", agent);
    }

    /**
     * Only corrections of artifacts the spec with this fingerprint produced.
     *
     * @param fingerprint an {@code AgentSpec.fingerprint()}
     * @return this builder
     */
    public Builder specFingerprint(String fingerprint) {
      this.specFingerprint = nonBlank("specFingerprint", fingerprint);
      return this;
    }

    /**
     * Only corrections of artifacts of this type.
     *
     * @param type the artifact type's name, such as {@code code-diff}
     * @return this builder
     */
    public Builder artifactType(String type) {
      this.artifactType = nonBlank("artifactType", type);
      return this;
    }

    /**
     * Leaves retired corrections out.
     *
     * @return this builder
     */
    public Builder activeOnly() {
      this.activeOnly = true;
      return this;
    }

    /**
     * The page after the one whose {@link CorrectionPage#next()} this is.
     *
     * @param cursor the previous page's {@code next()}
     * @return this builder
     * @throws IllegalArgumentException if the cursor is not one of this agent's
     */
    public Builder after(String cursor) {
      Objects.requireNonNull(cursor, "cursor");
      if (!cursor.startsWith(agent + "/") || cursor.indexOf('\0') >= 0) {
        throw new IllegalArgumentException(
            "cursor must be a page's next() of agent '"
                + agent
                + "' but was '"
                + Texts.truncate(cursor, 80)
                + "'");
      }
      this.after = cursor;
      return this;
    }

    /**
     * The most corrections to return, 1 to {@value CorrectionQuery#MAX_LIMIT}.
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

    /** {@return the query} */
    public CorrectionQuery build() {
      return new CorrectionQuery(this);
    }

    private static String nonBlank(String what, String value) {
      Objects.requireNonNull(value, what);
      if (value.isBlank()) {
        throw new IllegalArgumentException(what + " must not be blank");
      }
      return value;
    }
  }
}
