package dev.agentmesh.sessions.spi;

import java.time.Instant;
import java.util.Objects;
import tools.jackson.databind.JsonNode;

/**
 * An event as a store returns it: the appended {@link NewEvent} plus its place in the log.
 *
 * <p>Treat {@code payload} as read-only: stores and caches may hand the same node to several
 * readers.
 *
 * @param sessionId the session the event belongs to
 * @param version the 1-based position of the event in the session's log
 * @param type the event type, as appended
 * @param typeVersion the version of the type's payload shape, as appended
 * @param payload the event body, as appended (JSON object key order may differ)
 * @param at when the event happened, as appended (microsecond precision)
 */
public record StoredEvent(
    String sessionId, long version, String type, int typeVersion, JsonNode payload, Instant at) {

  /**
   * Checks the components are present and the version is at least 1.
   *
   * @param sessionId the session the event belongs to
   * @param version the 1-based position of the event in the session's log
   * @param type the event type, as appended
   * @param typeVersion the version of the type's payload shape, as appended
   * @param payload the event body, as appended (JSON object key order may differ)
   * @param at when the event happened, as appended (microsecond precision)
   */
  public StoredEvent {
    Objects.requireNonNull(sessionId, "sessionId");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(payload, "payload");
    Objects.requireNonNull(at, "at");
    if (version < 1) {
      throw new IllegalArgumentException(
          "version of an event in session '"
              + sessionId
              + "' must be at least 1 but was "
              + version);
    }
  }

  /**
   * The event at position {@code version} of {@code sessionId}.
   *
   * @param sessionId the session the event belongs to
   * @param version its position in the log, from 1
   * @param event the event as appended
   * @return the stored event
   */
  public static StoredEvent of(String sessionId, long version, NewEvent event) {
    return new StoredEvent(
        sessionId, version, event.type(), event.typeVersion(), event.payload(), event.at());
  }
}
