package dev.agentmesh.sessions.spi;

import java.util.Map;
import tools.jackson.databind.JsonNode;

/** Checks shared by the SPI values. */
final class Text {

  /** How much of a key or id an error message repeats. */
  static final int SHOWN = 80;

  private Text() {}

  static String requireNotBlank(String name, String value) {
    if (value.isBlank()) {
      throw new IllegalArgumentException(name + " must not be blank");
    }
    return requireNoNul(name, value);
  }

  static String requireNoNul(String name, String value) {
    if (value.indexOf('\0') >= 0) {
      throw new IllegalArgumentException(
          name + " must not contain U+0000 but was '" + value.replace("\0", "\\u0000") + "'");
    }
    return value;
  }

  /** {@code text} cut to {@value #SHOWN} characters, for messages. */
  static String shorten(String text) {
    return text.length() <= SHOWN ? text : text.substring(0, SHOWN) + "...";
  }

  /**
   * Whether a string or a field name in {@code node} holds U+0000: the walk every row's value
   * takes, building no pointer (only a failure names where, walking again).
   */
  static boolean hasNul(JsonNode node) {
    if (node.isString()) {
      return node.asString().indexOf('\0') >= 0;
    }
    if (node.isObject()) {
      for (Map.Entry<String, JsonNode> field : node.properties()) {
        if (field.getKey().indexOf('\0') >= 0 || hasNul(field.getValue())) {
          return true;
        }
      }
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        if (hasNul(node.get(i))) {
          return true;
        }
      }
    }
    return false;
  }

  /** Refuses U+0000 in any string or field name of {@code node}, naming where it is. */
  static void requireNoNulIn(String what, String pointer, JsonNode node) {
    if (node.isString() && node.asString().indexOf('\0') >= 0) {
      throw nulIn(what, pointer);
    }
    if (node.isObject()) {
      for (Map.Entry<String, JsonNode> field : node.properties()) {
        String child = pointer + "/" + field.getKey();
        if (field.getKey().indexOf('\0') >= 0) {
          throw nulIn(what, child);
        }
        requireNoNulIn(what, child, field.getValue());
      }
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        requireNoNulIn(what, pointer + "/" + i, node.get(i));
      }
    }
  }

  private static IllegalArgumentException nulIn(String what, String pointer) {
    return new IllegalArgumentException(
        "The "
            + what
            + " contains U+0000 at '"
            + (pointer.isEmpty() ? "/" : pointer.replace("\0", "\\u0000"))
            + "'; PostgreSQL cannot store it, so no store accepts it: remove or escape the character");
  }
}
