package dev.agentmesh.review;

import java.util.List;
import java.util.Objects;

/**
 * A message an agent wants to send (e-mail, chat). Its surface shows it as the recipient will see
 * it, with the sender, every recipient (those outside the host's internal domains flagged
 * external), the subject and the body as inert text; unresolved template placeholders are
 * highlighted and every link is listed with its destination (a link whose text shows another
 * address than it goes to, or that is not http, https or mailto, is flagged).
 *
 * <p>Placeholders recognised: {@code {{anything}}}, {@code ${anything}}, {@code {identifier}}
 * (letters, digits, {@code _ . -}) and {@code [UPPER CASE]} (capitals, digits, {@code _} and
 * spaces, not followed by {@code (}).
 *
 * <pre>{@code
 * OutboundMessage mail = new OutboundMessage("email", "support@example.com",
 *     List.of("ana@customer.org"), List.of(), List.of(), "Your invoice", "Hi Ana, ...");
 * }</pre>
 *
 * @param channel how it is sent ({@code email}, {@code slack}, ...)
 * @param sender who it is from
 * @param to the main recipients (addresses, channels or user ids)
 * @param cc copied recipients
 * @param bcc blind-copied recipients
 * @param subject the subject (empty for chat)
 * @param body the text as the recipient receives it
 */
public record OutboundMessage(
    String channel,
    String sender,
    List<String> to,
    List<String> cc,
    List<String> bcc,
    String subject,
    String body)
    implements ReviewArtifact {

  /**
   * Checks the components and copies the address lists.
   *
   * @param channel how it is sent ({@code email}, {@code slack}, ...)
   * @param sender who it is from
   * @param to the main recipients (addresses, channels or user ids)
   * @param cc copied recipients
   * @param bcc blind-copied recipients
   * @param subject the subject (empty for chat)
   * @param body the text as the recipient receives it
   */
  public OutboundMessage {
    Objects.requireNonNull(channel, "channel");
    Objects.requireNonNull(sender, "sender");
    to = List.copyOf(to);
    cc = List.copyOf(cc);
    bcc = List.copyOf(bcc);
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(body, "body");
  }
}
