package dev.agentmesh.review.notify;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Posts each notification to a Slack incoming webhook as a Block Kit message: the title, the
 * artifact's Markdown surface (cut to Slack's 3000-character section limit) and buttons. Every
 * piece of text has Slack's specials escaped ({@code &}, {@code <}, {@code >}), so {@code
 * <!channel>}, {@code <@U123>} and {@code <https://evil|text>} in an artifact stay inert. For a
 * review request with an artifact id and content hash, Approve and Reject buttons carry {@code
 * <artifact id> <content hash>} to {@link SlackInteractions}; an Open button links to the host's
 * page. The webhook URL is a secret: it never appears in messages or logs.
 *
 * <pre>{@code
 * SlackNotifier slack = SlackNotifier.builder(URI.create(System.getenv("SLACK_WEBHOOK_URL"))).build();
 * }</pre>
 */
public final class SlackNotifier implements Notifier {

  /** The {@code action_id} of the Approve button. */
  public static final String APPROVE_ACTION = "agentmesh.approve";

  /** The {@code action_id} of the Reject button. */
  public static final String REJECT_ACTION = "agentmesh.reject";

  private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");
  private static final int SECTION_LIMIT = 3000;

  private final URI webhook;
  private final OkHttpClient client;

  private SlackNotifier(Builder b) {
    this.webhook = b.webhook;
    this.client = b.client.newBuilder().callTimeout(b.timeout).followRedirects(false).build();
  }

  /**
   * A builder posting to a Slack incoming webhook.
   *
   * @param incomingWebhook the webhook's URL
   * @return a new builder
   */
  public static Builder builder(URI incomingWebhook) {
    return new Builder(incomingWebhook);
  }

  @Override
  public void deliver(Notification notification) {
    Request request =
        new Request.Builder()
            .url(webhook.toString())
            .post(RequestBody.create(message(notification), JSON))
            .build();
    Http.send(client, request, "Slack incoming webhook " + Http.redacted(webhook));
  }

  /** The Block Kit JSON for {@code n}. */
  static String message(Notification n) {
    ObjectNode root = Http.MAPPER.createObjectNode();
    String title = NotifyText.slack(NotifyText.visible(n.title(), 150));
    root.put("text", title);
    ArrayNode blocks = root.putArray("blocks");
    section(blocks, "*" + title + "*");
    RenderedSurfaces surfaces = n.surfaces();
    if (surfaces != null) {
      section(blocks, NotifyText.truncate(NotifyText.slack(surfaces.markdown()), SECTION_LIMIT));
    }
    for (Notification item : n.items()) {
      section(blocks, "\u2022 " + NotifyText.slack(NotifyText.visible(item.title(), 150)));
    }
    ArrayNode buttons = Http.MAPPER.createArrayNode();
    Provenance p = n.provenance();
    if (n.kind() == Notification.Kind.REVIEW_REQUESTED
        && p.artifactId() != null
        && p.contentHash() != null) {
      String value = p.artifactId() + " " + p.contentHash();
      button(buttons, "Approve", APPROVE_ACTION, "primary").put("value", value);
      button(buttons, "Reject", REJECT_ACTION, "danger").put("value", value);
    }
    URI open = n.links().get(Notification.LinkRel.OPEN);
    if (open != null) {
      button(buttons, "Open", "agentmesh.open", null).put("url", open.toString());
    }
    if (!buttons.isEmpty()) {
      blocks.addObject().put("type", "actions").set("elements", buttons);
    }
    context(blocks, p);
    return Http.MAPPER.writeValueAsString(root);
  }

  private static void section(ArrayNode blocks, String mrkdwn) {
    blocks
        .addObject()
        .put("type", "section")
        .putObject("text")
        .put("type", "mrkdwn")
        .put("text", mrkdwn);
  }

  private static ObjectNode button(
      ArrayNode buttons,
      String label,
      String actionId,
      @org.jspecify.annotations.Nullable String style) {
    ObjectNode button = buttons.addObject().put("type", "button").put("action_id", actionId);
    button.putObject("text").put("type", "plain_text").put("text", label);
    if (style != null) {
      button.put("style", style);
    }
    return button;
  }

  private static void context(ArrayNode blocks, Provenance p) {
    StringBuilder ids = new StringBuilder();
    append(ids, "artifact", p.artifactId());
    append(ids, "hash", p.contentHash() == null ? null : p.contentHash().toString());
    append(ids, "session", p.sessionId());
    append(ids, "agent", p.agent());
    append(ids, "risk", p.risk());
    if (ids.length() > 0) {
      blocks
          .addObject()
          .put("type", "context")
          .putArray("elements")
          .addObject()
          .put("type", "mrkdwn")
          .put("text", NotifyText.slack(ids.toString()));
    }
  }

  private static void append(
      StringBuilder out, String label, @org.jspecify.annotations.Nullable String value) {
    if (value != null) {
      out.append(out.length() == 0 ? "" : " \u00b7 ")
          .append(label)
          .append(' ')
          .append(NotifyText.visible(value, 100));
    }
  }

  @Override
  public String toString() {
    return "SlackNotifier{" + Http.redacted(webhook) + "}";
  }

  /** Builds a {@link SlackNotifier}. */
  public static final class Builder {
    private final URI webhook;
    private OkHttpClient client = Http.DEFAULT_CLIENT;
    private Duration timeout = Duration.ofSeconds(10);

    private Builder(URI webhook) {
      this.webhook =
          Http.checkUrl(Objects.requireNonNull(webhook, "webhook"), "Slack incoming webhook URL");
    }

    /**
     * Sets the client to share (its connection pool and dispatcher).
     *
     * @param client the client
     * @return this builder
     */
    public Builder client(OkHttpClient client) {
      this.client = Objects.requireNonNull(client, "client");
      return this;
    }

    /**
     * The whole call's timeout (default 10 s).
     *
     * @param timeout the timeout
     * @return this builder
     */
    public Builder timeout(Duration timeout) {
      this.timeout = Http.checkTimeout(timeout);
      return this;
    }

    /**
     * Builds the notifier.
     *
     * @return the notifier
     */
    public SlackNotifier build() {
      return new SlackNotifier(this);
    }
  }
}
