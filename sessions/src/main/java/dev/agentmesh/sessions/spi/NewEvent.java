package dev.agentmesh.sessions.spi;

import dev.agentmesh.sessions.internal.CheckedPayloads;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Objects;
import tools.jackson.databind.JsonNode;

/**
 * An event to append to a session's log, as the store sees it: an envelope around a JSON payload.
 * Stores never interpret {@code type}, {@code typeVersion} or {@code payload}; they keep them
 * exactly (JSON object key order aside) so the runtime can upcast old event versions.
 *
 * <pre>{@code
 * NewEvent posted = new NewEvent("message.posted", 1, json.readTree("{\"text\":\"hi\"}"), clock.instant());
 * }</pre>
 *
 * <p>{@code at} is truncated to microseconds, the precision every store keeps. Strings in the
 * payload must not contain U+0000, which PostgreSQL cannot store; all stores refuse it alike.
 *
 * @param type the event type, e.g. {@code "session.created"}; not blank
 * @param typeVersion the version of the type's payload shape, at least 1
 * @param payload the event body
 * @param at when the event happened, by the caller's clock
 */
public record NewEvent(String type, int typeVersion, JsonNode payload, Instant at) {

  /**
   * Checks the components are present, the type is not blank and its version is at least 1.
   *
   * @param type the event type, e.g. {@code "session.created"}; not blank
   * @param typeVersion the version of the type's payload shape, at least 1
   * @param payload the event body
   * @param at when the event happened, by the caller's clock
   */
  public NewEvent {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(payload, "payload");
    Objects.requireNonNull(at, "at");
    if (type.isBlank()) {
      throw new IllegalArgumentException("Event type must not be blank");
    }
    if (typeVersion < 1) {
      throw new IllegalArgumentException(
          "typeVersion of event type '" + type + "' must be at least 1 but was " + typeVersion);
    }
    Text.requireNoNul("event type", type);
    if (!CheckedPayloads.take(payload) && Text.hasNul(payload)) {
      requireNoNul(type, "", payload); // again, building the pointer it names
    }
    at = at.truncatedTo(ChronoUnit.MICROS);
  }

  private static void requireNoNul(String type, String pointer, JsonNode node) {
    if (node.isString() && node.asString().indexOf('\0') >= 0) {
      throw nulIn(type, pointer);
    }
    if (node.isObject()) {
      for (Map.Entry<String, JsonNode> field : node.properties()) {
        String child = pointer + "/" + field.getKey();
        if (field.getKey().indexOf('\0') >= 0) {
          throw nulIn(type, child);
        }
        requireNoNul(type, child, field.getValue());
      }
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        requireNoNul(type, pointer + "/" + i, node.get(i));
      }
    }
  }

  private static IllegalArgumentException nulIn(String type, String pointer) {
    return new IllegalArgumentException(
        "Payload of event type '"
            + type
            + "' contains U+0000 at '"
            + (pointer.isEmpty() ? "/" : pointer.replace("\0", "\\u0000"))
            + "'; PostgreSQL cannot store it, so no store accepts it: remove or escape the character");
  }
}
