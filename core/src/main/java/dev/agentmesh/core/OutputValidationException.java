package dev.agentmesh.core;

import java.util.List;

/**
 * The model's final answer did not match the agent's output schema, even after one repair attempt;
 * or a deterministic agent's function returned output that does not match it (no repair then).
 *
 * <pre>{@code
 * catch (OutputValidationException e) {
 *   e.errors().forEach(log::warn);
 * }
 * }</pre>
 */
public final class OutputValidationException extends AgentRunException {

  private static final long serialVersionUID = 1L;

  /** What did not match, one line each. */
  private final List<String> errors;

  /**
   * Creates the exception.
   *
   * @param agent the agent whose output did not match
   * @param runId the run's id
   * @param errors what did not match, one line each
   */
  public OutputValidationException(String agent, String runId, List<String> errors) {
    super(
        agent,
        runId,
        "Agent '"
            + agent
            + "' answered output that does not match its output "
            + "schema, also after one repair attempt: "
            + String.join("; ", errors)
            + ". Make the instructions clearer about the output, or relax the schema.",
        null);
    this.errors = List.copyOf(errors);
  }

  /** A deterministic agent's function returned output that does not match; the message says so. */
  OutputValidationException(String agent, String runId, List<String> errors, String message) {
    super(agent, runId, message, null);
    this.errors = List.copyOf(errors);
  }

  /** {@return what did not match, one line each} */
  public List<String> errors() {
    return errors;
  }
}
