package dev.agentmesh.triggers;

import dev.agentmesh.core.AgentMeshException;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * An event that can never start a session: its payload is not JSON, it has no usable id, its
 * payload does not map to the agent's input, or the input fails the agent's input schema. Trying
 * again cannot help, so a RabbitMQ source dead-letters such a message with {@link #reason()} in a
 * header instead of putting it back. No session was started for the event.
 *
 * <pre>{@code
 * try {
 *   bus.publish(event);
 * } catch (EventRejectedException e) {
 *   e.reason();       // Reason.INPUT_SCHEMA
 *   e.subscription(); // "signup-enrichment"
 * }
 * }</pre>
 *
 * <p>The message says what was expected and what was found, never a payload's values.
 */
public final class EventRejectedException extends AgentMeshException {

  private static final long serialVersionUID = 1L;

  /** Why an event was rejected. */
  public enum Reason {
    /** The message body is not JSON. */
    NOT_JSON,
    /** The message has no usable id, and ids are not derived from bodies. */
    NO_MESSAGE_ID,
    /** The payload does not map to the agent's input (a required pointer finds nothing). */
    INPUT_MAPPING,
    /** The mapped input fails the agent's input schema. */
    INPUT_SCHEMA;

    /**
     * {@return the reason as it appears in a dead letter's header, such as {@code input-schema}}
     */
    public String code() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
  }

  /** Why the event was rejected. */
  private final Reason reason;

  /** The subscription whose input failed, or null. */
  private final @Nullable String subscription;

  EventRejectedException(Reason reason, @Nullable String subscription, String message) {
    super(message);
    this.reason = reason;
    this.subscription = subscription;
  }

  /** {@return why the event was rejected} */
  public Reason reason() {
    return reason;
  }

  /** {@return the subscription whose input failed; null when the event itself was unusable} */
  public @Nullable String subscription() {
    return subscription;
  }
}
