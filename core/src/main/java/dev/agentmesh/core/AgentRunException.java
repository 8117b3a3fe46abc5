package dev.agentmesh.core;

import org.jspecify.annotations.Nullable;

/**
 * An agent call failed. Subclasses say why when the caller can act on it: {@link
 * LimitExceededException}, {@link GuardrailBlockedException}, {@link OutputValidationException}. A
 * model failure surfaces as {@link dev.agentmesh.core.spi.ModelException} itself.
 *
 * <pre>{@code
 * try {
 *   agent.call(input);
 * } catch (AgentRunException e) {
 *   log.warn("agent {} run {} failed: {}", e.agent(), e.runId(), e.getMessage());
 * }
 * }</pre>
 */
public class AgentRunException extends AgentMeshException {

  private static final long serialVersionUID = 1L;

  /** The agent whose run failed. */
  private final String agent;

  /** The failed run's id. */
  private final String runId;

  /**
   * Creates the exception.
   *
   * @param agent the agent whose run failed
   * @param runId the failed run's id
   * @param message what went wrong
   * @param cause the underlying failure, or {@code null}
   */
  public AgentRunException(String agent, String runId, String message, @Nullable Throwable cause) {
    super(message, cause);
    this.agent = agent;
    this.runId = runId;
  }

  /** {@return the agent whose run failed} */
  public String agent() {
    return agent;
  }

  /** {@return the failed run's id, as in its events} */
  public String runId() {
    return runId;
  }
}
