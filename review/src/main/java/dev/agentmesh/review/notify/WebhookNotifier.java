package dev.agentmesh.review.notify;

import dev.agentmesh.core.internal.crypto.WebhookCrypto;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import tools.jackson.databind.node.ObjectNode;

/**
 * POSTs each notification as JSON to one URL, signed the Standard Webhooks way: headers {@code
 * webhook-id} (the notification's id, the same on every retry), {@code webhook-timestamp} (seconds)
 * and {@code webhook-signature} ({@code v1,<base64 HMAC-SHA256 of id.timestamp.body>} keyed by the
 * {@code whsec_} secret). A 2xx answer is success; 408, 429 and 5xx throw a retryable {@link
 * NotificationException}, other answers a final one. The body:
 *
 * <pre>{@code
 * {"type": "review.requested", "timestamp": "2026-11-29T10:00:00Z",
 *  "data": {"id": "...", "title": "...", "recipients": [{"type": "group", "id": "..."}],
 *           "provenance": {"artifactId": "...", "contentHash": "sha256:...", "sessionId": "...",
 *                          "agent": "...", "risk": "..."},
 *           "links": {"open": "https://..."},
 *           "surfaces": {"text": "...", "markdown": "...", "html": "..."},
 *           "items": [ ...the same shape, for digests... ]}}
 * }</pre>
 *
 * <p>Absent fields are left out. Example:
 *
 * <pre>{@code
 * WebhookNotifier webhook = WebhookNotifier.builder(URI.create("https://hooks.example.com/agentmesh"))
 *     .secret(System.getenv("AGENTMESH_WEBHOOK_SECRET")) // "whsec_..."
 *     .build();
 * }</pre>
 */
public final class WebhookNotifier implements Notifier {

  private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");

  private final URI url;
  private final byte[] key;
  private final OkHttpClient client;
  private final Clock clock;

  private WebhookNotifier(Builder b) {
    this.url = b.url;
    this.key = b.key.clone();
    this.clock = b.clock;
    this.client = b.client.newBuilder().callTimeout(b.timeout).followRedirects(false).build();
  }

  /**
   * A builder posting to {@code url}.
   *
   * @param url the receiver's URL
   * @return a new builder
   */
  public static Builder builder(URI url) {
    return new Builder(url);
  }

  @Override
  public void deliver(Notification notification) {
    byte[] body = body(notification).getBytes(StandardCharsets.UTF_8);
    String id = notification.id();
    String timestamp = String.valueOf(clock.instant().getEpochSecond());
    String signature = WebhookCrypto.standardWebhooksSignature(key, id, timestamp, body);
    Request request =
        new Request.Builder()
            .url(url.toString())
            .header("webhook-id", id)
            .header("webhook-timestamp", timestamp)
            .header("webhook-signature", signature)
            .post(RequestBody.create(body, JSON))
            .build();
    Http.send(client, request, "webhook " + Http.redacted(url));
  }

  String body(Notification notification) {
    ObjectNode root = Http.MAPPER.createObjectNode();
    root.put("type", notification.kind().wireName());
    root.put("timestamp", clock.instant().toString());
    root.set("data", data(notification));
    return Http.MAPPER.writeValueAsString(root);
  }

  private static ObjectNode data(Notification n) {
    ObjectNode data = Http.MAPPER.createObjectNode();
    data.put("id", n.id());
    data.put("title", n.title());
    var recipients = data.putArray("recipients");
    n.recipients()
        .forEach(
            r ->
                recipients
                    .addObject()
                    .put("type", r.type().name().toLowerCase(java.util.Locale.ROOT))
                    .put("id", r.id()));
    ObjectNode provenance = data.putObject("provenance");
    Provenance p = n.provenance();
    putIfPresent(provenance, "artifactId", p.artifactId());
    putIfPresent(
        provenance, "contentHash", p.contentHash() == null ? null : p.contentHash().toString());
    putIfPresent(provenance, "sessionId", p.sessionId());
    putIfPresent(provenance, "agent", p.agent());
    putIfPresent(provenance, "risk", p.risk());
    ObjectNode links = data.putObject("links");
    n.links().forEach((rel, uri) -> links.put(rel.wireName(), uri.toString()));
    RenderedSurfaces s = n.surfaces();
    if (s != null) {
      data.putObject("surfaces")
          .put("text", s.text())
          .put("markdown", s.markdown())
          .put("html", s.html());
    }
    if (!n.items().isEmpty()) {
      var items = data.putArray("items");
      n.items().forEach(item -> items.add(data(item)));
    }
    return data;
  }

  private static void putIfPresent(
      ObjectNode node, String field, @org.jspecify.annotations.Nullable String value) {
    if (value != null) {
      node.put(field, value);
    }
  }

  @Override
  public String toString() {
    return "WebhookNotifier{" + Http.redacted(url) + "}";
  }

  /** Builds a {@link WebhookNotifier}; {@link #secret} is required. */
  public static final class Builder {
    private final URI url;
    private byte[] key = new byte[0];
    private OkHttpClient client = Http.DEFAULT_CLIENT;
    private Clock clock = Clock.systemUTC();
    private Duration timeout = Duration.ofSeconds(10);

    private Builder(URI url) {
      this.url = Http.checkUrl(url, "webhook url");
    }

    /**
     * The signing secret: {@code whsec_} and base64, as Standard Webhooks issues them.
     *
     * @param secret the secret
     * @return this builder
     */
    public Builder secret(String secret) {
      Objects.requireNonNull(secret, "secret");
      if (!WebhookCrypto.hasWhsecPrefix(secret)) {
        throw new IllegalArgumentException(
            "a webhook secret must start with 'whsec_' followed by base64 but starts "
                + "with '"
                + NotifyText.visible(secret.substring(0, Math.min(3, secret.length())), 10)
                + "...'");
      }
      byte[] decoded = WebhookCrypto.whsecKey(secret);
      if (decoded == null) {
        throw new IllegalArgumentException(
            "a webhook secret must be 'whsec_' followed by base64; the part after"
                + " 'whsec_' is not base64 (the secret is not shown)");
      }
      if (decoded.length < 16) {
        throw new IllegalArgumentException(
            "a webhook secret must hold at least 16 bytes but holds " + decoded.length);
      }
      this.key = decoded;
      return this;
    }

    /**
     * The client to share (its connection pool and dispatcher); a call timeout is added.
     *
     * @param client the client
     * @return this builder
     */
    public Builder client(OkHttpClient client) {
      this.client = Objects.requireNonNull(client, "client");
      return this;
    }

    /**
     * Sets the clock that stamps signatures.
     *
     * @param clock the clock
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * The whole call's timeout (default 10 s): a slow receiver fails the attempt, which is retried.
     *
     * @param timeout the timeout
     * @return this builder
     */
    public Builder timeout(Duration timeout) {
      this.timeout = Http.checkTimeout(timeout);
      return this;
    }

    /**
     * Builds the notifier; a secret must be set.
     *
     * @return the notifier
     */
    public WebhookNotifier build() {
      if (key.length == 0) {
        throw new IllegalStateException(
            "WebhookNotifier needs a signing secret: call secret(\"whsec_...\")");
      }
      return new WebhookNotifier(this);
    }
  }
}
