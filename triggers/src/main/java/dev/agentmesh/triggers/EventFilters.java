package dev.agentmesh.triggers;

import tools.jackson.core.JsonPointer;
import tools.jackson.databind.JsonNode;

/** What {@link EventFilter}'s factories share. */
final class EventFilters {

  private EventFilters() {}

  static JsonPointer pointer(String pointer) {
    try {
      return JsonPointer.compile(pointer);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "Expected a JSON Pointer (RFC 6901) such as '/customer/plan' but found '"
              + pointer
              + "'. Fix: start it with '/', write '~1' for '/' and '~0' for '~' in a name",
          e);
    }
  }

  static boolean sameJson(JsonNode found, JsonNode expected) {
    if (found.isNumber() && expected.isNumber()) {
      return found.decimalValue().compareTo(expected.decimalValue()) == 0;
    }
    return found.equals(expected);
  }
}
