package dev.agentmesh.triggers;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.LongString;
import dev.agentmesh.core.internal.crypto.WebhookCrypto;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/** How a RabbitMQ message becomes an {@link Event}, or why it cannot. */
final class RabbitMqMessages {

  private RabbitMqMessages() {}

  /**
   * The message as an event: its message id (or the SHA-256 of its body), its routing key (or the
   * source's topic, or the queue's name), its headers as text, its body as JSON.
   *
   * @throws EventRejectedException if it has no usable id under REJECT, or its body is not JSON
   */
  static Event event(
      RabbitMqSource source, Envelope envelope, AMQP.BasicProperties properties, byte[] body) {
    String id = properties.getMessageId();
    if (id == null || id.isBlank() || id.indexOf('\0') >= 0 || id.length() > Event.MAX_ID_LENGTH) {
      if (source.missingMessageId == RabbitMqSource.MissingMessageId.REJECT) {
        throw new EventRejectedException(
            EventRejectedException.Reason.NO_MESSAGE_ID,
            null,
            "A message of queue '"
                + source.queue
                + "' has no usable message id (property message_id "
                + (id == null ? "unset" : "blank, too long or holding U+0000")
                + "), which deduplicates its redeliveries. Fix: set one when publishing"
                + " (BasicProperties.messageId), or derive ids from bodies with"
                + " missingMessageId(DERIVE_FROM_BODY)");
      }
      id = "sha256:" + WebhookCrypto.hex(Jitter.sha256(body));
    }
    return new Event(topic(source, envelope), id, headers(properties), payload(source, id, body));
  }

  private static String topic(RabbitMqSource source, Envelope envelope) {
    if (source.topic != null) {
      return source.topic;
    }
    String key = envelope.getRoutingKey();
    boolean usable = key != null && !key.isBlank() && key.indexOf('\0') < 0;
    return usable ? key : source.queue;
  }

  private static JsonNode payload(RabbitMqSource source, String id, byte[] body) {
    try {
      JsonNode node = Event.JSON.readTree(body);
      if (node != null && !node.isMissingNode()) {
        return node;
      }
      throw notJson(source, id, body, "it is empty");
    } catch (JacksonException e) {
      String at =
          e.getLocation() == null
              ? "it does not parse"
              : "it stops parsing at line "
                  + e.getLocation().getLineNr()
                  + ", column "
                  + e.getLocation().getColumnNr();
      throw notJson(source, id, body, at);
    }
  }

  private static EventRejectedException notJson(
      RabbitMqSource source, String id, byte[] body, String why) {
    return new EventRejectedException(
        EventRejectedException.Reason.NOT_JSON,
        null,
        "The body of message '"
            + EventBus.shown(id)
            + "' of queue '"
            + source.queue
            + "' ("
            + body.length
            + " bytes) is not JSON: "
            + why
            + ". Fix: publish a JSON document (UTF-8)");
  }

  private static Map<String, String> headers(AMQP.BasicProperties properties) {
    Map<String, Object> table = properties.getHeaders();
    if (table == null) {
      return Map.of();
    }
    Map<String, String> out = new LinkedHashMap<>();
    table.forEach(
        (name, value) -> {
          if (value instanceof LongString || value instanceof String || value instanceof Number) {
            out.put(name, value.toString());
          } else if (value instanceof Boolean) {
            out.put(name, value.toString());
          }
        });
    return out;
  }
}
