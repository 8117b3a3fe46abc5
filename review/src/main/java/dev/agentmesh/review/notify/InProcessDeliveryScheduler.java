package dev.agentmesh.review.notify;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link DeliveryScheduler} in this process: a small daemon {@link ScheduledExecutorService} and
 * a {@link Clock}. Pending retries are lost when the process stops; a durable scheduler built on
 * session timers will not lose them. Close it when the host shuts down.
 *
 * <pre>{@code
 * try (InProcessDeliveryScheduler scheduler = InProcessDeliveryScheduler.create(Clock.systemUTC())) {
 *   Deliveries deliveries = Deliveries.builder(scheduler).notifier("slack", slack).build();
 * }
 * }</pre>
 */
public final class InProcessDeliveryScheduler implements DeliveryScheduler, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(InProcessDeliveryScheduler.class);

  private final Clock clock;
  private final ScheduledExecutorService executor;

  private InProcessDeliveryScheduler(Clock clock, ScheduledExecutorService executor) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.executor = Objects.requireNonNull(executor, "executor");
  }

  /**
   * Two daemon threads named {@code agentmesh-notify-*}: a slow channel holds at most one.
   *
   * @param clock the clock delays are measured on
   * @return the scheduler
   */
  public static InProcessDeliveryScheduler create(Clock clock) {
    return new InProcessDeliveryScheduler(
        clock,
        Executors.newScheduledThreadPool(
            2,
            r -> {
              Thread t = new Thread(r, "agentmesh-notify");
              t.setDaemon(true);
              return t;
            }));
  }

  /**
   * On the host's own executor, which the host shuts down.
   *
   * @param clock the clock delays are measured on
   * @param executor the executor that runs tasks
   * @return the scheduler
   */
  public static InProcessDeliveryScheduler of(Clock clock, ScheduledExecutorService executor) {
    return new InProcessDeliveryScheduler(clock, executor);
  }

  @Override
  public Instant now() {
    return clock.instant();
  }

  @Override
  public void schedule(Duration delay, Runnable task) {
    Objects.requireNonNull(task, "task");
    executor.schedule(
        () -> {
          try {
            task.run();
          } catch (RuntimeException e) {
            LOG.warn("a scheduled notification task failed", e);
          }
        },
        Math.max(0, delay.toMillis()),
        TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
