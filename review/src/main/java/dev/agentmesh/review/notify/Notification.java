package dev.agentmesh.review.notify;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What to tell people: a kind, recipients, a title, the artifact's surfaces where relevant, links
 * the host supplies (open, approve, reject) and provenance ids. It never carries secrets. Its
 * {@link #id()} is stable across retries, so channels use it as an idempotency key (the webhook's
 * {@code webhook-id}).
 *
 * <pre>{@code
 * Notification n = Notification.builder(Notification.Kind.REVIEW_REQUESTED, "req-7:requested")
 *     .title("Release notes for 4.2 need review")
 *     .recipient(Recipient.group("release-approvers"))
 *     .surfaces(RenderedSurfaces.of(types, document))
 *     .link(Notification.LinkRel.OPEN, URI.create("https://review.example.com/a/7"))
 *     .provenance(new Provenance("art-7", types.contentHash(document), "sess-3", "release-notes", "low"))
 *     .build();
 * }</pre>
 */
public final class Notification {

  /** What happened. */
  public enum Kind {
    /** An artifact waits for review. */
    REVIEW_REQUESTED,
    /** A reviewer approved or rejected. */
    DECIDED,
    /** A review expired undecided. */
    EXPIRED,
    /** A review was escalated. */
    ESCALATED,
    /** A session failed. */
    SESSION_FAILED,
    /** Several notifications gathered into one. */
    DIGEST,
    /**
     * An agent's output delivered to people, such as a daily priority list; the host sends it
     * (through {@link Deliveries}) when the session that made the output completes.
     */
    OUTPUT_DELIVERED;

    /**
     * The wire name, e.g. {@code review.requested}: used as the webhook event type.
     *
     * @return the wire name
     */
    public String wireName() {
      return switch (this) {
        case REVIEW_REQUESTED -> "review.requested";
        case DECIDED -> "review.decided";
        case EXPIRED -> "review.expired";
        case ESCALATED -> "review.escalated";
        case SESSION_FAILED -> "session.failed";
        case DIGEST -> "review.digest";
        case OUTPUT_DELIVERED -> "output.delivered";
      };
    }
  }

  /** What a link does. */
  public enum LinkRel {
    /** Opens the review. */
    OPEN,
    /** Approves. */
    APPROVE,
    /** Rejects. */
    REJECT;

    String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private final Kind kind;
  private final String id;
  private final String title;
  private final List<Recipient> recipients;
  private final @Nullable RenderedSurfaces surfaces;
  private final Map<LinkRel, URI> links;
  private final Provenance provenance;
  private final List<Notification> items;

  private Notification(Builder b) {
    this.kind = b.kind;
    this.id = b.id;
    this.title = Objects.requireNonNull(b.title, "title: call title(...) before build()");
    this.recipients = List.copyOf(b.recipients);
    this.surfaces = b.surfaces;
    this.links = Map.copyOf(b.links);
    this.provenance = b.provenance;
    this.items = List.copyOf(b.items);
    if (kind == Kind.DIGEST && items.isEmpty()) {
      throw new IllegalArgumentException(
          "a digest notification needs at least one item but had none (id '"
              + NotifyText.visible(id, 80)
              + "')");
    }
  }

  /**
   * A builder for a notification of this kind.
   *
   * @param kind what happened
   * @param id stable across retries of the same notification
   * @return a new builder
   */
  public static Builder builder(Kind kind, String id) {
    return new Builder(kind, id);
  }

  /** {@return what happened} */
  public Kind kind() {
    return kind;
  }

  /**
   * {@return the id, stable across retries of the same notification; the idempotency key of every
   * channel}
   */
  public String id() {
    return id;
  }

  /** {@return the title, one line as the host wrote it; channels make it inert for their format} */
  public String title() {
    return title;
  }

  /** {@return who it is addressed to} */
  public List<Recipient> recipients() {
    return recipients;
  }

  /** {@return the artifact's surfaces, if this notification is about an artifact} */
  public @Nullable RenderedSurfaces surfaces() {
    return surfaces;
  }

  /**
   * Links the host supplied, by what they do.
   *
   * @return the links, by rel
   */
  public Map<LinkRel, URI> links() {
    return links;
  }

