package dev.agentmesh.core;

import java.util.function.Function;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * A Java function bound to a name in a {@link Mesh} ({@link Mesh.Builder#function}): what produces
 * the output of a deterministic agent. Reads the run's input as its input type, calls the function,
 * and turns what it returns into JSON.
 */
final class AgentFunction {

  private final String name;
  private final Class<?> inputType;
  private final Function<Object, ?> function;

  @SuppressWarnings("unchecked")
  <I> AgentFunction(String name, Class<I> inputType, Function<? super I, ?> function) {
    this.name = name;
    this.inputType = inputType;
    this.function = (Function<Object, ?>) function;
  }

  String name() {
    return name;
  }

  /** {@code Function 'name' of agent 'agent}, the start of this function's failure messages. */
  private String whose(String agent) {
    return "Function '" + name + "' of agent '" + agent;
  }

  /**
   * The function's output for {@code input}, as JSON. An input that cannot be read as the input
   * type, a function that throws or returns {@code null}, fails the run with an {@link
   * AgentRunException} that names the agent and the function.
   */
  JsonNode apply(JsonNode input, String agent, String runId) {
    Object typed;
    try {
      typed = inputType == JsonNode.class ? input : Json.MAPPER.treeToValue(input, inputType);
    } catch (JacksonException e) {
      throw new AgentRunException(
          agent,
          runId,
          "Agent '"
              + agent
              + "' could not read its input as "
              + inputType.getSimpleName()
              + ", the input type of function '"
              + name
              + "': "
              + Text.clip(String.valueOf(e.getOriginalMessage()), 200)
              + ". Make the spec's input schema match "
              + inputType.getSimpleName()
              + ", or bind the function to JsonNode.class",
          e);
    }
    Object output;
    try {
      output = function.apply(typed);
    } catch (RuntimeException e) {
      throw new AgentRunException(
          agent,
          runId,
          whose(agent)
              + "' threw "
              + e.getClass().getSimpleName()
              + (e.getMessage() == null ? "" : ": " + Text.clip(e.getMessage(), 300)),
          e);
    }
    if (output == null) {
      throw new AgentRunException(
          agent,
          runId,
          whose(agent)
              + "' returned null; a function returns its output (a record, a map, a JsonNode or"
              + " text)",
          null);
    }
    try {
      return Json.toNode(output);
    } catch (JacksonException e) {
      throw new AgentRunException(
          agent,
          runId,
          whose(agent)
              + "' returned a "
              + output.getClass().getSimpleName()
              + " that cannot be written as JSON: "
              + Text.clip(String.valueOf(e.getOriginalMessage()), 200),
          e);
    }
  }
}
