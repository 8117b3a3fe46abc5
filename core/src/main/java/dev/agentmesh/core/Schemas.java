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
import java.util.Optional;
import java.util.Set;
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
      return instance -> messages(compiled.validate(instance));
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