  /** {@return where the notification came from} */
  public Provenance provenance() {
    return provenance;
  }

  /**
   * {@return the gathered notifications: for a {@link Kind#DIGEST}, the notifications it gathers,
   * in order; otherwise empty}
   */
  public List<Notification> items() {
    return items;
  }

  /**
   * A copy addressed to {@code recipients} only.
   *
   * @param recipients the recipients
   * @return the copy
   */
  public Notification withRecipients(List<Recipient> recipients) {
    Builder b = toBuilder();
    b.recipients.clear();
    b.recipients.addAll(recipients);
    return b.build();
  }

  private Builder toBuilder() {
    Builder b = new Builder(kind, id).title(title).provenance(provenance);
    b.recipients.addAll(recipients);
    b.surfaces = surfaces;
    b.links.putAll(links);
    b.items.addAll(items);
    return b;
  }

  @Override
  public String toString() {
    return "Notification{"
        + kind.wireName()
        + " "
        + NotifyText.visible(id, 80)
        + " '"
        + NotifyText.visible(title, 80)
        + "' to "
        + recipients.size()
        + "}";
  }

  /** Builds a {@link Notification}; {@link #title} is required. */
  public static final class Builder {
    private final Kind kind;
    private final String id;
    private @Nullable String title;
    private final List<Recipient> recipients = new ArrayList<>();
    private @Nullable RenderedSurfaces surfaces;
    private final Map<LinkRel, URI> links = new LinkedHashMap<>();
    private Provenance provenance = Provenance.NONE;
    private final List<Notification> items = new ArrayList<>();

    private Builder(Kind kind, String id) {
      this.kind = Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(id, "id");
      if (id.isBlank() || id.length() > 200 || id.chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
        throw new IllegalArgumentException(
            "a notification id must be 1 to 200 printable ASCII characters without"
                + " spaces but was '"
                + NotifyText.visible(id, 80)
                + "'");
      }
      this.id = id;
    }

    /**
     * Sets the title.
     *
     * @param title one line
     * @return this builder
     */
    public Builder title(String title) {
      this.title = Objects.requireNonNull(title, "title");
      return this;
    }

    /**
     * Adds a recipient.
     *
     * @param recipient the recipient
     * @return this builder
     */
    public Builder recipient(Recipient recipient) {
      recipients.add(Objects.requireNonNull(recipient, "recipient"));
      return this;
    }

    /**
     * Adds recipients.
     *
     * @param recipients the recipients
     * @return this builder
     */
    public Builder recipients(List<Recipient> recipients) {
      recipients.forEach(this::recipient);
      return this;
    }

    /**
     * Sets the artifact's rendered surfaces.
     *
     * @param surfaces the surfaces
     * @return this builder
     */
    public Builder surfaces(RenderedSurfaces surfaces) {
      this.surfaces = Objects.requireNonNull(surfaces, "surfaces");
      return this;
    }

    /**
     * A link; only http and https links are taken, so a {@code javascript:} URL cannot reach a
     * button.
     *
     * @param rel what the link does
     * @param url an http or https URL
     * @return this builder
     */
    public Builder link(LinkRel rel, URI url) {
      String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
      if (!scheme.equals("https") && !scheme.equals("http")) {
        throw new IllegalArgumentException(
            "link "
                + rel.wireName()
                + " must be an http or https URL but was '"
                + NotifyText.visible(url.toString(), 80)
                + "'");
      }
      links.put(rel, url);
      return this;
    }

    /**
     * Sets where the notification came from.
     *
     * @param provenance the provenance
     * @return this builder
     */
    public Builder provenance(Provenance provenance) {
      this.provenance = Objects.requireNonNull(provenance, "provenance");
      return this;
    }

    /**
     * An item of a digest.
     *
     * @param item the item
     * @return this builder
     */
    public Builder item(Notification item) {
      items.add(Objects.requireNonNull(item, "item"));
      return this;
    }

    /**
     * Builds the notification.
     *
     * @return the notification
     */
    public Notification build() {
      return new Notification(this);
    }
  }
}
