package dev.agentmesh.core;

import java.util.Locale;
import java.util.Objects;
import tools.jackson.databind.JsonNode;

/**
 * A deterministic Java check on an agent's input, its output, or each tool call it makes. A spec
 * names guardrails; the host binds the names with {@link Mesh.Builder#guardrail(String, Guardrail)}.
 * A block fails the run with {@link GuardrailBlockedException}.
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
    INPUT,
    OUTPUT,
    TOOL_CALL;

    /** {@code input}, {@code output} or {@code tool call}. */
    public String id() {
      return name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }
  }

  /** Checks the input of a run before the model sees it. */
  default Verdict checkInput(JsonNode input) {
    return Verdict.allow();
  }

  /** Checks the output of a run before it is returned. */
  default Verdict checkOutput(JsonNode output) {
    return Verdict.allow();
  }

  /** Checks a tool call before the tool runs. */
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

    public Verdict {
      Objects.requireNonNull(reason, "reason");
    }

    /** Let the step go on. */
    public static Verdict allow() {
      return ALLOW;
    }

    /** Stop the run, saying why. */
    public static Verdict block(String reason) {
      return new Verdict(false, reason);
    }
  }
}
