package dev.agentmesh.review.notify;

/**
 * Tells people about something through one channel (a webhook, Slack, e-mail, a log line).
 *
 * <p><b>Threading.</b> {@link #deliver} may be called from any thread, concurrently; an
 * implementation is thread-safe. It may block for the length of one network call, never longer than
 * its own configured timeout.
 *
 * <p><b>Errors.</b> A delivery that did not happen is reported by throwing (preferably a {@link
 * NotificationException}, whose {@link NotificationException#isRetryable()} says whether trying
 * again can help); returning normally means the channel accepted the message. The caller is a
 * guard, {@link Deliveries}, which catches what is thrown, records it and retries with backoff: a
 * failing or slow notifier never fails or delays the code that raised the notification. Messages of
 * thrown exceptions never carry secrets (keys, signing secrets, passwords).
 *
 * <p>Every implementation passes {@code NotifierCompatibilityKit} (in agentmesh-review's test-jar).
 *
 * <pre>{@code
 * List<Notification> inbox = new CopyOnWriteArrayList<>();
 * Notifier toInbox = inbox::add;                    // a channel that keeps what it is given
 * }</pre>
 */
@FunctionalInterface
public interface Notifier {

  /**
   * Delivers {@code notification} once, or throws.
   *
   * @param notification the notification
   */
  void deliver(Notification notification);
}
