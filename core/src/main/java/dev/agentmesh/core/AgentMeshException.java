package dev.agentmesh.core;

import org.jspecify.annotations.Nullable;

/**
 * The root of every exception agentmesh throws on purpose.
 *
 * <p>Catch a subclass for what you can act on: {@link AgentSpecException} (fix the spec files),
 * {@link dev.agentmesh.core.spi.ModelException} (retry later or fix the credentials), {@link
 * AgentRunException} (an agent call failed: a limit, a guardrail, invalid output). Programmer
 * errors use {@link IllegalArgumentException} and {@link IllegalStateException}.
 *
 * <pre>{@code
 * try {
 *   agent.call(input);
 * } catch (AgentMeshException e) {
 *   log.warn("triage failed: {}", e.getMessage());
 * }
 * }</pre>
 */
public class AgentMeshException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates an exception with a message that says what was expected, what was found, and how to fix
   * it.
   *
   * @param message the message
   */
  public AgentMeshException(String message) {
    super(message);
  }

  /**
   * Creates an exception caused by another failure.
   *
   * @param message the message
   * @param cause the underlying failure, or {@code null}
   */
  public AgentMeshException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
