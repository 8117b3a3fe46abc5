package dev.agentmesh.triggers;

import java.util.Objects;
import tools.jackson.core.JsonPointer;
import tools.jackson.databind.JsonNode;

/**
 * Which events of its topics a subscription takes: a test on an {@link Event}'s headers and payload
 * fields. The factories cover headers and payload fields found by <a
 * href="https://www.rfc-editor.org/rfc/rfc6901">JSON Pointer</a>; {@link #and}, {@link #or} and
 * {@link #negate} combine them.
 *
 * <pre>{@code
 * EventFilter paid = EventFilter.field("/plan", "pro")
 *     .and(EventFilter.header("source", "web"))
 *     .and(EventFilter.fieldPresent("/test").negate());
 * }</pre>
 *
 * <p>Contract: {@link #test} runs on the publishing thread (for a RabbitMQ source, its consumer's
 * thread) for every event of the subscription's topics, so it is quick, has no side effects and
 * does not throw: an exception fails the publish like a store failure (a RabbitMQ message goes back
 * to its queue and comes again). Thread-safe: it is called from many threads at once.
 */
@FunctionalInterface
public interface EventFilter {

  /**
   * Whether the subscription takes this event.
   *
   * @param event an event on one of the subscription's topics
   * @return true to start a session for it
   */
  boolean test(Event event);

  /** {@return a filter that takes every event} */
  static EventFilter any() {
    return event -> true;
  }

  /**
   * Events whose header {@code name} is exactly {@code value}.
   *
   * @param name the header's name (compared exactly)
   * @param value the value it must have
   * @return the filter
   */
  static EventFilter header(String name, String value) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(value, "value");
    return event -> value.equals(event.headers().get(name));
  }

  /**
   * Events that carry header {@code name}, with any value.
   *
   * @param name the header's name (compared exactly)
   * @return the filter
   */
  static EventFilter hasHeader(String name) {
    Objects.requireNonNull(name, "name");
    return event -> event.headers().containsKey(name);
  }

  /**
   * Events whose payload holds {@code value} at {@code pointer}. Numbers compare by value ({@code
   * 1} equals {@code 1.0}); other values as JSON.
   *
   * @param pointer a JSON Pointer into the payload, such as {@code /customer/plan}
   * @param value the value: text, a number, a boolean, or anything that maps to JSON
   * @return the filter
   * @throws IllegalArgumentException if {@code pointer} is not a JSON Pointer
   */
  static EventFilter field(String pointer, Object value) {
    JsonPointer at = EventFilters.pointer(pointer);
    JsonNode expected = Event.JSON.valueToTree(Objects.requireNonNull(value, "value"));
    return event -> EventFilters.sameJson(event.payload().at(at), expected);
  }

  /**
   * Events whose payload has a value (JSON {@code null} included) at {@code pointer}.
   *
   * @param pointer a JSON Pointer into the payload
   * @return the filter
   * @throws IllegalArgumentException if {@code pointer} is not a JSON Pointer
   */
  static EventFilter fieldPresent(String pointer) {
    JsonPointer at = EventFilters.pointer(pointer);
    return event -> !event.payload().at(at).isMissingNode();
  }

  /**
   * Events both filters take.
   *
   * @param other the other filter
   * @return the combined filter
   */
  default EventFilter and(EventFilter other) {
    Objects.requireNonNull(other, "other");
    return event -> test(event) && other.test(event);
  }

  /**
   * Events either filter takes.
   *
   * @param other the other filter
   * @return the combined filter
   */
  default EventFilter or(EventFilter other) {
    Objects.requireNonNull(other, "other");
    return event -> test(event) || other.test(event);
  }

  /** {@return a filter that takes the events this one does not} */
  default EventFilter negate() {
    return event -> !test(event);
  }
}
