package dev.agentmesh.review.notify;

import java.util.Objects;

/**
 * Who a notification is for, as the host names them: a reviewer id, a group, a channel (a Slack
 * channel, a webhook audience) or an e-mail address. Each notifier uses the kinds it understands
 * and maps the others through the host's directory.
 *
 * <pre>{@code
 * List<Recipient> to = List.of(Recipient.reviewer("u-42"), Recipient.group("finance-approvers"));
 * }</pre>
 *
 * @param type what {@code id} names
 * @param id the host's identifier; no line breaks or control characters
 */
public record Recipient(Type type, String id) {

  /** What a recipient id names. */
  public enum Type {
    /** A reviewer, by the host's id. */
    REVIEWER,
    /** A group of reviewers. */
    GROUP,
    /** A channel, such as a Slack channel. */
    CHANNEL,
    /** An e-mail address. */
    EMAIL
  }

  /**
   * Checks the id is non-blank and has no control characters.
   *
   * @param type what {@code id} names
   * @param id the host's identifier; no line breaks or control characters
   */
  public Recipient {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(id, "id");
    if (id.isBlank() || id.chars().anyMatch(Character::isISOControl)) {
      throw new IllegalArgumentException(
          "a recipient id must be non-blank without control characters but was '"
              + NotifyText.visible(id, 80)
              + "'");
    }
  }

  /**
   * A reviewer, by the host's id.
   *
   * @param id the reviewer's id
   * @return the recipient
   */
  public static Recipient reviewer(String id) {
    return new Recipient(Type.REVIEWER, id);
  }

  /**
   * A group of reviewers.
   *
   * @param id the group's id
   * @return the recipient
   */
  public static Recipient group(String id) {
    return new Recipient(Type.GROUP, id);
  }

  /**
   * A channel, such as a Slack channel.
   *
   * @param id the channel's id
   * @return the recipient
   */
  public static Recipient channel(String id) {
    return new Recipient(Type.CHANNEL, id);
  }

  /**
   * An e-mail address.
   *
   * @param address the address
   * @return the recipient
   */
  public static Recipient email(String address) {
    return new Recipient(Type.EMAIL, address);
  }

  @Override
  public String toString() {
    return type.name().toLowerCase(java.util.Locale.ROOT) + ":" + id;
  }
}
