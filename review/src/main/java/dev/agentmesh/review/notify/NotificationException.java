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

  /** Whether another attempt may succeed. */
  private final boolean retryable;

  /**
   * Creates the exception.
   *
   * @param message what failed
   * @param retryable whether another attempt may succeed
   */
  public NotificationException(String message, boolean retryable) {
    this(message, retryable, null);
  }

  /**
   * Creates the exception caused by another failure.
   *
   * @param message what failed
   * @param retryable whether another attempt may succeed
   * @param cause the underlying failure, or {@code null}
   */
  public NotificationException(String message, boolean retryable, @Nullable Throwable cause) {
    super(message, cause);
    this.retryable = retryable;
  }

  /** {@return whether another attempt may succeed} */
  public boolean isRetryable() {
    return retryable;
  }
}
