package dev.agentmesh.core;

import org.jspecify.annotations.Nullable;

/**
 * A run hit one of its spec's {@link Limits}: too many turns or tool calls, too long, too costly.
 *
 * <pre>{@code
 * catch (LimitExceededException e) {
 *   if (e.limit() == LimitExceededException.Limit.MAX_COST) alertBudgetOwner(e.getMessage());
 * }
 * }</pre>
 */
public final class LimitExceededException extends AgentRunException {

  private static final long serialVersionUID = 1L;

  /** Which limit a run hit. */
  public enum Limit {
    /** The {@code maxTurns} limit: most model calls in a run. */
    MAX_TURNS("maxTurns"),
    /** The {@code maxToolCalls} limit: most tool calls in a run. */
    MAX_TOOL_CALLS("maxToolCalls"),
    /** The {@code timeout} limit: longest a run may take. */
    TIMEOUT("timeout"),
    /** The {@code maxCost} limit: most US dollars a run may cost. */
    MAX_COST("maxCost");

    private final String field;

    Limit(String field) {
      this.field = field;
    }

    /** {@return the spec field that sets this limit, such as {@code maxTurns}} */
    public String field() {
      return field;
    }
  }

  /** The limit that was hit. */
  private final Limit limit;

  /**
   * Creates the exception.
   *
   * @param agent the agent whose run hit the limit
   * @param runId the run's id
   * @param limit the limit that was hit
   * @param message what was hit and how to raise it
   */
  public LimitExceededException(String agent, String runId, Limit limit, String message) {
    this(agent, runId, limit, message, null);
  }

  /**
   * With the failure that the limit cut short, such as the model call still running at the
   * deadline.
   *
   * @param agent the agent whose run hit the limit
   * @param runId the run's id
   * @param limit the limit that was hit
   * @param message what was hit and how to raise it
   * @param cause the failure the limit cut short, or {@code null}
   */
  public LimitExceededException(
      String agent, String runId, Limit limit, String message, @Nullable Throwable cause) {
    super(agent, runId, message, cause);
    this.limit = limit;
  }

  /** {@return the limit that was hit} */
  public Limit limit() {
    return limit;
  }
}
