package dev.agentmesh.review;

import dev.agentmesh.core.ReviewPolicy.Risk;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * What policy says about a new proposal, from {@link ReviewRules#propose}: its type and hash, its
 * risk tier and queue rank, when it expires, the policy in force (who may decide, how many
 * approvals) and what policy approves on its own.
 *
 * <pre>{@code
 * ProposalPlan plan = rules.propose(spec.review(), "crm-sync", change, clock.instant());
 * plan.expiresAt();     // proposedAt + review.expiry, or null
 * plan.autoApproval();  // None, Whole or Fields
 * }</pre>
 *
 * @param type the artifact type's name
 * @param hash the artifact's content hash
 * @param risk the artifact's tier: the higher of the agent's and the type's, and for a record
 *     change of its riskiest touched field
 * @param proposedAt when it was proposed
 * @param expiresAt when it expires, or null
 * @param policy the policy in force
 * @param autoApproval what policy approves without a human
 */
public record ProposalPlan(
    String type,
    ContentHash hash,
    Risk risk,
    Instant proposedAt,
    @Nullable Instant expiresAt,
    EffectivePolicy policy,
    AutoApproval autoApproval) {

  /**
   * The queue rank of a tier: 0 for critical to 3 for low, so that ascending order shows the
   * riskiest first.
   *
   * @param risk a tier
   * @return its rank
   */
  public static int queueRank(Risk risk) {
    return Risk.CRITICAL.ordinal() - risk.ordinal();
  }

  /** {@return the queue rank of this proposal's tier (0 critical ... 3 low)} */
  public int queueRank() {
    return queueRank(risk);
  }
}
