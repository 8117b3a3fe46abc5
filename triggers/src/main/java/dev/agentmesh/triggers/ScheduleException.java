package dev.agentmesh.triggers;

import dev.agentmesh.core.AgentMeshException;

/**
 * A schedule expression that cannot be read. The message says what was expected, what was found,
 * where (field and column, both 1-based) and how to fix it; the fields carry the same.
 *
 * <pre>{@code
 * try {
 *   Schedule.cron("61 * * * *", ZoneOffset.UTC);
 * } catch (ScheduleException e) {
 *   e.field();  // 1 (minute)
 *   e.column(); // 1
 * }
 * }</pre>
 */
public final class ScheduleException extends AgentMeshException {

  private static final long serialVersionUID = 1L;

  /** The expression as written. */
  private final String expression;

  /** The 1-based field at fault, or 0. */
  private final int field;

  /** The 1-based column where the fault starts, or 0. */
  private final int column;

  ScheduleException(String message, String expression, int field, int column) {
    super(message);
    this.expression = expression;
    this.field = field;
    this.column = column;
  }

  /** {@return the expression as written} */
  public String expression() {
    return expression;
  }

  /** {@return the 1-based field at fault, or 0 when the fault is the expression as a whole} */
  public int field() {
    return field;
  }

  /** {@return the 1-based column where that field (or the fault) starts, or 0 when not known} */
  public int column() {
    return column;
  }
}
