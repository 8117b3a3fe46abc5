package dev.agentmesh.core.spi;

import java.util.Objects;
import tools.jackson.databind.JsonNode;

/**
 * A tool as the model sees it: a name, what it does, and a JSON Schema of its arguments.
 *
 * <pre>{@code
 * ToolDefinition lookup = ToolDefinition.of("lookupTier", "Looks up a customer's support tier",
 *     schemaOfArguments);
 * }</pre>
 *
 * @param name the name the model uses to call it
 * @param description what it does and when to use it
 * @param parameters a JSON Schema object describing the arguments object
 */
public record ToolDefinition(String name, String description, JsonNode parameters) {

  /**
   * Checks that no component is null.
   *
   * @param name the name the model uses to call it
   * @param description what it does and when to use it
   * @param parameters a JSON Schema object describing the arguments object
   */
  public ToolDefinition {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(parameters, "parameters");
  }

  /**
   * Creates a tool definition.
   *
   * @param name the tool's name
   * @param description what it does
   * @param parameters the arguments' JSON Schema
   * @return the tool definition
   */
  public static ToolDefinition of(String name, String description, JsonNode parameters) {
    return new ToolDefinition(name, description, parameters);
  }
}
