package dev.agentmesh.review;

import dev.agentmesh.review.ReviewRefusedException.Reason;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What policy says about one decision, from {@link ReviewRules#evaluate}: refused (with its reason
 * code and a message saying what was expected, what was found and how to fix it), an approval
 * (counted toward the quorum, perhaps completing it), a rejection, or a change request.
 *
 * <pre>{@code
 * Verdict v = rules.evaluate(check);
 * if (v instanceof Verdict.Refused r) {
 *   throw r.exception();
 * } else if (v instanceof Verdict.Approves a && a.complete()) {
 *   runEffect(a.hash());
 * }
 * }</pre>
 */
public sealed interface Verdict
    permits Verdict.Refused, Verdict.Approves, Verdict.Rejects, Verdict.RequestsChanges {

  /**
   * The decision may not be recorded as a decision.
   *
   * @param reason the machine-readable reason
   * @param message what was expected, what was found and how to fix it
   */
  record Refused(Reason reason, String message) implements Verdict {
    /** {@return the refusal as the exception callers get} */
    public ReviewRefusedException exception() {
      return new ReviewRefusedException(reason, message);
    }
  }

  /**
   * An approval (or an edit, which approves its own new content).
   *
   * @param hash the content hash approved: the current one, or the edit's
   * @param approvers the distinct reviewers whose approvals of {@code hash} count, this one last
   * @param needed the approvals the policy needs
   * @param edit the checked edit, or null for a plain approval
   */
  record Approves(ContentHash hash, List<String> approvers, int needed, @Nullable EditCheck edit)
      implements Verdict {
    /**
     * Copies the approvers.
     *
     * @param hash the content hash approved
     * @param approvers the distinct reviewers whose approvals count
     * @param needed the approvals the policy needs
     * @param edit the checked edit, or null
     */
    public Approves {
      approvers = List.copyOf(approvers);
    }

    /** {@return whether the quorum is reached with this approval} */
    public boolean complete() {
      return approvers.size() >= needed;
    }
  }

  /**
   * A rejection.
   *
   * @param reason the reviewer's reason
   */
  record Rejects(String reason) implements Verdict {}

  /**
   * A change request whose comments all point at something the artifact has.
   *
   * @param reason what to change
   * @param comments the anchored comments
   */
  record RequestsChanges(String reason, List<Comment> comments) implements Verdict {
    /**
     * Copies the comments.
     *
     * @param reason what to change
     * @param comments the anchored comments
     */
    public RequestsChanges {
      comments = List.copyOf(comments);
    }
  }

  /**
   * An edit that passed its checks: same type, valid, new content.
   *
   * @param edited the edited artifact
   * @param hash its content hash
   * @param diff its changes against the version under review, as a unified diff of content lines
   */
  record EditCheck(ReviewArtifact edited, ContentHash hash, String diff) {}
}
