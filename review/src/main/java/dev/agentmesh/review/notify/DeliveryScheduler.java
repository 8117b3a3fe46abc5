package dev.agentmesh.review.notify;

import java.time.Duration;
import java.time.Instant;

/**
 * The clock and timer deliveries and digests run on. {@link InProcessDeliveryScheduler} runs tasks
 * on a JDK scheduled executor; a durable implementation (driven by session timers) can replace it,
 * and tests use a manual one whose time only moves when the test says so.
 *
 * <p><b>Threading.</b> Both methods may be called from any thread. {@link #schedule} returns at
 * once and runs the task later on a thread of the scheduler's choosing, never on the caller's.
 * <b>Errors.</b> A task that throws does not stop the scheduler from running other tasks.
 *
 * <pre>{@code
 * DeliveryScheduler scheduler = InProcessDeliveryScheduler.create(Clock.systemUTC());
 * scheduler.schedule(Duration.ofSeconds(30), () -> retry(notification));
 * }</pre>
 */
public interface DeliveryScheduler {

  /** {@return the current time on this scheduler's clock} */
  Instant now();

  /**
   * Runs {@code task} once, {@code delay} from {@link #now()} (at once when zero).
   *
   * @param delay how long to wait, zero or more
   * @param task what to run
   */
  void schedule(Duration delay, Runnable task);
}
