package dev.agentmesh.review;

import java.util.Objects;
import tools.jackson.databind.JsonNode;

/**
 * A generic tool call, the fallback artifact: the tool's name, its JSON arguments and whether
 * running it twice is harmless. Its surface shows the tool, the arguments pretty-printed (keys
 * sorted) and what idempotency means for a retry.
 *
 * <pre>{@code
 * Action refund = new Action("payments.refund",
 *     JsonMapper.shared().readTree("{\"order\":\"A-17\",\"amount\":\"12.50\"}"), false);
 * }</pre>
 *
 * @param tool the tool's name
 * @param arguments the arguments, a JSON object (copied in and out: the value never changes)
 * @param idempotent whether running the call again has no further effect
 */
public record Action(String tool, JsonNode arguments, boolean idempotent)
    implements ReviewArtifact {

  /**
   * Checks the tool is there and copies the arguments.
   *
   * @param tool the tool's name
   * @param arguments the arguments, a JSON object (copied in and out: the value never changes)
   * @param idempotent whether running the call again has no further effect
   */
  public Action {
    Objects.requireNonNull(tool, "tool");
    arguments = arguments.deepCopy();
  }

  /** {@return a copy of the arguments} */
  @Override
  public JsonNode arguments() {
    return arguments.deepCopy();
  }
}
