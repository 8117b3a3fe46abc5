package dev.agentmesh.core;

import com.github.victools.jsonschema.generator.Option;
import com.github.victools.jsonschema.generator.OptionPreset;
import com.github.victools.jsonschema.generator.SchemaGenerator;
import com.github.victools.jsonschema.generator.SchemaGeneratorConfigBuilder;
import com.github.victools.jsonschema.generator.SchemaVersion;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * JSON Schema for agents and tools: generated from Java types (victools), checked against the
 * subset agentmesh supports, and validated (networknt, draft 2020-12).
 */
final class Schemas {

  /**
   * The keywords a spec's schema may use: what every supported provider's structured output
   * accepts.
   */
  static final Set<String> KEYWORDS =
      Set.of(
          "type",
          "properties",
          "required",
          "items",
          "enum",
          "const",
          "description",
          "title",
          "additionalProperties",
          "minimum",
          "maximum",
          "exclusiveMinimum",
          "exclusiveMaximum",
          "minLength",
          "maxLength",
          "pattern",
          "format",
          "minItems",
          "maxItems",
          "uniqueItems",
          "anyOf",
          "default",
          "examples",
          "$defs",
          "$ref",
          "$schema",
          "nullable");

  private static final SchemaGenerator GENERATOR = generator();
  private static final SchemaRegistry REGISTRY =
      SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);

  private Schemas() {}

  /** The JSON Schema of a Java type: records become objects whose components are all required. */
  static ObjectNode of(Type type) {
    return GENERATOR.generateSchema(type);
  }

  /**
   * A reusable validator for one schema; throws {@link IllegalArgumentException} if the schema is
   * invalid.
   */
  static Validator validator(JsonNode schema) {
    try {
      Schema compiled = REGISTRY.getSchema(schema);
      compiled.initializeValidators();
      FlatObject flat = FlatObject.of(schema);
      if (flat == null) return instance -> messages(compiled.validate(instance));
      return instance -> flat.accepts(instance) ? List.of() : messages(compiled.validate(instance));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("invalid JSON Schema: " + e.getMessage(), e);
    }
  }

  /** Validates instances against one schema. Thread-safe. */
  @FunctionalInterface
  interface Validator {
    /** What does not match, one line each; empty when the instance is valid. */
    List<String> validate(JsonNode instance);
  }

  /**
   * The schema of most tools' arguments, checked without the general validator: an object whose
   * properties are each a string, integer, number or boolean, some required, perhaps no others
   * allowed, described or not. {@link #accepts} says yes only to what the general validator also
   * accepts; anything else (and every error message) is left to it.
   */
  static final class FlatObject {
    private static final Set<String> OBJECT_KEYWORDS =
        Set.of("type", "properties", "required", "additionalProperties", "description", "title");
    private static final Set<String> PROPERTY_KEYWORDS = Set.of("type", "description", "title");

    private final String[] names;
    private final String[] types;
    private final String[] required;
    private final boolean closed;

    private FlatObject(String[] names, String[] types, String[] required, boolean closed) {
      this.names = names;
      this.types = types;
      this.required = required;
      this.closed = closed;
    }

    /** The fast check for {@code schema}, or {@code null} when it is not of that shape. */
    static @Nullable FlatObject of(JsonNode schema) {
      if (!schema.isObject() || !"object".equals(textOf(schema.get("type")))) return null;
      for (String key : schema.propertyNames()) {
        if (!OBJECT_KEYWORDS.contains(key)) return null;
      }
      JsonNode additional = schema.get("additionalProperties");
      if (additional != null && !additional.isBoolean()) return null;
      boolean closed = additional != null && !additional.booleanValue();
      JsonNode properties = schema.get("properties");
      List<String> names = new ArrayList<>();
      List<String> types = new ArrayList<>();
      if (properties != null) {
        if (!properties.isObject()) return null;
        for (Map.Entry<String, JsonNode> p : properties.properties()) {
          JsonNode property = p.getValue();
          if (!property.isObject()) return null;
          for (String key : property.propertyNames()) {
            if (!PROPERTY_KEYWORDS.contains(key)) return null;
          }
          String type = textOf(property.get("type"));
          if (type == null || !SCALARS.contains(type)) return null;
          names.add(p.getKey());
          types.add(type);
        }
      }
      List<String> required = new ArrayList<>();
      JsonNode req = schema.get("required");
      if (req != null) {
        if (!req.isArray()) return null;
        for (JsonNode r : req) {
          if (!r.isString()) return null;
          required.add(r.asString());
        }
      }
      return new FlatObject(
          names.toArray(new String[0]),
          types.toArray(new String[0]),
          required.toArray(new String[0]),
          closed);
    }

    /** Whether {@code instance} surely matches; false when it does not or may not. */
    boolean accepts(JsonNode instance) {
      if (!instance.isObject()) return false;
      for (String name : required) {
        if (instance.get(name) == null) return false;
      }
      int known = 0;
      for (int i = 0; i < names.length; i++) {
        JsonNode value = instance.get(names[i]);
        if (value == null) continue;
        known++;
        if (!matches(types[i], value)) return false;
      }
      return !closed || known == instance.size();
    }

    private static boolean matches(String type, JsonNode value) {
      return switch (type) {
        case "string" -> value.isString();
        case "integer" -> value.isIntegralNumber();
        case "number" -> value.isNumber();
        default -> value.isBoolean();
      };
    }

    private static final Set<String> SCALARS = Set.of("string", "integer", "number", "boolean");

    private static @Nullable String textOf(@Nullable JsonNode node) {
      return node != null && node.isString() ? node.asString() : null;
    }
  }

  private static List<String> messages(List<Error> errors) {
    List<String> out = new ArrayList<>(errors.size());
    for (Error e : errors) out.add(e.toString());
    return out;
  }

  private static SchemaGenerator generator() {
    SchemaGeneratorConfigBuilder config =
        new SchemaGeneratorConfigBuilder(SchemaVersion.DRAFT_2020_12, OptionPreset.PLAIN_JSON)
            .with(
                Option.FLATTENED_ENUMS,
                Option.FORBIDDEN_ADDITIONAL_PROPERTIES_BY_DEFAULT,
                Option.FLATTENED_OPTIONALS)
            .without(Option.SCHEMA_VERSION_INDICATOR);
    config.forFields().withRequiredCheck(f -> f.getRawMember().getType() != Optional.class);
    return new SchemaGenerator(config.build());
  }
}
