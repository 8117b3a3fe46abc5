package dev.agentmesh.review;

import java.util.Objects;

/**
 * What one {@code decide} did: the decision was recorded, and where the review stands after it. A
 * refused decision throws {@link ReviewRefusedException} instead (and is recorded too).
 *
 * <pre>{@code
 * ReviewOutcome outcome = reviews.decide(id, hash, credential, Decision.approve());
 * if (outcome.status() == ReviewStatus.PENDING) {
 *   log.info("{} of {} approvals", outcome.approvals(), outcome.approvalsNeeded());
 * }
 * }</pre>
 *
 * @param reviewId the review
 * @param decisionId the recorded decision's id
 * @param kind what was decided
 * @param status where the review stands now
 * @param hash the review's current hash (after an edit, the edited version's)
 * @param approvals distinct approvals on the current hash
 * @param approvalsNeeded approvals the policy needs
 * @param effect what became of the effect (applied inline after an approval, when there is one)
 */
public record ReviewOutcome(
    String reviewId,
    String decisionId,
    ReviewState.Kind kind,
    ReviewStatus status,
    ContentHash hash,
    int approvals,
    int approvalsNeeded,
    EffectStatus effect) {

  /**
   * Checks the components are present.
   *
   * @param reviewId the review
   * @param decisionId the recorded decision's id
   * @param kind what was decided
   * @param status where the review stands now
   * @param hash the current hash
   * @param approvals distinct approvals on the current hash
   * @param approvalsNeeded approvals the policy needs
   * @param effect what became of the effect
   */
  public ReviewOutcome {
    Objects.requireNonNull(reviewId, "reviewId");
    Objects.requireNonNull(decisionId, "decisionId");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(hash, "hash");
    Objects.requireNonNull(effect, "effect");
  }
}
