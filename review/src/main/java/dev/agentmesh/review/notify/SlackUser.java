package dev.agentmesh.review.notify;

import java.util.Objects;

/**
 * The credential {@link SlackInteractions} hands to {@code Reviews.decide} for a button press: the
 * Slack user whose press Slack signed. Only {@link SlackInteractions} makes one, after the
 * request's signature and timestamp checked out; the host's {@link
 * dev.agentmesh.review.Authenticator} maps it to a reviewer (or refuses it), as it does every other
 * credential.
 *
 * <pre>{@code
 * Authenticator authenticator = credential -> {
 *   if (credential instanceof SlackUser slack) {
 *     return directory.reviewer(slack.teamId(), slack.userId()); // the host's own mapping
 *   }
 *   return sso.reviewer(credential);
 * };
 * }</pre>
 */
public final class SlackUser {

  private final String teamId;
  private final String userId;

  SlackUser(String teamId, String userId) {
    this.teamId = Objects.requireNonNull(teamId, "teamId");
    this.userId = Objects.requireNonNull(userId, "userId");
  }

  /** {@return the Slack workspace's id ({@code T...})} */
  public String teamId() {
    return teamId;
  }

  /** {@return the Slack user's id ({@code U...})} */
  public String userId() {
    return userId;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SlackUser u && u.teamId.equals(teamId) && u.userId.equals(userId);
  }

  @Override
  public int hashCode() {
    return Objects.hash(teamId, userId);
  }

  /** {@return {@code <team id>/<user id>}} */
  @Override
  public String toString() {
    return teamId + "/" + userId;
  }
}
