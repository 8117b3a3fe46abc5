package dev.agentmesh.review.notify;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One attempt to deliver a notification through one notifier, as {@link Deliveries} records it.
 *
 * <pre>{@code
 * Deliveries.builder(scheduler).listener(record -> {
 *   if (record.outcome() == DeliveryRecord.Outcome.GAVE_UP) alerts.raise(record.toString());
 * });
 * }</pre>
 *
 * @param notificationId the notification's id
 * @param kind the notification's kind
 * @param notifier the name the notifier was registered under
 * @param attempt 1 for the first attempt
 * @param outcome what happened
 * @param at when the attempt ended
 * @param nextAttempt when the next attempt is due, for {@link Outcome#RETRYING}
 * @param error the failure's type and message (truncated, one line), unless delivered
 */
public record DeliveryRecord(
    String notificationId,
    Notification.Kind kind,
    String notifier,
    int attempt,
    Outcome outcome,
    Instant at,
    @Nullable Instant nextAttempt,
    @Nullable String error) {

  /** What an attempt came to. */
  public enum Outcome {
    /** The channel accepted the notification. */
    DELIVERED,
    /** It failed; another attempt is scheduled at {@link #nextAttempt()}. */
    RETRYING,
    /** It failed for the last time (attempts used up, or the failure cannot be retried). */
    GAVE_UP
  }

  /**
   * Checks that the components are there.
   *
   * @param notificationId the notification's id
   * @param kind the notification's kind
   * @param notifier the name the notifier was registered under
   * @param attempt 1 for the first attempt
   * @param outcome what happened
   * @param at when the attempt ended
   * @param nextAttempt when the next attempt is due, for {@link Outcome#RETRYING}
   * @param error the failure's type and message (truncated, one line), unless delivered
   */
  public DeliveryRecord {
    Objects.requireNonNull(notificationId, "notificationId");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(notifier, "notifier");
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(at, "at");
  }
}
