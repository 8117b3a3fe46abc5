package dev.agentmesh.models.internal;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** The one JSON mapper of the module and small tree helpers. */
public final class Json {

  /** Immutable and thread-safe; shared by every adapter. */
  public static final JsonMapper MAPPER = JsonMapper.builder().build();

  private Json() {}

  /** A new empty object node. */
  public static ObjectNode object() {
    return JsonNodeFactory.instance.objectNode();
  }

  /** The string value of {@code node}, or {@code null} when it is missing, null or not a string. */
  public static @Nullable String string(JsonNode node) {
    return node.isString() ? node.stringValue() : null;
  }

  /** The integral value of {@code node}, or 0 when it is missing or not a number. */
  public static long count(JsonNode node) {
    return node.isNumber() ? Math.max(0, node.asLong()) : 0;
  }

  /** {@code text} cut to {@code max} characters, with a note of how much was cut. */
  public static String truncate(@Nullable String text, int max) {
    if (text == null) {
      return "";
    }
    String oneLine = text.replace('\n', ' ').replace('\r', ' ').strip();
    return oneLine.length() <= max
        ? oneLine
        : oneLine.substring(0, max) + "... (" + (oneLine.length() - max) + " more chars)";
  }
}
