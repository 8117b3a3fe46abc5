package dev.agentmesh.triggers;

import dev.agentmesh.core.AgentMeshException;

/**
 * A person could not start a session: their credential was refused by the host's {@link
 * HumanTrigger.Authenticator}, or no declared human trigger lets people start the agent ({@link
 * HumanTrigger.Builder#declared}). Nothing was created. The message is the authenticator's, and
 * must not hold the credential.
 *
 * <pre>{@code
 * try {
 *   humans.start(bearerToken, "triage").input(ticket).start();
 * } catch (StartRefusedException e) {
 *   return Response.status(401).entity(e.getMessage());
 * }
 * }</pre>
 */
public final class StartRefusedException extends AgentMeshException {

  private static final long serialVersionUID = 1L;

  /**
   * Refuses a start.
   *
   * @param message why, without the credential
   */
  public StartRefusedException(String message) {
    super(message);
  }
}
