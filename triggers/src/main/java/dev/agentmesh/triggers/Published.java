package dev.agentmesh.triggers;

import java.util.List;
import java.util.Objects;

/**
 * What {@link EventBus#publish} did: for each subscription that took the event, the session it
 * started, or found already started for the same event id.
 *
 * <pre>{@code
 * Published published = bus.publish(event);
 * for (Published.Started s : published.sessions()) {
 *   log.info("{} -> session {} (new: {})", s.subscription(), s.sessionId(), s.created());
 * }
 * }</pre>
 *
 * @param eventId the event's id
 * @param sessions one entry per subscription that took the event, in subscription order; empty when
 *     none did
 */
public record Published(String eventId, List<Started> sessions) {

  /**
   * Copies the list.
   *
   * @param eventId the event's id
   * @param sessions one entry per subscription that took the event
   */
  public Published {
    Objects.requireNonNull(eventId, "eventId");
    sessions = List.copyOf(sessions);
  }

  /**
   * One subscription's session for the event.
   *
   * @param subscription the subscription's id
   * @param sessionId the session's id
   * @param created true when this publish created it; false when it was started before under the
   *     same event id (a redelivery)
   */
  public record Started(String subscription, String sessionId, boolean created) {}
}
