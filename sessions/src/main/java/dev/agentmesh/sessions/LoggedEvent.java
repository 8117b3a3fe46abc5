package dev.agentmesh.sessions;

import java.util.Objects;

/**
 * A {@link SessionEvent} with its place in a session's log.
 *
 * <pre>{@code
 * session.events(logged -> log.info("{} {}", logged.version(), logged.event().type()));
 * }</pre>
 *
 * @param sessionId the session
 * @param version the event's 1-based position in the log
 * @param event the event
 */
public record LoggedEvent(String sessionId, long version, SessionEvent event) {
  /**
   * Checks that the session id and event are present.
   *
   * @param sessionId the session
   * @param version the event's 1-based position in the log
   * @param event the event
   */
  public LoggedEvent {
    Objects.requireNonNull(sessionId, "sessionId");
    Objects.requireNonNull(event, "event");
  }
}
