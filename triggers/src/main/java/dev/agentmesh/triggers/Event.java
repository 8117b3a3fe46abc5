package dev.agentmesh.triggers;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One event on an {@link EventBus}: its topic, an id that is unique per event (a broker's message
 * id, an id the publisher chose), headers, and a JSON payload.
 *
 * <pre>{@code
 * Event signup = Event.of("signups.eu", "msg-81f3", Map.of("email", "ana@example.com"))
 *     .withHeader("source", "web");
 * }</pre>
 *
 * <p>The id is what deduplicates: publishing an event again with the same id (a redelivery) starts
 * no second session for a subscription. The payload is copied when the event is made; do not change
 * the node {@link #payload()} returns.
 *
 * @param topic where it was published, words separated by dots ({@code signups.eu}); at most 255
 *     characters
 * @param id the event's id: non-blank, at most {@value #MAX_ID_LENGTH} characters, without U+0000
 * @param headers header names to values (names are compared exactly, as AMQP does)
 * @param payload the event's JSON payload
 */
public record Event(String topic, String id, Map<String, String> headers, JsonNode payload) {

  /** The longest event id accepted. */
  public static final int MAX_ID_LENGTH = 1024;

  /** The longest topic accepted (an AMQP routing key's limit). */
  public static final int MAX_TOPIC_LENGTH = 255;

  static final JsonMapper JSON = JsonMapper.builder().build();

  /**
   * Checks the topic and id, and copies the headers and the payload.
   *
   * @param topic where it was published
   * @param id the event's id
   * @param headers header names to values
   * @param payload the event's JSON payload
   * @throws IllegalArgumentException if the topic or the id is blank, too long or holds U+0000
   */
  public Event {
    Topics.checkTopic(topic);
    checkId(id);
    headers = Map.copyOf(headers);
    payload = Objects.requireNonNull(payload, "payload").deepCopy();
  }

  /**
   * An event without headers.
   *
   * @param topic where it is published
   * @param id the event's id
   * @param payload the payload: a JsonNode, a record, a map or a list
   * @return the event
   */
  public static Event of(String topic, String id, Object payload) {
    Objects.requireNonNull(payload, "payload");
    JsonNode node = payload instanceof JsonNode json ? json : JSON.valueToTree(payload);
    return new Event(topic, id, Map.of(), node);
  }

  /**
   * This event with one more header (replacing one of the same name).
   *
   * @param name the header's name
   * @param value its value
   * @return a new event
   */
  public Event withHeader(String name, String value) {
    Map<String, String> more = new LinkedHashMap<>(headers);
    more.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
    return new Event(topic, id, more, payload);
  }

  private static void checkId(String id) {
    Objects.requireNonNull(id, "id");
    if (id.isBlank() || id.length() > MAX_ID_LENGTH || id.indexOf('\0') >= 0) {
      throw new IllegalArgumentException(
          "An event id must be non-blank text of at most "
              + MAX_ID_LENGTH
              + " characters without U+0000 but had "
              + id.length()
              + " characters"
              + (id.isBlank() ? " (blank)" : "")
              + "; use the message id the producer gave, or a hash of what identifies the event");
    }
  }
}
