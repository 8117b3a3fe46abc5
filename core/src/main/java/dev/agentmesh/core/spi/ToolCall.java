package dev.agentmesh.core.spi;

import java.util.Objects;
import tools.jackson.databind.JsonNode;

/**
 * A model's request to run one tool.
 *
 * <p>{@code arguments} is the JSON the model produced. When a provider returns arguments that are
 * not valid JSON, the adapter keeps the raw text as a JSON string node so the agent loop can report
 * the problem back to the model instead of failing the call.
 *
 * <pre>{@code
 * ToolCall call = ToolCall.of("call_1", "lookupTier", Json.object().put("customer", "acme"));
 * }</pre>
 *
 * @param id the provider's id for this call, echoed back in the tool result message
 * @param name the tool's name
 * @param arguments the arguments, normally a JSON object
 */
public record ToolCall(String id, String name, JsonNode arguments) {

  /**
   * Checks that no component is null.
   *
   * @param id the provider's id for this call, echoed back in the tool result message
   * @param name the tool's name
   * @param arguments the arguments, normally a JSON object
   */
  public ToolCall {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(arguments, "arguments");
  }

  /**
   * Creates a tool call.
   *
   * @param id the provider's id for the call
   * @param name the tool's name
   * @param arguments the arguments
   * @return the tool call
   */
  public static ToolCall of(String id, String name, JsonNode arguments) {
    return new ToolCall(id, name, arguments);
  }
}
