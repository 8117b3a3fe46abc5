package dev.agentmesh.review;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * One review as its session's log says it is: a fold over the {@code review.*} events, never stored
 * on its own, so every node reads the same review from the same log.
 *
 * <pre>{@code
 * ReviewState review = reviews.review("s-42/r1");
 * if (review.status() == ReviewStatus.PENDING) {
 *   String text = types.render(review.artifact(), SurfaceFormat.TEXT);
 *   reviews.decide(review.id(), review.hash(), credential, Decision.approve());
 * }
 * }</pre>
 *
 * @param id the public id, {@code <session id>/<local id>}
 * @param sessionId the session that holds it
 * @param key the idempotency root of its effect: the id of the original proposal (a fork that
 *     copied it keeps its parent's)
 * @param status where it stands
 * @param artifact what is decided upon now (after an edit, the edited version)
 * @param hash the current content hash: decisions bind to it
 * @param proposed what the agent proposed
 * @param proposedHash the agent's version's hash
 * @param title one line for queues and notifications
 * @param provenance session, agent, spec fingerprint, model, trigger
 * @param callId the gated tool call it stands for, or null for an agent's output
 * @param supersedes the id of the proposal it replaced, or null
 * @param supersededBy the id of the proposal that replaced it, or null
 * @param risk the risk tier's name
 * @param proposedAt when it was proposed
 * @param expiresAt when it expires, or null
 * @param escalatedTo who it was escalated to after its expiry (they may decide it), or null
 * @param approvers the distinct reviewers whose approvals count for the current hash
 * @param follows for the fields of a record change that wait for people, the id of the review of
 *     its fields approved by policy: that one is applied first, and this one against the version
 *     its write returned; else null
 * @param decisions the decisions taken, in order
 * @param refusals the decisions refused, in order
 * @param findings reviewing agents' anchored comments
 * @param effect what became of its effect
 * @param effectKey the effect's idempotency key, once approved
 */
public record ReviewState(
    String id,
    String sessionId,
    String key,
    ReviewStatus status,
    ReviewArtifact artifact,
    ContentHash hash,
    ReviewArtifact proposed,
    ContentHash proposedHash,
    String title,
    ArtifactProvenance provenance,
    @Nullable String callId,
    @Nullable String supersedes,
    @Nullable String supersededBy,
    String risk,
    Instant proposedAt,
    @Nullable Instant expiresAt,
    @Nullable String escalatedTo,
    List<String> approvers,
    @Nullable String follows,
    List<DecisionRecord> decisions,
    List<RefusalRecord> refusals,
    List<Finding> findings,
    EffectStatus effect,
    @Nullable String effectKey) {

  /**
   * Copies the lists.
   *
   * @param id the public id
   * @param sessionId the session that holds it
   * @param key the idempotency root of its effect
   * @param status where it stands
   * @param artifact what is decided upon now
   * @param hash the current content hash
   * @param proposed what the agent proposed
   * @param proposedHash the agent's version's hash
   * @param title one line for queues and notifications
   * @param provenance where it comes from
   * @param callId the gated tool call, or null
   * @param supersedes the replaced proposal's id, or null
   * @param supersededBy the replacing proposal's id, or null
   * @param risk the risk tier's name
   * @param proposedAt when it was proposed
   * @param expiresAt when it expires, or null
   * @param escalatedTo who it was escalated to, or null
   * @param approvers reviewers whose approvals count for the current hash
   * @param follows the review of the policy-approved fields applied first, or null
   * @param decisions the decisions taken
   * @param refusals the decisions refused
   * @param findings reviewing agents' comments
   * @param effect what became of its effect
   * @param effectKey the effect's idempotency key, or null
   */
  public ReviewState {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(status, "status");
    approvers = List.copyOf(approvers);
    decisions = List.copyOf(decisions);
    refusals = List.copyOf(refusals);
    findings = List.copyOf(findings);
  }

  /** {@return whether it stands for a gated tool call (an {@link Action} the session holds)} */
  public boolean isCall() {
    return callId != null;
  }

  /** What a decision was. */
  public enum Kind {
    /** Approve the current hash. */
    APPROVE,
    /** Replace the artifact with an edited version, approved by the editor. */
    EDIT,
    /** Reject with a reason. */
    REJECT,
    /** Send it back to the producing agent with a reason and comments. */
    REQUEST_CHANGES;

    String wire() {
      return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    static Kind fromWire(String wire) {
      return valueOf(wire.toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
    }
  }

  /**
   * An anchored comment on the artifact.
   *
   * @param where the anchor described in one line ({@code line 12 of src/A.java}, {@code whole
   *     artifact})
   * @param text what it says
   */
  public record Comment(String where, String text) {}

  /**
   * A decision taken.
   *
   * @param id the decision's id
   * @param reviewer the authenticated reviewer's id, or {@code policy}
   * @param groups the reviewer's groups when deciding
   * @param kind what was decided
   * @param hash the hash decided upon
   * @param newHash for an edit, the edited artifact's hash
   * @param diff for an edit, its diff against the version before it
   * @param reason the reason given, or null
   * @param comments anchored comments
   * @param byPolicy whether policy decided (a risk tier), not a person
   * @param at when
   */
  public record DecisionRecord(
      String id,
      String reviewer,
      Set<String> groups,
      Kind kind,
      ContentHash hash,
      @Nullable ContentHash newHash,
      @Nullable String diff,
      @Nullable String reason,
      List<Comment> comments,
      boolean byPolicy,
      Instant at) {}

  /**
   * A decision that was refused, kept in the log for the audit trail.
   *
   * @param reviewer the authenticated reviewer, or null when the credential was refused
   * @param code the machine-readable reason (as the refusal carried it)
   * @param message what the caller was told
   * @param at when
   */
  public record RefusalRecord(@Nullable String reviewer, String code, String message, Instant at) {}

  /**
   * A reviewing agent's anchored comments: findings, never a decision.
   *
   * @param agent the reviewing agent
   * @param comments what it found, where
   * @param at when
   */
  public record Finding(String agent, List<Comment> comments, Instant at) {}
}
