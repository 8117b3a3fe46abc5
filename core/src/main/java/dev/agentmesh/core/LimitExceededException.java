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
    MAX_TURNS("maxTurns"),
    MAX_TOOL_CALLS("maxToolCalls"),
    TIMEOUT("timeout"),
    MAX_COST("maxCost");

    private final String field;

    Limit(String field) {
      this.field = field;
    }

    /** The spec field that sets this limit, such as {@code maxTurns}. */
    public String field() {
      return field;
    }
  }

  private final Limit limit;

  public LimitExceededException(String agent, String runId, Limit limit, String message) {
    this(agent, runId, limit, message, null);
  }

  /** With the failure that the limit cut short, such as the model call still running at the deadline. */
  public LimitExceededException(String agent, String runId, Limit limit, String message, @Nullable Throwable cause) {
    super(agent, runId, message, cause);
    this.limit = limit;
  }

  /** The limit that was hit. */
  public Limit limit() {
    return limit;
  }
}
