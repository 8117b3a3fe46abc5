package dev.agentmesh.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.BooleanNode;

/**
 * Whether a path such as {@code input.address.city} can name a value of an input schema: each
 * segment is looked up through {@code $ref}s and in every {@code anyOf} (or {@code oneOf}, {@code
 * allOf}) alternative, and the path is fine when one alternative has it. A schema that declares
 * {@code properties} has only those names unless {@code additionalProperties} is {@code true} or a
 * schema; one that declares none (and is not closed) has any name.
 */
final class SchemaPaths {

  /**
   * How deep {@code $ref}s and alternatives are followed; a schema that refers to itself stops
   * here.
   */
  private static final int MAX_DEPTH = 64;

  /**
   * Why a path is not in the schema: {@code at} is the part of it that exists ({@code
   * input.address}), {@code name} the segment it lacks, {@code type} the non-object type that has
   * no properties (or null), {@code defined} the property names defined there.
   */
  record Miss(String at, String name, @Nullable String type, Set<String> defined) {}

  private final JsonNode root;

  private SchemaPaths(JsonNode root) {
    this.root = root;
  }

  /** Null when {@code segments} (after the first, {@code input}) name a value the schema allows. */
  static @Nullable Miss find(JsonNode schema, String[] segments) {
    return new SchemaPaths(schema).miss(schema, segments, 1, segments[0], 0);
  }

  private @Nullable Miss miss(JsonNode schema, String[] segments, int i, String at, int depth) {
    if (i == segments.length || depth > MAX_DEPTH) return null;
    List<JsonNode> alternatives = new ArrayList<>();
    alternatives(schema, alternatives, depth);
    Miss deepest = null;
    for (JsonNode alternative : alternatives) {
      Miss miss = step(alternative, segments, i, at, depth);
      if (miss == null) return null;
      if (deepest == null || miss.at().length() > deepest.at().length()) {
        deepest = miss;
      } else if (miss.at().equals(deepest.at())) {
        Set<String> defined = new TreeSet<>(deepest.defined());
        defined.addAll(miss.defined());
        deepest =
            new Miss(
                deepest.at(),
                deepest.name(),
                deepest.type() != null ? deepest.type() : miss.type(),
                defined);
      }
    }
    return deepest;
  }

  /**
   * The schema's own alternatives: itself (unless it is only a combinator) and those of its
   * anyOf/oneOf/allOf.
   */
  private void alternatives(JsonNode schema, List<JsonNode> out, int depth) {
    JsonNode resolved = resolve(schema, depth);
    if (resolved == null) {
      out.add(BooleanNode.TRUE);
      return;
    }
    boolean combinator = false;
    for (String key : List.of("anyOf", "oneOf", "allOf")) {
      JsonNode list = resolved.get(key);
      if (list == null || !list.isArray()) continue;
      combinator = true;
      for (JsonNode item : list) alternatives(item, out, depth + 1);
    }
    if (!combinator
        || resolved.has("properties")
        || resolved.has("type")
        || resolved.has("additionalProperties")) {
      out.add(resolved);
    }
  }

  /**
   * The schema a {@code $ref} leads to; null when it leads nowhere (the schema check reports that).
   */
  private @Nullable JsonNode resolve(JsonNode schema, int depth) {
    JsonNode at = schema;
    for (int hops = 0; at.isObject() && at.has("$ref"); hops++) {
      String ref = at.get("$ref").asString("");
      if (hops + depth > MAX_DEPTH || !ref.startsWith("#")) return null;
      JsonNode next = ref.equals("#") ? root : root.at(ref.substring(1));
      if (next == null || next.isMissingNode()) return null;
      at = next;
    }
    return at;
  }

  private @Nullable Miss step(JsonNode schema, String[] segments, int i, String at, int depth) {
    if (schema.isBoolean()) {
      return schema.asBoolean() ? null : new Miss(at, segments[i], null, Set.of());
    }
    if (!schema.isObject()) return null;
    String type = objectless(schema.get("type"));
    if (type != null) return new Miss(at, segments[i], type, Set.of());
    JsonNode properties = schema.get("properties");
    String name = segments[i];
    if (properties != null && properties.isObject() && properties.has(name)) {
      return miss(properties.get(name), segments, i + 1, at + "." + name, depth + 1);
    }
    JsonNode additional = schema.get("additionalProperties");
    Set<String> defined =
        properties != null && properties.isObject()
            ? new TreeSet<>(properties.propertyNames())
            : Set.of();
    if (additional != null && additional.isObject())
      return miss(additional, segments, i + 1, at + "." + name, depth + 1);
    if (additional != null && additional.isBoolean()) {
      return additional.asBoolean() ? null : new Miss(at, name, null, defined);
    }
    return properties == null || !properties.isObject() ? null : new Miss(at, name, null, defined);
  }

  /**
   * The type named when it cannot be an object ({@code string}, {@code [string, null]}), else null;
   * a name outside the seven types (reported by the schema check) might have meant object.
   */
  private static @Nullable String objectless(@Nullable JsonNode type) {
    if (type == null) return null;
    List<String> names = new ArrayList<>();
    if (type.isString()) names.add(type.asString());
    else if (type.isArray()) type.forEach(t -> names.add(t.asString("")));
    if (names.isEmpty() || names.contains("object") || !SchemaCheck.TYPES.containsAll(names))
      return null;
    return String.join(" or ", names);
  }
}
