package dev.agentmesh.review.notify.kit;

import dev.agentmesh.review.notify.DeliveryScheduler;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;

/**
 * A {@link DeliveryScheduler} for tests: time stands still until the test moves it, and tasks run
 * on the test's thread, in due order, when it calls {@link #runDue()} or {@link #advance}.
 * Published in agentmesh-review's test-jar with {@link NotifierCompatibilityKit}.
 *
 * <pre>{@code
 * ManualScheduler scheduler = new ManualScheduler(Instant.parse("2026-11-29T10:00:00Z"));
 * deliveries.deliver(notification);   // nothing has run yet
 * scheduler.runDue();                 // the first attempt runs now
 * scheduler.advance(Duration.ofSeconds(30)); // and the retries due by then
 * }</pre>
 */
public final class ManualScheduler implements DeliveryScheduler {

  private record Task(Instant due, long seq, Runnable task) {}

  private final PriorityQueue<Task> tasks = new PriorityQueue<>((a, b) -> a.due.equals(b.due)
      ? Long.compare(a.seq, b.seq) : a.due.compareTo(b.due));
  private final List<Instant> scheduledAt = new ArrayList<>();
  private Instant now;
  private long seq;

  public ManualScheduler(Instant start) {
    this.now = start;
  }

  @Override
  public synchronized Instant now() {
    return now;
  }

  @Override
  public synchronized void schedule(Duration delay, Runnable task) {
    Instant due = now.plus(delay.isNegative() ? Duration.ZERO : delay);
    scheduledAt.add(due);
    tasks.add(new Task(due, seq++, task));
  }

  /** Runs every task due now, including those they schedule for now; returns how many ran. */
  public int runDue() {
    int ran = 0;
    while (true) {
      Task next;
      synchronized (this) {
        next = tasks.peek();
        if (next == null || next.due.isAfter(now)) {
          return ran;
        }
        tasks.poll();
      }
      next.task.run();
      ran++;
    }
  }

  /** Moves time forward by {@code by}, stopping at each due task to run it at its own time. */
  public void advance(Duration by) {
    Instant end;
    synchronized (this) {
      end = now.plus(by);
    }
    while (true) {
      runDue();
      synchronized (this) {
        Task next = tasks.peek();
        if (next == null || next.due.isAfter(end)) {
          now = end;
          break;
        }
        now = next.due;
      }
    }
    runDue();
  }

  /** Tasks not yet run. */
  public synchronized int pending() {
    return tasks.size();
  }

  /** The due time of every task ever scheduled, in scheduling order. */
  public synchronized List<Instant> scheduledAt() {
    return List.copyOf(scheduledAt);
  }

  /** A clock that reads this scheduler's time (for notifiers that stamp messages). */
  public Clock clock() {
    ManualScheduler self = this;
    return new Clock() {
      @Override
      public ZoneId getZone() {
        return ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(ZoneId zone) {
        return this;
      }

      @Override
      public Instant instant() {
        return self.now();
      }
    };
  }
}
