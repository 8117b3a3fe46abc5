package dev.agentmesh.review;

import dev.agentmesh.core.ReviewPolicy.OnExpiry;
import dev.agentmesh.core.ReviewPolicy.Risk;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The review policy in force for one agent's artifacts of one type: the spec's {@link
 * dev.agentmesh.core.ReviewPolicy} with the host's {@link HostReviewPolicy} merged in, as {@link
 * ReviewRules#policy} computes it.
 *
 * <pre>{@code
 * EffectivePolicy p = rules.policy(spec.review(), "crm-sync", "record-change");
 * p.approvals(); // 2 when the host's override for crm-sync says so
 * }</pre>
 *
 * @param agent the producing agent
 * @param type the artifact type's name
 * @param reviewers reviewer ids that may decide (spec and host)
 * @param groups groups whose members may decide (spec and host)
 * @param approvals approvals from distinct reviewers needed on the same content
 * @param fourEyes whether the person who started the session is excluded
 * @param expiry how long a proposal stays open, or null
 * @param onExpiry what happens at expiry
 * @param escalateTo the reviewer id or group an expired proposal is escalated to, or null
 * @param risk the tier of the agent's artifacts of this type: the higher of the agent's and the
 *     type's
 * @param autoApproveBelow the tier below which policy approves, or null for never
 * @param fieldRisk tiers of record-change fields
 */
public record EffectivePolicy(
    String agent,
    String type,
    Set<String> reviewers,
    Set<String> groups,
    int approvals,
    boolean fourEyes,
    @Nullable Duration expiry,
    OnExpiry onExpiry,
    @Nullable String escalateTo,
    Risk risk,
    @Nullable Risk autoApproveBelow,
    Map<String, Risk> fieldRisk) {

  /**
   * Copies the collections.
   *
   * @param agent the producing agent
   * @param type the artifact type's name
   * @param reviewers reviewer ids that may decide
   * @param groups groups whose members may decide
   * @param approvals approvals needed
   * @param fourEyes whether the starter is excluded
   * @param expiry how long a proposal stays open, or null
   * @param onExpiry what happens at expiry
   * @param escalateTo the escalation target, or null
   * @param risk the tier of the agent's artifacts of this type
   * @param autoApproveBelow the auto-approval tier, or null
   * @param fieldRisk tiers of record-change fields
   */
  public EffectivePolicy {
    reviewers = Set.copyOf(reviewers);
    groups = Set.copyOf(groups);
    fieldRisk = Map.copyOf(fieldRisk);
  }

  /**
   * The tier of one record-change field: its own when listed, else {@link #risk()}.
   *
   * @param field the field's name
   * @return its tier
   */
  public Risk fieldTier(String field) {
    return fieldRisk.getOrDefault(field, risk);
  }

  /**
   * Whether policy approves something of {@code tier}.
   *
   * @param tier a tier
   * @return true when it is below {@link #autoApproveBelow()}
   */
  public boolean autoApproves(Risk tier) {
    return autoApproveBelow != null && tier.isBelow(autoApproveBelow);
  }
}
