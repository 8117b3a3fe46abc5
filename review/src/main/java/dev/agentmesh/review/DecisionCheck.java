package dev.agentmesh.review;

import dev.agentmesh.core.ReviewPolicy;
import dev.agentmesh.sessions.Origin;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Everything {@link ReviewRules#evaluate} needs to judge one decision: the spec's policy, the
 * artifact under review and its hash, the producing agent, the session's origin and starter, the
 * authenticated reviewer and their decision, the approvals recorded so far, the time and the
 * expiry. Immutable; made by a builder.
 *
 * <pre>{@code
 * DecisionCheck check = DecisionCheck.builder()
 *     .policy(spec.review()).agent("triage")
 *     .artifact(reply, hash).seen(hashTheReviewerSaw)
 *     .origin(Origin.human("ana"))
 *     .reviewer(authenticator.authenticate(token)).decision(Decision.approve())
 *     .approvals(List.of(new DecisionCheck.Approval("bo", hash)))
 *     .now(clock.instant()).expiresAt(expiresAt)
 *     .build();
 * }</pre>
 */
public final class DecisionCheck {

  /**
   * An approval recorded earlier: who approved which content.
   *
   * @param reviewer the reviewer's id
   * @param hash the content hash they approved
   */
  public record Approval(String reviewer, ContentHash hash) {
    /**
     * Checks the components are there.
     *
     * @param reviewer the reviewer's id
     * @param hash the content hash they approved
     */
    public Approval {
      Objects.requireNonNull(reviewer, "reviewer");
      Objects.requireNonNull(hash, "hash");
    }
  }

  private final ReviewPolicy policy;
  private final String agent;
  private final ReviewArtifact artifact;
  private final ContentHash hash;
  private final @Nullable ContentHash seen;
  private final Origin origin;
  private final @Nullable String starter;
  private final Reviewer reviewer;
  private final Decision decision;
  private final List<Approval> approvals;
  private final Instant now;
  private final @Nullable Instant expiresAt;

  private DecisionCheck(Builder b) {
    this.policy = required(b.policy, "policy");
    this.agent = required(b.agent, "agent");
    this.artifact = required(b.artifact, "artifact");
    this.hash = required(b.hash, "artifact (its hash)");
    this.seen = b.seen;
    this.origin = required(b.origin, "origin");
    this.starter =
        b.starter != null ? b.starter : origin.kind() == Origin.Kind.HUMAN ? origin.id() : null;
    this.reviewer = required(b.reviewer, "reviewer");
    this.decision = required(b.decision, "decision");
    this.approvals = List.copyOf(b.approvals);
    this.now = required(b.now, "now");
    this.expiresAt = b.expiresAt;
  }

  private static <T> T required(@Nullable T value, String name) {
    if (value == null) {
      throw new IllegalStateException(
          "DecisionCheck needs " + name + "; set it on DecisionCheck.builder()");
    }
    return value;
  }

  /** {@return a builder} */
  public static Builder builder() {
    return new Builder();
  }

  /** {@return the producing agent's spec policy} */
  public ReviewPolicy policy() {
    return policy;
  }

  /** {@return the producing agent} */
  public String agent() {
    return agent;
  }

  /** {@return the artifact under review} */
  public ReviewArtifact artifact() {
    return artifact;
  }

  /** {@return the content hash under review (an edit may have changed it since the proposal)} */
  public ContentHash hash() {
    return hash;
  }

  /** {@return the hash the reviewer decided on, or null when the caller did not say} */
  public @Nullable ContentHash seen() {
    return seen;
  }

  /** {@return what started the session} */
  public Origin origin() {
    return origin;
  }

  /** {@return who started the session (for four eyes), or null when no person did} */
  public @Nullable String starter() {
    return starter;
  }

  /** {@return the authenticated reviewer} */
  public Reviewer reviewer() {
    return reviewer;
  }

  /** {@return the decision} */
  public Decision decision() {
    return decision;
  }

  /** {@return the approvals recorded so far, on any hash} */
  public List<Approval> approvals() {
    return approvals;
  }

  /** {@return the time of the decision} */
  public Instant now() {
    return now;
  }

  /** {@return when the review expires, or null} */
  public @Nullable Instant expiresAt() {
    return expiresAt;
  }

  /** Builds a {@link DecisionCheck}. */
  public static final class Builder {
    private @Nullable ReviewPolicy policy;
    private @Nullable String agent;
    private @Nullable ReviewArtifact artifact;
    private @Nullable ContentHash hash;
    private @Nullable ContentHash seen;
    private @Nullable Origin origin;
    private @Nullable String starter;
    private @Nullable Reviewer reviewer;
    private @Nullable Decision decision;
    private final List<Approval> approvals = new ArrayList<>();
    private @Nullable Instant now;
    private @Nullable Instant expiresAt;

    private Builder() {}

    /**
     * Sets the producing agent's spec policy (required).
     *
     * @param policy the spec's review policy
     * @return this builder
     */
    public Builder policy(ReviewPolicy policy) {
      this.policy = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /**
     * Sets the producing agent (required).
     *
     * @param agent the agent's name
     * @return this builder
     */
    public Builder agent(String agent) {
      this.agent = Objects.requireNonNull(agent, "agent");
      return this;
    }

    /**
     * Sets the artifact under review and its content hash (required).
     *
     * @param artifact the artifact
     * @param hash its content hash
     * @return this builder
     */
    public Builder artifact(ReviewArtifact artifact, ContentHash hash) {
      this.artifact = Objects.requireNonNull(artifact, "artifact");
      this.hash = Objects.requireNonNull(hash, "hash");
      return this;
    }

    /**
     * Sets the hash the reviewer saw and decided on; a different current hash is refused as stale.
     *
     * @param seen the hash, or null when the caller did not say
     * @return this builder
     */
    public Builder seen(@Nullable ContentHash seen) {
      this.seen = seen;
      return this;
    }

    /**
     * Sets what started the session (required).
     *
     * @param origin the session's origin
     * @return this builder
     */
    public Builder origin(Origin origin) {
      this.origin = Objects.requireNonNull(origin, "origin");
      return this;
    }

    /**
     * Sets who started the session, for four eyes; by default the origin's id when a person started
     * it ({@link Origin.Kind#HUMAN}), else nobody.
     *
     * @param starter the person's reviewer id, or null
     * @return this builder
     */
    public Builder starter(@Nullable String starter) {
      this.starter = starter;
      return this;
    }

    /**
     * Sets the authenticated reviewer (required).
     *
     * @param reviewer the reviewer
     * @return this builder
     */
    public Builder reviewer(Reviewer reviewer) {
      this.reviewer = Objects.requireNonNull(reviewer, "reviewer");
      return this;
    }

    /**
     * Sets the decision (required).
     *
     * @param decision the decision
     * @return this builder
     */
    public Builder decision(Decision decision) {
      this.decision = Objects.requireNonNull(decision, "decision");
      return this;
    }

    /**
     * Sets the approvals recorded so far (on any hash).
     *
     * @param approvals the approvals
     * @return this builder
     */
    public Builder approvals(List<Approval> approvals) {
      this.approvals.clear();
      this.approvals.addAll(approvals);
      return this;
    }

    /**
     * Sets the time of the decision (required).
     *
     * @param now the time
     * @return this builder
     */
    public Builder now(Instant now) {
      this.now = Objects.requireNonNull(now, "now");
      return this;
    }

    /**
     * Sets when the review expires.
     *
     * @param expiresAt the instant, or null for never
     * @return this builder
     */
    public Builder expiresAt(@Nullable Instant expiresAt) {
      this.expiresAt = expiresAt;
      return this;
    }

    /**
     * Builds the check.
     *
     * @return the check
     * @throws IllegalStateException naming a required value that was not set
     */
    public DecisionCheck build() {
      return new DecisionCheck(this);
    }
  }
}
