package dev.agentmesh.core;

/**
 * A guardrail blocked a run's input, output or a tool call.
 *
 * <pre>{@code
 * catch (GuardrailBlockedException e) {
 *   audit.record(e.guardrail(), e.stage(), e.reason());
 * }
 * }</pre>
 */
public final class GuardrailBlockedException extends AgentRunException {

  private static final long serialVersionUID = 1L;

  /** The guardrail's name. */
  private final String guardrail;

  /** Where it blocked. */
  private final Guardrail.Stage stage;

  /** What the guardrail said. */
  private final String reason;

  /**
   * Creates the exception.
   *
   * @param agent the agent whose run was blocked
   * @param runId the run's id
   * @param guardrail the guardrail's name
   * @param stage where it blocked
   * @param reason what the guardrail said
   */
  public GuardrailBlockedException(
      String agent, String runId, String guardrail, Guardrail.Stage stage, String reason) {
    super(
        agent,
        runId,
        "Guardrail '"
            + guardrail
            + "' blocked the "
            + stage.id()
            + " of agent '"
            + agent
            + "': "
            + reason,
        null);
    this.guardrail = guardrail;
    this.stage = stage;
    this.reason = reason;
  }

  /** {@return the name the guardrail is bound to in the mesh} */
  public String guardrail() {
    return guardrail;
  }

  /** {@return what it checked when it blocked} */
  public Guardrail.Stage stage() {
    return stage;
  }

  /** {@return what the guardrail said} */
  public String reason() {
    return reason;
  }
}
