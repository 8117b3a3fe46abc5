package dev.agentmesh.sessions;

import dev.agentmesh.core.AgentMeshException;

/**
 * There is no session with the id asked for: {@link Sessions#session(String)}, a command on a
 * {@link Session} whose log is gone, or a store's lease on a session it does not hold. The one
 * not-found exception of agentmesh-sessions.
 *
 * <pre>{@code
 * try {
 *   sessions.session(id).post("ana", "Still there?");
 * } catch (SessionNotFoundException e) {
 *   log.info("session {} is gone", e.sessionId());
 * }
 * }</pre>
 */
public final class SessionNotFoundException extends AgentMeshException {

  private static final long serialVersionUID = 1L;

  /** The session that does not exist. */
  private final String sessionId;

  /**
   * A store has no session {@code sessionId} to lease: the message a {@link
   * dev.agentmesh.sessions.spi.SessionStore} gives when it is asked for the lease of a session it
   * does not hold.
   *
   * @param sessionId the session asked for
   */
  public SessionNotFoundException(String sessionId) {
    this(
        sessionId,
        "this store",
        "create it with an append at expected version 0 before taking " + "its lease");
  }

  /**
   * There is no session {@code sessionId} in {@code where}.
   *
   * @param sessionId the session asked for
   * @param where the store (or sessions instance) that was asked, for the message
   * @param howToFix what the caller can do, for the message
   */
  public SessionNotFoundException(String sessionId, String where, String howToFix) {
    super("No session '" + sessionId + "' in " + where + "; " + howToFix);
    this.sessionId = sessionId;
  }

  /**
   * The session that does not exist.
   *
   * @return the session's id
   */
  public String sessionId() {
    return sessionId;
  }
}
