package dev.agentmesh.sessions;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import tools.jackson.databind.JsonNode;

/**
 * A durable timer: at {@code due}, the handler registered for {@code kind} fires for the session,
 * once across all nodes sharing the store, also after restarts. Scheduled with {@link
 * Session#schedule}; a session has at most one timer per name (scheduling a name again replaces
 * it).
 *
 * <pre>{@code
 * Timer expiry = session.schedule("review-expiry", "review.expiry", decideBy,
 *     Map.of("review", "r-7"));
 * session.cancelTimer("review-expiry"); // the reviewer decided in time
 * }</pre>
 *
 * @param sessionId the session the timer belongs to
 * @param name the timer's name within the session: non-blank, without '#'
 * @param kind which {@link TimerHandler} fires it, such as {@code review.expiry}
 * @param due when it fires, by the {@code Sessions} clock (microsecond precision)
 * @param payload what the handler receives
 */
public record Timer(String sessionId, String name, String kind, Instant due, JsonNode payload) {

  /**
   * Checks the components are present and the name has no '#'; truncates {@code due} to
   * microseconds, the precision every store keeps.
   *
   * @param sessionId the session the timer belongs to
   * @param name the timer's name within the session
   * @param kind which handler fires it
   * @param due when it fires
   * @param payload what the handler receives
   */
  public Timer {
    Objects.requireNonNull(sessionId, "sessionId");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(due, "due");
    Objects.requireNonNull(payload, "payload");
    if (name.isBlank() || name.indexOf('#') >= 0) {
      throw new IllegalArgumentException(
          "A timer's name must be non-blank text without '#' but "
              + "was '"
              + name
              + "' (session '"
              + sessionId
              + "')");
    }
    if (kind.isBlank()) {
      throw new IllegalArgumentException(
          "A timer's kind must not be blank (timer '"
              + name
              + "' of session '"
              + sessionId
              + "'); name the handler, such as 'review.expiry'");
    }
    due = due.truncatedTo(ChronoUnit.MICROS);
  }
}
