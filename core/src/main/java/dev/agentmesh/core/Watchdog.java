package dev.agentmesh.core;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Bounds a blocking step of a run by its deadline, two ways. {@link #inline} runs it on this
 * thread, with no hand-off, and interrupts the thread at the deadline (as OkHttp's watchdog times
 * out a call): for steps that give up when interrupted or by themselves. {@link #handOff} runs it
 * on an executor and stops waiting at the deadline: for steps that may ignore interrupts.
 */
final class Watchdog {

  /** One daemon timer for every mesh: it only interrupts threads whose step ran too long. */
  private static final ScheduledThreadPoolExecutor ALARMS = alarms();

  private Watchdog() {}

  /**
   * Runs {@code step} on this thread; if it is still running after {@code millis}, interrupts this
   * thread once. The interrupt is cleared before this returns.
   *
   * @throws TimeoutException when the alarm fired; what the step threw then is its cause
   */
  static <T> T inline(Supplier<T> step, long millis) throws TimeoutException {
    Alarm alarm = new Alarm(Thread.currentThread());
    ScheduledFuture<?> armed = ALARMS.schedule(alarm, millis, TimeUnit.MILLISECONDS);
    T result;
    try {
      result = step.get();
    } catch (RuntimeException e) {
      armed.cancel(false);
      if (alarm.disarm()) throw timedOut(e);
      throw e;
    } catch (Error e) {
      armed.cancel(false);
      alarm.disarm();
      throw e;
    }
    armed.cancel(false);
    if (alarm.disarm()) throw new TimeoutException();
    return result;
  }

  /**
   * Runs {@code step} on {@code executor} and waits at most {@code millis} for it; then cancels it,
   * interrupting its thread. A step that ignores the interrupt keeps that thread until it returns;
   * what it returns then is dropped. An executor that refuses the step (a closed mesh) gets it run
   * {@link #inline} instead.
   *
   * @throws TimeoutException when the step did not finish in time
   * @throws InterruptedException when this thread was interrupted while waiting; the step is
   *     cancelled
   */
  static <T> T handOff(Supplier<T> step, Executor executor, long millis)
      throws TimeoutException, InterruptedException {
    FutureTask<T> task = new FutureTask<>(step::get);
    try {
      executor.execute(task);
    } catch (RejectedExecutionException closed) {
      return inline(step, millis);
    }
    try {
      return task.get(millis, TimeUnit.MILLISECONDS);
    } catch (TimeoutException | InterruptedException e) {
      task.cancel(true);
      throw e;
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException) throw (RuntimeException) cause;
      if (cause instanceof Error) throw (Error) cause;
      throw new IllegalStateException(cause);
    }
  }

  private static TimeoutException timedOut(Throwable cause) {
    TimeoutException e = new TimeoutException();
    e.initCause(cause);
    return e;
  }

  /** Interrupts the thread running a step once, unless disarmed first. */
  private static final class Alarm implements Runnable {
    private final Thread thread;
    private boolean armed = true;
    private boolean fired;

    Alarm(Thread thread) {
      this.thread = thread;
    }

    @Override
    public synchronized void run() {
      if (armed) {
        fired = true;
        thread.interrupt();
      }
    }

    /** Disarms; true if it had fired, whose interrupt is then cleared from this thread. */
    synchronized boolean disarm() {
      armed = false;
      if (fired) Thread.interrupted();
      return fired;
    }
  }

  private static ScheduledThreadPoolExecutor alarms() {
    ScheduledThreadPoolExecutor timer =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, "agentmesh-deadlines");
              t.setDaemon(true);
              return t;
            });
    timer.setRemoveOnCancelPolicy(true);
    return timer;
  }
}
