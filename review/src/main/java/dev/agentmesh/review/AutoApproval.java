package dev.agentmesh.review;

import dev.agentmesh.core.ReviewPolicy.Risk;
import java.util.List;

/**
 * What policy approves of a new proposal without a human: nothing, the whole artifact (its tier is
 * below {@code autoApproveBelow}), or, for a {@link RecordChange}, the fields below that tier; the
 * rest waits for a human as its own artifact with its own hash. Recorded as approved by policy.
 *
 * <pre>{@code
 * if (plan.autoApproval() instanceof AutoApproval.Fields split) {
 *   apply(split.approved());   // e.g. the title, approved by policy
 *   propose(split.waiting());  // e.g. the e-mail address, for a human
 * }
 * }</pre>
 */
public sealed interface AutoApproval
    permits AutoApproval.None, AutoApproval.Whole, AutoApproval.Fields {

  /** Nothing is approved by policy: a human decides the whole artifact. */
  record None() implements AutoApproval {}

  /**
   * The whole artifact is approved by policy.
   *
   * @param risk the artifact's tier
   * @param below the tier it is below
   */
  record Whole(Risk risk, Risk below) implements AutoApproval {}

  /**
   * A record change split by field: the fields below the tier are approved by policy, the others
   * wait. Both parts keep the system, record and version read of the original.
   *
   * @param approved the record change of the fields approved by policy
   * @param approvedHash its content hash
   * @param waiting the record change of the fields that wait for a human
   * @param waitingHash its content hash
   * @param waitingRisk the tier of the waiting part (its riskiest field)
   */
  record Fields(
      RecordChange approved,
      ContentHash approvedHash,
      RecordChange waiting,
      ContentHash waitingHash,
      Risk waitingRisk)
      implements AutoApproval {

    /** {@return the names of the fields approved by policy} */
    public List<String> approvedFields() {
      return approved.changes().stream().map(RecordChange.FieldChange::field).toList();
    }
  }
}
