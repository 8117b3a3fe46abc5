package dev.agentmesh.triggers;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonPointer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * How a trigger's payload (a webhook body, a broker message) becomes an agent's input: the whole
 * payload, or an object whose fields are read from the payload by <a
 * href="https://www.rfc-editor.org/rfc/rfc6901">JSON Pointer</a>.
 *
 * <pre>{@code
 * InputMapping whole = InputMapping.whole();
 * InputMapping issue = InputMapping.fields(Map.of(
 *     "title", "/issue/title",
 *     "author", "/issue/user/login"));
 * InputMapping lenient = InputMapping.builder()
 *     .field("title", "/issue/title")
 *     .optionalField("labels", "/issue/labels") // left out of the input when absent
 *     .build();
 * JsonNode input = issue.apply(payload); // {"title": ..., "author": ...}
 * }</pre>
 *
 * <p>Immutable and thread-safe; two mappings are equal when they map alike. {@link #apply} throws
 * {@link InputMappingException} when a required pointer finds nothing; its message names the field
 * and the pointer, never a value of the payload.
 */
public final class InputMapping {

  private static final InputMapping WHOLE = new InputMapping(null);

  /** Field name to its pointer, in declaration order; null for the whole payload. */
  private final @Nullable Map<String, Field> fields;

  private InputMapping(@Nullable Map<String, Field> fields) {
    this.fields = fields;
  }

  /** {@return the mapping that passes the whole payload on as the input} */
  public static InputMapping whole() {
    return WHOLE;
  }

  /**
   * An object input whose fields are read from the payload, every one required.
   *
   * @param fieldToPointer input field names to JSON Pointers into the payload ({@code ""} is the
   *     whole payload); iteration order is kept
   * @return the mapping
   * @throws IllegalArgumentException if the map is empty, a name is blank or a pointer is not a
   *     JSON Pointer
   */
  public static InputMapping fields(Map<String, String> fieldToPointer) {
    Builder builder = builder();
    fieldToPointer.forEach(builder::field);
    return builder.build();
  }

  /** {@return a builder for a field-by-field mapping} */
  public static Builder builder() {
    return new Builder();
  }

  /** {@return whether the whole payload is the input} */
  public boolean isWhole() {
    return fields == null;
  }

  /** {@return input field names to their pointers, in order; empty for {@link #whole()}} */
  public Map<String, String> pointers() {
    if (fields == null) {
      return Map.of();
    }
    Map<String, String> out = new LinkedHashMap<>();
    fields.forEach((name, field) -> out.put(name, field.pointer().toString()));
    return Collections.unmodifiableMap(out);
  }

  /** {@return the names of fields left out of the input when their pointer finds nothing} */
  public Set<String> optionalFields() {
    if (fields == null) {
      return Set.of();
    }
    Set<String> out = new LinkedHashSet<>();
    fields.forEach(
        (name, field) -> {
          if (field.optional()) {
            out.add(name);
          }
        });
    return Collections.unmodifiableSet(out);
  }

  /**
   * The agent's input made from {@code payload}: a copy of it, or an object of the mapped fields. A
   * pointer that finds JSON {@code null} maps to {@code null}; one that finds nothing fails (or,
   * for an optional field, leaves the field out).
   *
   * @param payload the parsed payload
   * @return the input
   * @throws InputMappingException if a required field's pointer finds nothing in the payload
   */
  public JsonNode apply(JsonNode payload) {
    Objects.requireNonNull(payload, "payload");
    if (fields == null) {
      return payload.deepCopy();
    }
    ObjectNode input = JsonNodeFactory.instance.objectNode();
    for (Map.Entry<String, Field> entry : fields.entrySet()) {
      Field field = entry.getValue();
      JsonNode found = payload.at(field.pointer());
      if (!found.isMissingNode()) {
        input.set(entry.getKey(), found.deepCopy());
      } else if (!field.optional()) {
        throw new InputMappingException(
            entry.getKey(), field.pointer().toString(), missing(entry.getKey(), field, payload));
      }
    }
    return input;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof InputMapping other
        && Objects.equals(pointers(), other.pointers())
        && optionalFields().equals(other.optionalFields())
        && isWhole() == other.isWhole();
  }

  @Override
  public int hashCode() {
    return Objects.hash(pointers(), optionalFields(), isWhole());
  }

  @Override
  public String toString() {
    if (fields == null) {
      return "InputMapping{whole payload}";
    }
    List<String> parts = new ArrayList<>();
    fields.forEach(
        (name, field) ->
            parts.add(name + " <- " + field.pointer() + (field.optional() ? " (optional)" : "")));
    return "InputMapping{" + String.join(", ", parts) + "}";
  }

  /** What was expected and where the payload stopped matching; names only, never values. */
  private static String missing(String name, Field field, JsonNode payload) {
    JsonPointer pointer = field.pointer();
    JsonNode node = payload;
    StringBuilder reached = new StringBuilder();
    for (JsonPointer p = pointer; !p.matches(); p = p.tail()) {
      String step = "/" + escape(p.getMatchingProperty());
      JsonNode next = node.at(JsonPointer.compile(step));
      if (next.isMissingNode()) {
        break;
      }
      reached.append(step);
      node = next;
    }
    return "Input field '"
        + name
        + "' expects a value at JSON Pointer '"
        + pointer
        + "' in the payload but found none: "
        + (reached.length() == 0 ? "the payload" : "'" + reached + "'")
        + " is "
        + describe(node)
        + ". Fix: send a payload that has it, correct the pointer, or make the field optional";
  }

  /** The kind of a node and, for an object, up to ten of its field names (never a value). */
  private static String describe(JsonNode node) {
    if (node.isObject()) {
      List<String> names = new ArrayList<>();
      Iterator<String> it = node.propertyNames().iterator();
      while (it.hasNext() && names.size() < 10) {
        names.add(InputMappingException.shown(it.next(), 40));
      }
      String more = node.size() > names.size() ? ", ..." : "";
      return "an object with fields " + names + more;
    }
    if (node.isArray()) {
      return "an array of " + node.size() + " element" + (node.size() == 1 ? "" : "s");
    }
    return "a"
        + (node.isNull()
            ? " null"
            : node.isNumber()
                ? " number"
                : node.isBoolean()
                    ? " boolean"
                    : node.isString() ? " string" : "n unexpected " + node.getNodeType());
  }

  private static String escape(String property) {
    return property.replace("~", "~0").replace("/", "~1");
  }

  private record Field(JsonPointer pointer, boolean optional) {}

  /** Collects the fields of a mapping; {@link #build()} may be called again. */
  public static final class Builder {
    private final Map<String, Field> fields = new LinkedHashMap<>();

    private Builder() {}

    /**
     * A required field: its pointer must find a value, or {@link #apply} fails.
     *
     * @param name the input field's name
     * @param pointer a JSON Pointer into the payload, such as {@code /issue/title}
     * @return this builder
     * @throws IllegalArgumentException if the name is blank or taken, or the pointer is invalid
     */
    public Builder field(String name, String pointer) {
      return add(name, pointer, false);
    }

    /**
     * An optional field: left out of the input when its pointer finds nothing.
     *
     * @param name the input field's name
     * @param pointer a JSON Pointer into the payload
     * @return this builder
     * @throws IllegalArgumentException if the name is blank or taken, or the pointer is invalid
     */
    public Builder optionalField(String name, String pointer) {
      return add(name, pointer, true);
    }

    /**
     * Builds the mapping.
     *
     * @return the mapping
     * @throws IllegalStateException if no field was added (use {@link InputMapping#whole()})
     */
    public InputMapping build() {
      if (fields.isEmpty()) {
        throw new IllegalStateException(
            "an input mapping needs at least one field; for the whole payload use"
                + " InputMapping.whole()");
      }
      return new InputMapping(Collections.unmodifiableMap(new LinkedHashMap<>(fields)));
    }

    private Builder add(String name, String pointer, boolean optional) {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(pointer, "pointer");
      if (name.isBlank()) {
        throw new IllegalArgumentException("an input field's name must not be blank");
      }
      if (fields.containsKey(name)) {
        throw new IllegalArgumentException("input field '" + name + "' is mapped twice");
      }
      fields.put(name, new Field(compile(name, pointer), optional));
      return this;
    }

    private static JsonPointer compile(String name, String pointer) {
      try {
        return JsonPointer.compile(pointer);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "input field '"
                + name
                + "': expected a JSON Pointer (RFC 6901) such as '/issue/title' but found '"
                + pointer
                + "'. Fix: start it with '/', write '~1' for '/' and '~0' for '~' in a name",
            e);
      }
    }
  }
}
