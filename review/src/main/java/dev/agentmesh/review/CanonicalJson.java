package dev.agentmesh.review;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The canonical JSON form: the artifact as Jackson writes it, as a tree whose object keys are
 * sorted by UTF-16 code units (as in RFC 8785), arrays in their order, written without any
 * insignificant whitespace, strings with only JSON's required escapes, UTF-8 encoded.
 */
final class CanonicalJson {

  static final JsonMapper MAPPER =
      JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

  private CanonicalJson() {}

  /** The canonical envelope {@code {"artifact":{...},"type":"name"}}. */
  static String write(String type, Object artifact) {
    try {
      ObjectNode envelope = JsonNodeFactory.instance.objectNode();
      envelope.set("artifact", MAPPER.valueToTree(artifact));
      envelope.put("type", type);
      return MAPPER.writeValueAsString(sorted(envelope));
    } catch (JacksonException e) {
      throw new ReviewException(
          "Cannot write the '"
              + type
              + "' artifact as JSON: "
              + e.getOriginalMessage()
              + ". Artifact types must be Jackson-serializable values.",
          e);
    }
  }

  static JsonNode sorted(JsonNode node) {
    if (node instanceof ObjectNode object) {
      List<Map.Entry<String, JsonNode>> entries = new ArrayList<>(object.properties());
      entries.sort(Map.Entry.comparingByKey());
      ObjectNode copy = JsonNodeFactory.instance.objectNode();
      entries.forEach(e -> copy.set(e.getKey(), sorted(e.getValue())));
      return copy;
    }
    if (node instanceof ArrayNode array) {
      ArrayNode copy = JsonNodeFactory.instance.arrayNode();
      array.forEach(element -> copy.add(sorted(element)));
      return copy;
    }
    return node;
  }

  static ContentHash sha256(String canonical) {
    return new ContentHash(HexFormat.of().formatHex(Sha256.of(canonical)));
  }
}
