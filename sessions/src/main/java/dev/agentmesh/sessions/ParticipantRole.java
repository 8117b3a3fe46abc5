package dev.agentmesh.sessions;

/**
 * What a participant of a session may do.
 *
 * <pre>{@code
 * sessions.newSession("triage").participant("ana", ParticipantRole.OWNER)
 *     .participant("auditor", ParticipantRole.OBSERVER).input(ticket).start();
 * }</pre>
 */
public enum ParticipantRole {
  /** Owns the session: posts, pauses, resumes, cancels. */
  OWNER,
  /** Takes part: posts messages and provides inputs. */
  MEMBER,
  /** Reads the session; may not post. */
  OBSERVER;

  /**
   * Whether this role may post messages.
   *
   * @return true for owners and members, false for observers
   */
  public boolean canPost() {
    return this != OBSERVER;
  }
}
