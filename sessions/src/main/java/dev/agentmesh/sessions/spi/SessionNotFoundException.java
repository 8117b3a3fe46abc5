package dev.agentmesh.sessions.spi;

import dev.agentmesh.core.AgentMeshException;

/** A lease was asked for a session the store does not hold; append its first events first. */
public final class SessionNotFoundException extends AgentMeshException {

  private static final long serialVersionUID = 1L;

  /** The session that does not exist. */
  private final String sessionId;

  /**
   * There is no session {@code sessionId} in the store.
   *
   * @param sessionId the session asked for
   */
  public SessionNotFoundException(String sessionId) {
    super("No session '" + sessionId + "' in this store; create it with an append at expected "
        + "version 0 before taking its lease");
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
