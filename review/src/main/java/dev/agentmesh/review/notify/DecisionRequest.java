package dev.agentmesh.review.notify;

import dev.agentmesh.review.ContentHash;
import java.util.Objects;

/**
 * A reviewer asked, from a chat message, to decide on an artifact. It is a request, not a decision:
 * the review runtime checks that the hash is still current and that the reviewer may decide, and
 * then records the decision.
 *
 * <pre>{@code
 * if (result instanceof SlackInteractions.Result.Accepted accepted) {
 *   DecisionRequest request = accepted.request();
 *   runtime.decide(request.reviewerId(), request.artifactId(), request.contentHash(), request.action());
 * }
 * }</pre>
 *
 * @param artifactId the artifact the button was for
 * @param contentHash the hash shown with the button: the decision binds to it
 * @param action approve or reject
 * @param reviewerId the host's reviewer, from the {@link ReviewerDirectory}
 * @param channelUserId the chat user who pressed (for Slack, {@code team/user})
 */
public record DecisionRequest(
    String artifactId,
    ContentHash contentHash,
    Action action,
    String reviewerId,
    String channelUserId) {

  /** What the reviewer asked for. */
  public enum Action {
    /** Approve the artifact. */
    APPROVE,
    /** Reject the artifact. */
    REJECT
  }

  /**
   * Checks that the components are there.
   *
   * @param artifactId the artifact the button was for
   * @param contentHash the hash shown with the button: the decision binds to it
   * @param action approve or reject
   * @param reviewerId the host's reviewer, from the {@link ReviewerDirectory}
   * @param channelUserId the chat user who pressed (for Slack, {@code team/user})
   */
  public DecisionRequest {
    Objects.requireNonNull(artifactId, "artifactId");
    Objects.requireNonNull(contentHash, "contentHash");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(reviewerId, "reviewerId");
    Objects.requireNonNull(channelUserId, "channelUserId");
  }
}
