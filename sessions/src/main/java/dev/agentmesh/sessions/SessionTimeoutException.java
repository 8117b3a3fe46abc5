package dev.agentmesh.sessions;

import dev.agentmesh.core.AgentMeshException;

/**
 * An await on a {@link Session} ran out of time; {@link #state()} is where the session stood then.
 * The session goes on: await again, or act on the state (provide an input it waits for, resolve an
 * unknown outcome).
 *
 * <pre>{@code
 * try {
 *   session.awaitFinished(Duration.ofMinutes(1));
 * } catch (SessionTimeoutException e) {
 *   if (!e.state().waits().isEmpty()) {
 *     notifyHuman(e.state().waits());
 *   }
 * }
 * }</pre>
 */
public final class SessionTimeoutException extends AgentMeshException {

  private static final long serialVersionUID = 1L;

  /** Where the session stood when the await gave up. */
  private final transient SessionState state;

  /**
   * The await for {@code what} on the session of {@code state} gave up.
   *
   * @param message says what was awaited, for how long, and where the session stands
   * @param state the session's state when the await gave up
   */
  SessionTimeoutException(String message, SessionState state) {
    super(message);
    this.state = state;
  }

  /**
   * Where the session stood when the await gave up.
   *
   * @return the session's state at the timeout
   */
  public SessionState state() {
    return state;
  }
}
