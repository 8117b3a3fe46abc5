package dev.agentmesh.examples.springboot;

import dev.agentmesh.review.OutboundMessage;
import dev.agentmesh.review.Publication;
import dev.agentmesh.review.PublishHandler;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Where approved replies go: a stand-in for the mail service, which keeps each message once per
 * idempotency key (as a mail API that dedups by it would) and lists what it sent at {@code GET
 * /outbox}.
 *
 * <pre>{@code
 * Reviews.builder(mesh).publisher("outbound-message", outbox);
 * }</pre>
 */
@Component
public class Outbox implements PublishHandler {

  private static final Logger LOG = LoggerFactory.getLogger(Outbox.class);

  private final Map<String, Sent> sent = new LinkedHashMap<>();

  /**
   * One sent message.
   *
   * @param key the approval's idempotency key
   * @param to the recipients
   * @param subject the subject
   * @param body the text
   */
  public record Sent(String key, List<String> to, String subject, String body) {}

  @Override
  public synchronized Object publish(Publication publication) {
    OutboundMessage message = (OutboundMessage) publication.artifact();
    String key = publication.idempotencyKey();
    sent.computeIfAbsent(key, k -> new Sent(k, message.to(), message.subject(), message.body()));
    LOG.info("Sent '{}' to {} (key {})", message.subject(), message.to(), key);
    return Map.of("to", message.to());
  }

  @Override
  public boolean honoursIdempotencyKey() {
    return true;
  }

  /**
   * What was sent, oldest first.
   *
   * @return the sent messages
   */
  public synchronized List<Sent> sent() {
    return List.copyOf(new ArrayList<>(sent.values()));
  }
}
