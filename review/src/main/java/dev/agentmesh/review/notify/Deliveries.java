package dev.agentmesh.review.notify;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The guard around notifiers: {@link #deliver} returns at once, and every registered notifier gets
 * the notification on the {@link DeliveryScheduler}'s time. A notifier that throws is retried by
 * the {@link DeliveryRetryPolicy} (exponential backoff with jitter) until it succeeds, its attempts
 * are used up, or it throws a {@link NotificationException} that is not retryable; each attempt is
 * recorded as a {@link DeliveryRecord} for the listener. Nothing a notifier does fails or delays
 * the caller. A Deliveries is itself a {@link Notifier}, so a {@link DigestNotifier} can send its
 * digests through one.
 *
 * <pre>{@code
 * Deliveries deliveries = Deliveries.builder(scheduler)
 *     .notifier("slack", slack)
 *     .notifier("email", email)
 *     .retryPolicy(new DeliveryRetryPolicy(5, Duration.ofSeconds(10), Duration.ofMinutes(10)))
 *     .listener(record -> log.info("{}", record))
 *     .build();
 * deliveries.deliver(notification); // returns at once
 * }</pre>
 */
public final class Deliveries implements Notifier {

  private static final Logger LOG = LoggerFactory.getLogger(Deliveries.class);

  private final DeliveryScheduler scheduler;
  private final Map<String, Notifier> notifiers;
  private final DeliveryRetryPolicy policy;
  private final RandomGenerator random;
  private final Consumer<DeliveryRecord> listener;

  private Deliveries(Builder b) {
    this.scheduler = b.scheduler;
    this.notifiers = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(b.notifiers));
    this.policy = b.policy;
    this.random = b.random;
    this.listener = b.listener;
  }

  /**
   * A builder whose deliveries and retries run on {@code scheduler}.
   *
   * @param scheduler runs attempts and the waits between them
   * @return a new builder
   */
  public static Builder builder(DeliveryScheduler scheduler) {
    return new Builder(scheduler);
  }

  /** Schedules the first attempt of every notifier now; never throws for a notifier's failure. */
  @Override
  public void deliver(Notification notification) {
    Objects.requireNonNull(notification, "notification");
    notifiers.forEach(
        (name, notifier) ->
            scheduler.schedule(Duration.ZERO, () -> scheduled(name, notification, 1)));
  }

  /**
   * The names the notifiers were registered under, in registration order.
   *
   * @return the names
   */
  public Set<String> notifierNames() {
    return notifiers.keySet();
  }

  /**
   * One attempt through one notifier, now, on the caller's thread, without scheduling the next: for
   * a durable outbox that keeps the attempt count and the next attempt's time itself (the review
   * runtime does, in the session store). The attempt is judged by the same {@link
   * DeliveryRetryPolicy} as {@link #deliver}'s and reported to the listener the same way.
   *
   * @param notifier the name a notifier was registered under
   * @param notification what to deliver
   * @param attempt 1 for the first attempt
   * @return the record: delivered, retrying (with the next attempt's time) or gave up
   * @throws IllegalArgumentException if no notifier has that name, or attempt is below 1
   */
  public DeliveryRecord attempt(String notifier, Notification notification, int attempt) {
    Notifier channel = notifiers.get(notifier);
    if (channel == null) {
      throw new IllegalArgumentException(
          "No notifier named '" + notifier + "'; registered: " + notifiers.keySet());
    }
    if (attempt < 1) {
      throw new IllegalArgumentException("attempt must be 1 or more but was " + attempt);
    }
    DeliveryRecord record;
    try {
      channel.deliver(Objects.requireNonNull(notification, "notification"));
      record =
          new DeliveryRecord(
              notification.id(),
              notification.kind(),
              notifier,
              attempt,
              DeliveryRecord.Outcome.DELIVERED,
              scheduler.now(),
              null,
              null);
    } catch (RuntimeException | LinkageError | AssertionError | StackOverflowError e) {
      record = failed(notifier, notification, attempt, e);
    }
    record(record);
    return record;
  }

  private void scheduled(String name, Notification notification, int attempt) {
    DeliveryRecord record = attempt(name, notification, attempt);
    if (record.outcome() == DeliveryRecord.Outcome.RETRYING) {
      Duration delay =
          Duration.between(scheduler.now(), Objects.requireNonNull(record.nextAttempt()));
      scheduler.schedule(
          delay.isNegative() ? Duration.ZERO : delay,
          () -> scheduled(name, notification, attempt + 1));
    }
  }

  private DeliveryRecord failed(String name, Notification notification, int attempt, Throwable e) {
    boolean retryable = !(e instanceof NotificationException n) || n.isRetryable();
    Optional<Duration> delay = retryable ? policy.delayAfter(attempt, random) : Optional.empty();
    String error =
        e.getClass().getSimpleName()
            + ": "
            + NotifyText.visible(String.valueOf(e.getMessage()), 300);
    var now = scheduler.now();
    return new DeliveryRecord(
        notification.id(),
        notification.kind(),
        name,
        attempt,
        delay.isPresent() ? DeliveryRecord.Outcome.RETRYING : DeliveryRecord.Outcome.GAVE_UP,
        now,
        delay.map(now::plus).orElse(null),
        error);
  }

  private void record(DeliveryRecord record) {
    try {
      listener.accept(record);
    } catch (RuntimeException e) {
      LOG.warn("the delivery listener threw on {}", record, e);
    }
  }

  private static void logRecord(DeliveryRecord r) {
    switch (r.outcome()) {
      case DELIVERED -> LOG.debug("{}", r);
      case RETRYING -> LOG.info("{}", r);
      case GAVE_UP -> LOG.warn("{}", r);
    }
  }

  /** Builds {@link Deliveries}; at least one notifier is required. */
  public static final class Builder {
    private final DeliveryScheduler scheduler;
    private final Map<String, Notifier> notifiers = new LinkedHashMap<>();
    private DeliveryRetryPolicy policy = DeliveryRetryPolicy.DEFAULT;
    private RandomGenerator random = RandomGenerator.getDefault();
    private Consumer<DeliveryRecord> listener = Deliveries::logRecord;

    private Builder(DeliveryScheduler scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    }

    /**
     * Adds a notifier under a name unique in this Deliveries (shown in every record).
     *
     * @param name the notifier's name
     * @param notifier the notifier
     * @return this builder
     */
    public Builder notifier(String name, Notifier notifier) {
      Objects.requireNonNull(notifier, "notifier");
      if (notifiers.containsKey(name)) {
        throw new IllegalArgumentException(
            "notifier '" + name + "' is already registered; give each a unique name");
      }
      notifiers.put(name, notifier);
      return this;
    }

    /**
     * Sets how failed attempts are retried.
     *
     * @param policy the policy
     * @return this builder
     */
    public Builder retryPolicy(DeliveryRetryPolicy policy) {
      this.policy = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /**
     * The source of jitter; tests pass a fixed one.
     *
     * @param random the source
     * @return this builder
     */
    public Builder random(RandomGenerator random) {
      this.random = Objects.requireNonNull(random, "random");
      return this;
    }

    /**
     * Receives every attempt's record (by default they are logged); a throwing listener is logged
     * and ignored.
     *
     * @param listener the listener
     * @return this builder
     */
    public Builder listener(Consumer<DeliveryRecord> listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /**
     * Builds the deliveries.
     *
     * @return the deliveries
     */
    public Deliveries build() {
      if (notifiers.isEmpty()) {
        throw new IllegalStateException(
            "Deliveries needs at least one notifier: call notifier(name, notifier)");
      }
      return new Deliveries(this);
    }
  }
}
