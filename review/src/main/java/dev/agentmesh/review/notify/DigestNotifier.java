package dev.agentmesh.review.notify;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Gathers review requests into one digest per recipient per interval instead of one message per
 * request. {@link Notification.Kind#REVIEW_REQUESTED} notifications are held per recipient; every
 * {@code interval} on the {@link DeliveryScheduler}'s time each recipient with pending requests
 * gets one {@link Notification.Kind#DIGEST} listing them grouped by agent and then risk, with
 * surfaces in text, Markdown and HTML. Every other kind goes straight through. Send digests through
 * a {@link Deliveries} so a failing channel is retried.
 *
 * <p>Thread-safe. Pending requests live in memory: they are lost if the process stops before the
 * next digest.
 *
 * <pre>{@code
 * DigestNotifier digests = DigestNotifier.builder(deliveries, scheduler).interval(Duration.ofHours(1)).build();
 * digests.start();
 * digests.deliver(reviewRequested); // held until the next digest
 * }</pre>
 */
public final class DigestNotifier implements Notifier {

  private final Notifier downstream;
  private final DeliveryScheduler scheduler;
  private final Duration interval;
  private final Map<Recipient, List<Notification>> pending = new LinkedHashMap<>();
  private boolean started;

  private DigestNotifier(Builder b) {
    this.downstream = b.downstream;
    this.scheduler = b.scheduler;
    this.interval = b.interval;
  }

  /**
   * Digests go to {@code downstream} (usually a {@link Deliveries}) on {@code scheduler}'s time.
   *
   * @param downstream where digests go
   * @param scheduler the scheduler that times them
   * @return a new builder
   */
  public static Builder builder(Notifier downstream, DeliveryScheduler scheduler) {
    return new Builder(downstream, scheduler);
  }

  /**
   * Schedules the first digest one interval from now; later calls do nothing.
   *
   * @return this notifier
   */
  public synchronized DigestNotifier start() {
    if (!started) {
      started = true;
      scheduler.schedule(interval, this::flushAndReschedule);
    }
    return this;
  }

  @Override
  public void deliver(Notification notification) {
    if (notification.kind() != Notification.Kind.REVIEW_REQUESTED) {
      downstream.deliver(notification);
      return;
    }
    synchronized (this) {
      for (Recipient r : notification.recipients()) {
        pending
            .computeIfAbsent(r, k -> new ArrayList<>())
            .add(notification.withRecipients(List.of(r)));
      }
    }
  }

  /** Sends the digests due now; the scheduler calls this every interval. */
  public void flush() {
    Map<Recipient, List<Notification>> due;
    synchronized (this) {
      due = new LinkedHashMap<>(pending);
      pending.clear();
    }
    Instant now = scheduler.now();
    due.forEach((recipient, items) -> downstream.deliver(digest(recipient, items, now)));
  }

  private void flushAndReschedule() {
    try {
      flush();
    } finally {
      scheduler.schedule(interval, this::flushAndReschedule);
    }
  }

  static Notification digest(Recipient recipient, List<Notification> items, Instant at) {
    Map<String, Map<String, List<Notification>>> groups = new TreeMap<>();
    for (Notification item : items) {
      Provenance p = item.provenance();
      groups
          .computeIfAbsent(p.agent() == null ? "(no agent)" : p.agent(), k -> new TreeMap<>())
          .computeIfAbsent(p.risk() == null ? "(no risk)" : p.risk(), k -> new ArrayList<>())
          .add(item);
    }
    Notification.Builder b =
        Notification.builder(
                Notification.Kind.DIGEST,
                "digest-" + recipientKey(recipient) + "-" + at.getEpochSecond())
            .title(items.size() + (items.size() == 1 ? " review" : " reviews") + " waiting")
            .recipient(recipient)
            .surfaces(surfaces(groups));
    groups.values().forEach(byRisk -> byRisk.values().forEach(list -> list.forEach(b::item)));
    return b.build();
  }

  /** 16 hex digits of the SHA-256 of the recipient: ASCII, stable, distinct in practice. */
  private static String recipientKey(Recipient recipient) {
    try {
      byte[] digest =
          java.security.MessageDigest.getInstance("SHA-256")
              .digest(recipient.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return java.util.HexFormat.of().formatHex(digest, 0, 8);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is on every Java platform", e);
    }
  }

  private static RenderedSurfaces surfaces(Map<String, Map<String, List<Notification>>> groups) {
    StringBuilder text = new StringBuilder();
    StringBuilder md = new StringBuilder();
    StringBuilder html = new StringBuilder();
    groups.forEach(
        (agent, byRisk) -> {
          text.append("Agent ").append(NotifyText.visible(agent, 100)).append('\n');
          md.append("*Agent ")
              .append(NotifyText.slack(NotifyText.visible(agent, 100)))
              .append("*\n");
          html.append("<h2>Agent ")
              .append(NotifyText.html(NotifyText.visible(agent, 100)))
              .append("</h2>");
          byRisk.forEach(
              (risk, list) -> {
                text.append("  risk ")
                    .append(NotifyText.visible(risk, 50))
                    .append(": ")
                    .append(list.size())
                    .append('\n');
                md.append("_risk ")
                    .append(NotifyText.slack(NotifyText.visible(risk, 50)))
                    .append("_\n");
                html.append("<h3>Risk ")
                    .append(NotifyText.html(NotifyText.visible(risk, 50)))
                    .append("</h3><ul>");
                for (Notification item : list) {
                  text.append("    - ").append(NotifyText.visible(item.title(), 200)).append('\n');
                  md.append("\u2022 ")
                      .append(NotifyText.slack(NotifyText.visible(item.title(), 200)))
                      .append('\n');
                  html.append("<li>")
                      .append(NotifyText.html(NotifyText.visible(item.title(), 200)))
                      .append("</li>");
                }
                html.append("</ul>");
              });
        });
    return new RenderedSurfaces(text.toString(), md.toString(), html.toString());
  }

  /** Builds a {@link DigestNotifier}. */
  public static final class Builder {
    private final Notifier downstream;
    private final DeliveryScheduler scheduler;
    private Duration interval = Duration.ofHours(1);

    private Builder(Notifier downstream, DeliveryScheduler scheduler) {
      this.downstream = Objects.requireNonNull(downstream, "downstream");
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    }

    /**
     * How often digests go out (default 1 hour; at least 1 minute).
     *
     * @param interval the interval
     * @return this builder
     */
    public Builder interval(Duration interval) {
      if (interval.compareTo(Duration.ofMinutes(1)) < 0) {
        throw new IllegalArgumentException(
            "a digest interval must be at least 1 minute but was " + interval);
      }
      this.interval = interval;
      return this;
    }

    /**
     * Builds the notifier; {@link DigestNotifier#start()} schedules the first digest.
     *
     * @return the notifier
     */
    public DigestNotifier build() {
      return new DigestNotifier(this);
    }
  }
}
