package dev.agentmesh.review.notify;

import java.util.Optional;

/**
 * Maps a chat user to the host's authenticated reviewer. A Slack user who is not mapped cannot
 * decide anything: {@link SlackInteractions} refuses the press.
 *
 * <p><b>Threading.</b> Called from any thread, concurrently. <b>Errors.</b> A lookup that throws
 * refuses the request (the caller answers 500 and Slack shows an error).
 *
 * <pre>{@code
 * ReviewerDirectory directory = (team, user) -> Optional.ofNullable(slackToReviewer.get(team + "/" + user));
 * }</pre>
 */
@FunctionalInterface
public interface ReviewerDirectory {

  /**
   * The reviewer id of Slack user {@code userId} in workspace {@code teamId}, if there is one.
   *
   * @param teamId the Slack workspace's id
   * @param userId the Slack user's id
   * @return the reviewer id, or empty
   */
  Optional<String> reviewerForSlackUser(String teamId, String userId);
}
