package dev.agentmesh.review.notify;

import dev.agentmesh.review.ReviewException;
import org.jspecify.annotations.Nullable;

/**
 * A notifier could not deliver a notification. {@link #isRetryable()} is false when trying again
 * cannot help (a refused recipient, a 4xx answer other than 408 and 429), so {@link Deliveries}
 * gives up at once instead of retrying.
 *
 * <pre>{@code
 * throw new NotificationException("webhook https://hooks.example.com answered 503; will retry", true);
 * }</pre>
 */
public class NotificationException extends ReviewException {

  private static final long serialVersionUID = 1L;

  private final boolean retryable;

  public NotificationException(String message, boolean retryable) {
    this(message, retryable, null);
  }

  public NotificationException(String message, boolean retryable, @Nullable Throwable cause) {
    super(message, cause);
    this.retryable = retryable;
  }

  /** {@return whether another attempt may succeed} */
  public boolean isRetryable() {
    return retryable;
  }
}
