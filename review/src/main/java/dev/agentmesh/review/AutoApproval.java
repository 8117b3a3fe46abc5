package dev.agentmesh.review;

import dev.agentmesh.core.ReviewPolicy.Risk;
import java.util.List;

/**
 * What policy approves of a new proposal without a human: nothing, the whole artifact (its tier is
 * below {@code autoApproveBelow}), or, for a {@link RecordChange}, the fields below that tier. A
 * split is two record changes with their own hashes: the fields policy approved, applied at once,
 * and the rest, which waits for people and is applied after them, conditionally on the version the
 * first write left (see {@link Fields}).
 *
 * <pre>{@code
 * if (plan.autoApproval() instanceof AutoApproval.Fields split) {
 *   split.approved();  // e.g. the title: approved by policy, applied now
 *   split.waiting();   // e.g. the e-mail address: waits for a human, applied after the title
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
   * A record change split by field: the fields below the tier are approved by policy and applied at
   * once; the others wait for people as a record change of their own. Both parts keep the system,
   * record and version read of the original. The runtime applies the waiting part only after the
   * approved part's write has settled, against the version that write returned (so a change made to
   * the record in between refuses it, never overwritten); rejecting it leaves the approved fields
   * applied.
   *
   * @param approved the record change of the fields approved by policy
   * @param approvedHash its content hash
   * @param approvedRisk the tier of the approved part (its riskiest field)
   * @param waiting the record change of the fields that wait for a human
   * @param waitingHash its content hash
   * @param waitingRisk the tier of the waiting part (its riskiest field)
   */
  record Fields(
      RecordChange approved,
      ContentHash approvedHash,
      Risk approvedRisk,
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
