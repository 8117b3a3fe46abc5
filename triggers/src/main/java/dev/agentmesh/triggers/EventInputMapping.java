package dev.agentmesh.triggers;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonPointer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Stand-in for the webhook helper's {@code InputMapping} until it lands (same shape); replaced by
 * it at the rebase.
 *
 * <pre>{@code
 * EventInputMapping mapping = EventInputMapping.fields(Map.of("email", "/user/email"));
 * }</pre>
 */
public final class EventInputMapping {

  private final @Nullable Map<String, JsonPointer> fields;

  private EventInputMapping(@Nullable Map<String, JsonPointer> fields) {
    this.fields = fields;
  }

  /** {@return the mapping that passes the whole payload on} */
  public static EventInputMapping whole() {
    return new EventInputMapping(null);
  }

  /**
   * An object whose fields are read from the payload.
   *
   * @param fieldToPointer field names to JSON Pointers
   * @return the mapping
   */
  public static EventInputMapping fields(Map<String, String> fieldToPointer) {
    Map<String, JsonPointer> out = new LinkedHashMap<>();
    fieldToPointer.forEach((name, pointer) -> out.put(name, EventFilters.pointer(pointer)));
    return new EventInputMapping(out);
  }

  /**
   * The input made from {@code payload}.
   *
   * @param payload the payload
   * @return the input
   * @throws IllegalArgumentException if a pointer finds nothing
   */
  public JsonNode apply(JsonNode payload) {
    Objects.requireNonNull(payload, "payload");
    if (fields == null) {
      return payload.deepCopy();
    }
    ObjectNode input = JsonNodeFactory.instance.objectNode();
    fields.forEach(
        (name, pointer) -> {
          JsonNode found = payload.at(pointer);
          if (found.isMissingNode()) {
            throw new IllegalArgumentException(
                "Input field '"
                    + name
                    + "' expects a value at JSON Pointer '"
                    + pointer
                    + "' in the payload but found none");
          }
          input.set(name, found.deepCopy());
        });
    return input;
  }
}
