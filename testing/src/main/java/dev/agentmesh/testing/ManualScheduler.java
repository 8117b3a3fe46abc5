package dev.agentmesh.testing;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.Executors;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * A {@link ScheduledExecutorService} for tests that runs nothing by itself: tasks run on the test's
 * thread, in due order, when the test says so, and time is a {@link FakeClock} that moves only when
 * told. Drive it by time ({@link #advance}, {@link #runDue()}, or move the clock and call {@link
 * #runDue()}) or by hand ({@link #runAll()}: every task once, whatever its delay).
 *
 * <pre>{@code
 * FakeClock clock = FakeClock.at(Instant.parse("2026-01-05T09:00:00Z"));
 * ManualScheduler scheduler = new ManualScheduler(clock);
 * Sessions sessions = Sessions.builder(mesh).clock(clock).scheduler(scheduler).build();
 * scheduler.advance(Duration.ofSeconds(30)); // runs each task due by then, at its own time
 * }</pre>
 *
 * <p>As in the JDK's {@code ScheduledThreadPoolExecutor}: {@link #execute} runs its task at the
 * next {@link #runDue()}; what a task throws goes into its future, and a periodic task that throws
 * or is cancelled runs no more; fixed-rate tasks are next due a period after their last due time,
 * fixed-delay ones a delay after their last run ended. After {@link #shutdown()} new tasks are
 * refused and periodic ones cancelled; one-shot tasks still run when driven.
 *
 * <p>Thread-safe: code under test may schedule and cancel from any thread; tasks run only on a
 * thread that calls one of the {@code run*} methods or {@link #advance}. A blocking {@code get()}
 * on a future waits until a test thread runs its task.
 */
public final class ManualScheduler extends AbstractExecutorService
    implements ScheduledExecutorService {

  /** Where the clock of {@link #ManualScheduler()} stands. */
  public static final Instant DEFAULT_START = Instant.parse("2026-01-05T09:00:00Z");

  private final FakeClock clock;
  private final PriorityQueue<Task<?>> queue = new PriorityQueue<>();
  private final List<Instant> scheduledAt = new ArrayList<>();
  private long sequence;
  private boolean shutdown;

  /** A scheduler on a clock of its own, standing at {@link #DEFAULT_START}. */
  public ManualScheduler() {
    this(FakeClock.at(DEFAULT_START));
  }

  /**
   * A scheduler whose time is {@code clock}: moving the clock makes tasks due.
   *
   * @param clock the clock delays are measured on, shared with the code under test
   */
  public ManualScheduler(FakeClock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * The clock this scheduler measures delays on.
   *
   * @return the clock
   */
  public FakeClock clock() {
    return clock;
  }

  /**
   * Runs every task due at the clock's time, in due order, including tasks they schedule for that
   * time; the clock does not move.
   *
   * @return how many tasks ran
   */
  public int runDue() {
    int ran = 0;
    for (Task<?> task = takeDue(clock.instant()); task != null; task = takeDue(clock.instant())) {
      runAndRequeue(task);
      ran++;
    }
    return ran;
  }

  /**
   * Moves the clock forward by {@code by}, stopping at each task's due time to run it there.
   *
   * @param by how far to move, zero or more
   * @return how many tasks ran
   * @throws IllegalArgumentException if {@code by} is negative
   */
  public int advance(Duration by) {
    if (by.isNegative()) {
      throw new IllegalArgumentException(
          "advance takes zero or more but was "
              + by
              + "; to move time back, set the clock: clock().set(instant)");
    }
    Instant end = clock.instant().plus(by);
    int ran = 0;
    for (Task<?> task = takeDue(end); task != null; task = takeDue(end)) {
      if (task.due.isAfter(clock.instant())) {
        clock.set(task.due);
      }
      runAndRequeue(task);
      ran++;
    }
    clock.set(end);
    return ran;
  }

  /**
   * Runs every scheduled task once, in due order whatever its delay, on the calling thread; the
   * clock does not move. Periodic tasks stay scheduled, one-shot tasks are done; tasks scheduled by
   * these runs wait for the next call.
   *
   * @return how many tasks ran
   */
  public int runAll() {
    int ran = 0;
    for (Task<?> task : drain(false)) {
      runAndRequeue(task);
      ran++;
    }
    return ran;
  }

  /**
   * Like {@link #runAll()}, but cancelled tasks run too, once, as a task that was already running
   * when it was cancelled finishes its run: for tests of what a late run must not undo.
   *
   * @return how many tasks ran
   */
  public int runAllIncludingCancelled() {
    int ran = 0;
    for (Task<?> task : drain(true)) {
      if (task.isCancelled()) {
        task.runInFlight();
      } else {
        runAndRequeue(task);
      }
      ran++;
    }
    return ran;
  }

  /**
   * How many tasks are scheduled, not cancelled and not done.
   *
   * @return the count
   */
  public synchronized int pending() {
    return (int) queue.stream().filter(t -> !t.isCancelled()).count();
  }

  /**
   * The due time of every run ever scheduled, in scheduling order (a periodic task adds one per
   * run).
   *
   * @return a copy of the due times
   */
  public synchronized List<Instant> scheduledAt() {
    return List.copyOf(scheduledAt);
  }

  private synchronized @Nullable Task<?> takeDue(Instant by) {
    queue.removeIf(Task::isCancelled);
    Task<?> next = queue.peek();
    if (next == null || next.due.isAfter(by)) {
      return null;
    }
    return queue.poll();
  }

  private synchronized List<Task<?>> drain(boolean withCancelled) {
    List<Task<?>> tasks = new ArrayList<>();
    while (!queue.isEmpty()) {
      Task<?> task = queue.poll();
      if (withCancelled || !task.isCancelled()) {
        tasks.add(task);
      }
    }
    return tasks;
  }

  private void runAndRequeue(Task<?> task) {
    if (task.period == null) {
      task.run();
      return;
    }
    if (task.runPeriodic()) {
      synchronized (this) {
        Instant from = task.fixedRate ? task.due : clock.instant();
        task.due = from.plus(task.period);
        task.seq = sequence++;
        if (shutdown) {
          task.cancel(false);
        } else {
          enqueue(task);
        }
      }
    }
  }

  private synchronized <V> Task<V> add(Task<V> task) {
    if (shutdown) {
      throw new RejectedExecutionException(
          "ManualScheduler was shut down; schedule before shutdown() or use a new scheduler");
    }
    return enqueue(task);
  }

  private <V> Task<V> enqueue(Task<V> task) {
    queue.add(task);
    scheduledAt.add(task.due);
    return task;
  }

  private synchronized Instant dueIn(long delay, TimeUnit unit) {
    return clock.instant().plus(Duration.ofNanos(Math.max(0, unit.toNanos(delay))));
  }

  private static Duration positive(long period, TimeUnit unit, String what) {
    if (period <= 0) {
      throw new IllegalArgumentException(what + " must be positive but was " + period + " " + unit);
    }
    return Duration.ofNanos(unit.toNanos(period));
  }

  /**
   * Runs {@code command} at the next {@link #runDue()}, {@link #advance} or {@link #runAll()}.
   *
   * @param command the task
   * @throws RejectedExecutionException after {@link #shutdown()}
   */
  @Override
  public void execute(Runnable command) {
    schedule(command, 0, TimeUnit.NANOSECONDS);
  }

  /**
   * Runs {@code command} once when the clock reaches now plus {@code delay}.
   *
   * @param command the task
   * @param delay how long from now; zero or less means now
   * @param unit the unit of {@code delay}
   * @return its future
   * @throws RejectedExecutionException after {@link #shutdown()}
   */
  @Override
  public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
    return schedule(Executors.callable(command), delay, unit);
  }

  /**
   * Calls {@code callable} once when the clock reaches now plus {@code delay}.
   *
   * @param callable the task
   * @param delay how long from now; zero or less means now
   * @param unit the unit of {@code delay}
   * @param <V> what it returns
   * @return its future, holding the result once it ran
   * @throws RejectedExecutionException after {@link #shutdown()}
   */
  @Override
  public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
    Objects.requireNonNull(callable, "callable");
    return add(new Task<>(callable, null, false, dueIn(delay, unit), nextSequence()));
  }

  /**
   * Runs {@code command} first after {@code initialDelay}, then every {@code period} after its
   * previous due time.
   *
   * @param command the task
   * @param initialDelay how long until the first run
   * @param period the time between due times, positive
   * @param unit the unit of both
   * @return its future, done only when cancelled or when a run threw
   * @throws IllegalArgumentException if {@code period} is not positive
   * @throws RejectedExecutionException after {@link #shutdown()}
   */
  @Override
  public ScheduledFuture<?> scheduleAtFixedRate(
      Runnable command, long initialDelay, long period, TimeUnit unit) {
    return add(
        new Task<>(
            Executors.callable(command),
            positive(period, unit, "period"),
            true,
            dueIn(initialDelay, unit),
            nextSequence()));
  }

  /**
   * Runs {@code command} first after {@code initialDelay}, then {@code delay} after each run ends.
   *
   * @param command the task
   * @param initialDelay how long until the first run
   * @param delay the time from the end of one run to the next, positive
   * @param unit the unit of both
   * @return its future, done only when cancelled or when a run threw
   * @throws IllegalArgumentException if {@code delay} is not positive
   * @throws RejectedExecutionException after {@link #shutdown()}
   */
  @Override
  public ScheduledFuture<?> scheduleWithFixedDelay(
      Runnable command, long initialDelay, long delay, TimeUnit unit) {
    return add(
        new Task<>(
            Executors.callable(command),
            positive(delay, unit, "delay"),
            false,
            dueIn(initialDelay, unit),
            nextSequence()));
  }

  private synchronized long nextSequence() {
    return sequence++;
  }

  /** Refuses new tasks and cancels periodic ones; one-shot tasks still run when driven. */
  @Override
  public synchronized void shutdown() {
    shutdown = true;
    queue.stream().filter(t -> t.period != null).forEach(t -> t.cancel(false));
    queue.removeIf(Task::isCancelled);
  }

  /**
   * Refuses new tasks and cancels every scheduled one.
   *
   * @return the tasks that never ran
   */
  @Override
  public synchronized List<Runnable> shutdownNow() {
    shutdown = true;
    List<Runnable> never = new ArrayList<>();
    for (Task<?> task : queue) {
      if (!task.isCancelled() && !task.ranOnce) {
        never.add(task);
      }
      task.cancel(false);
    }
    queue.clear();
    return never;
  }

  /**
   * Whether {@link #shutdown()} or {@link #shutdownNow()} was called.
   *
   * @return whether it refuses new tasks
   */
  @Override
  public synchronized boolean isShutdown() {
    return shutdown;
  }

  /**
   * Whether it is shut down and has no task left to run.
   *
   * @return whether it is terminated
   */
  @Override
  public synchronized boolean isTerminated() {
    return shutdown && pending() == 0;
  }

  /**
   * Does not wait, since nothing runs by itself: says whether it is terminated now.
   *
   * @param timeout ignored
   * @param unit ignored
   * @return {@link #isTerminated()}
   */
  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) {
    return isTerminated();
  }

  @Override
  public String toString() {
    return "ManualScheduler[at "
        + clock.instant()
        + ", "
        + pending()
        + " pending"
        + (isShutdown() ? ", shut down]" : "]");
  }

  /** A scheduled task; a periodic one goes back in the queue with its next due time. */
  private final class Task<V> extends FutureTask<V> implements ScheduledFuture<V> {
    private final Callable<V> callable;
    final @Nullable Duration period;
    final boolean fixedRate;
    volatile Instant due;
    long seq;
    volatile boolean ranOnce;

    Task(
        Callable<V> callable, @Nullable Duration period, boolean fixedRate, Instant due, long seq) {
      super(callable);
      this.callable = callable;
      this.period = period;
      this.fixedRate = fixedRate;
      this.due = due;
      this.seq = seq;
    }

    @Override
    public void run() {
      ranOnce = true;
      super.run();
    }

    boolean runPeriodic() {
      ranOnce = true;
      return runAndReset();
    }

    /** A run that was already under way when the task was cancelled: its outcome is lost. */
    void runInFlight() {
      ranOnce = true;
      try {
        callable.call();
      } catch (Exception e) {
        // As in the JDK, what a cancelled task's last run throws reaches no one.
      }
    }

    @Override
    public long getDelay(TimeUnit unit) {
      return unit.convert(Duration.between(clock.instant(), due));
    }

    @Override
    public int compareTo(Delayed other) {
      if (other instanceof Task<?> task) {
        int byDue = due.compareTo(task.due);
        return byDue != 0 ? byDue : Long.compare(seq, task.seq);
      }
      return Long.compare(getDelay(TimeUnit.NANOSECONDS), other.getDelay(TimeUnit.NANOSECONDS));
    }
  }
}
