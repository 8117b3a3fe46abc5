package dev.agentmesh.core;

import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** The one Jackson mapper core uses, and small helpers around it. */
final class Json {

  static final JsonMapper MAPPER =
      JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

  private Json() {}

  static JsonNode toNode(Object value) {
    if (value instanceof JsonNode) return (JsonNode) value;
    if (value instanceof CharSequence) return JsonNodeFactory.instance.stringNode(value.toString());
    return MAPPER.valueToTree(value);
  }

  static String write(JsonNode node) {
    return MAPPER.writeValueAsString(node);
  }

  /** A string node as its text; anything else as compact JSON. */
  static String text(JsonNode node) {
    return node.isString() ? node.asString() : write(node);
  }

  static ObjectNode object() {
    return JsonNodeFactory.instance.objectNode();
  }
}
