package dev.agentmesh.core;

/**
 * A tool tried something its agent's {@link SandboxPolicy} does not allow. Thrown by {@link
 * ToolContext#requireHostAllowed(java.net.URI)}; the tool call then fails as {@link
 * AgentEvent.ToolFailure#NOT_ALLOWED} and the model is told so.
 *
 * <pre>{@code
 * context.requireHostAllowed(URI.create("https://api.example.com/v1/accounts"));
 * }</pre>
 */
public final class SandboxViolationException extends AgentMeshException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what was not allowed, and how to allow it
   */
  public SandboxViolationException(String message) {
    super(message);
  }
}
