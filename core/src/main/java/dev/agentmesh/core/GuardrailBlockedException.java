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

  private final String guardrail;
  private final Guardrail.Stage stage;
  private final String reason;

  public GuardrailBlockedException(
      String agent, String runId, String guardrail, Guardrail.Stage stage, String reason) {
    super(agent, runId, "Guardrail '" + guardrail + "' blocked the " + stage.id() + " of agent '"
        + agent + "': " + reason, null);
    this.guardrail = guardrail;
    this.stage = stage;
    this.reason = reason;
  }

  /** The name the guardrail is bound to in the mesh. */
  public String guardrail() {
    return guardrail;
  }

  /** What it checked when it blocked. */
  public Guardrail.Stage stage() {
    return stage;
  }

  /** What the guardrail said. */
  public String reason() {
    return reason;
  }
}
