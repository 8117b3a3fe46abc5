package dev.agentmesh.core;

import java.util.Locale;
import java.util.Objects;
import tools.jackson.databind.JsonNode;

/**
 * A deterministic Java check on an agent's input, its output, or each tool call it makes. A spec
 * names guardrails; the host binds the names with {@link Mesh.Builder#guardrail(String,
 * Guardrail)}. A block fails the run with {@link GuardrailBlockedException}.
 *
 * <pre>{@code
 * Guardrail noRefunds = new Guardrail() {
 *   public Verdict checkToolCall(String tool, JsonNode arguments) {
 *     return tool.equals("refund") ? Verdict.block("refunds need a human") : Verdict.allow();
 *   }
 * };
 * }</pre>
 *
 * <p>Implementations must be thread-safe and fast; they run on the thread driving the run. An
 * exception thrown by a check counts as a block, with the exception's class as the reason.
 */
public interface Guardrail {

  /** Where a guardrail checks. */
  enum Stage {
    /** Checks a run's input, before the model sees it. */
    INPUT,
    /** Checks a run's output, before it is returned. */
    OUTPUT,
    /** Checks a tool call, before the tool runs. */
    TOOL_CALL;

    /**
     * {@code input}, {@code output} or {@code tool call}.
     *
     * @return the stage's name in messages
     */
    public String id() {
      return name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }
  }

  /**
   * Checks the input of a run before the model sees it.
   *
   * @param input the run's input
   * @return the verdict
   */
  default Verdict checkInput(JsonNode input) {
    return Verdict.allow();
  }

  /**
   * Checks the output of a run before it is returned.
   *
   * @param output the run's output
   * @return the verdict
   */
  default Verdict checkOutput(JsonNode output) {
    return Verdict.allow();
  }

  /**
   * Checks a tool call before the tool runs.
   *
   * @param tool the tool's name
   * @param arguments the call's arguments
   * @return the verdict
   */
  default Verdict checkToolCall(String tool, JsonNode arguments) {
    return Verdict.allow();
  }

  /**
   * A guardrail's answer.
   *
   * @param allowed whether the step may go on
   * @param reason why it was blocked; empty when allowed
   */
  record Verdict(boolean allowed, String reason) {
    private static final Verdict ALLOW = new Verdict(true, "");

    /**
     * Checks that there is a reason; it is empty when the step is allowed.
     *
     * @param allowed whether the step may go on
     * @param reason why it was blocked; empty when allowed
     */
    public Verdict {
      Objects.requireNonNull(reason, "reason");
    }

    /** {@return the verdict that lets the step go on} */
    public static Verdict allow() {
      return ALLOW;
    }

    /**
     * Stop the run, saying why.
     *
     * @param reason why, for the run's failure and its event
     * @return the verdict
     */
    public static Verdict block(String reason) {
      return new Verdict(false, reason);
    }
  }
}
