package dev.agentmesh.sessions;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Delayed;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A scheduler that runs nothing by itself: {@link #runAll()} runs every task scheduled and not
 * cancelled, once, on the calling thread. Periodic tasks stay scheduled; one-shot ones are gone.
 */
final class ManualScheduler extends AbstractExecutorService implements ScheduledExecutorService {

  private final List<Task> tasks = new CopyOnWriteArrayList<>();
  private volatile boolean shutdown;

  /** Runs each live task once; returns how many ran. */
  int runAll() {
    int ran = 0;
    for (Task task : new ArrayList<>(tasks)) {
      if (!task.cancelled) {
        task.command.run();
        ran++;
      }
      if (!task.periodic || task.cancelled) {
        tasks.remove(task);
      }
    }
    return ran;
  }

  /**
   * Runs every task once, cancelled ones too, as a task that was already running when it was
   * cancelled would finish its run; returns how many ran.
   */
  int runAllInFlight() {
    int ran = 0;
    for (Task task : new ArrayList<>(tasks)) {
      task.command.run();
      ran++;
    }
    return ran;
  }

  /** How many tasks are scheduled and not cancelled. */
  long live() {
    return tasks.stream().filter(t -> !t.cancelled).count();
  }

  private ScheduledFuture<?> add(Runnable command, boolean periodic) {
    Task task = new Task(command, periodic);
    tasks.add(task);
    return task;
  }

  @Override
  public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
    return add(command, false);
  }

  @Override
  public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
    throw new UnsupportedOperationException("ManualScheduler runs Runnables only");
  }

  @Override
  public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
    return add(command, true);
  }

  @Override
  public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
    return add(command, true);
  }

  @Override
  public void execute(Runnable command) {
    add(command, false);
  }

  @Override
  public void shutdown() {
    shutdown = true;
  }

  @Override
  public List<Runnable> shutdownNow() {
    shutdown = true;
    tasks.clear();
    return List.of();
  }

  @Override
  public boolean isShutdown() {
    return shutdown;
  }

  @Override
  public boolean isTerminated() {
    return shutdown;
  }

  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) {
    return true;
  }

  private static final class Task implements ScheduledFuture<Object> {
    final Runnable command;
    final boolean periodic;
    volatile boolean cancelled;

    Task(Runnable command, boolean periodic) {
      this.command = command;
      this.periodic = periodic;
    }

    @Override
    public long getDelay(TimeUnit unit) {
      return 0;
    }

    @Override
    public int compareTo(Delayed o) {
      return 0;
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
      cancelled = true;
      return true;
    }

    @Override
    public boolean isCancelled() {
      return cancelled;
    }

    @Override
    public boolean isDone() {
      return cancelled;
    }

    @Override
    public Object get() {
      return null;
    }

    @Override
    public Object get(long timeout, TimeUnit unit) {
      return null;
    }
  }
}
