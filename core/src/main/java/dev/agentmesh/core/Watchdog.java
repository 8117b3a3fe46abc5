package dev.agentmesh.core;

import java.util.Iterator;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * Bounds a blocking step of a run by its deadline, two ways. {@link #inline} runs it on this
 * thread, with no hand-off, and interrupts the thread at the deadline (as OkHttp's watchdog times
 * out a call): for steps that give up when interrupted or by themselves. {@link #handOff} runs it
 * on an executor and stops waiting at the deadline: for steps that may ignore interrupts.
 *
 * <p>One daemon thread watches every armed step. Arming a step does not wake it unless the step's
 * deadline comes before the wake-up it already planned, so a step that ends well before its
 * deadline (almost every step) costs two small allocations and no thread hand-off.
 */
final class Watchdog {

  /** The origin of the alarms' times, so that times are positive and compare plainly. */
  private static final long ORIGIN = System.nanoTime();

  /** The armed alarms; fired or disarmed ones leave it. */
  private static final Set<Alarm> ARMED = ConcurrentHashMap.newKeySet();

  /**
   * When the watching thread plans to wake up, {@link Long#MAX_VALUE} when it waits for an alarm or
   * is looking at them: arming one due sooner wakes it.
   */
  private static volatile long wakeAt = Long.MAX_VALUE;

  private static final Thread WATCHER = watcher();

  private Watchdog() {}

  /**
   * Runs {@code step} on this thread; if it is still running after {@code millis}, interrupts this
   * thread once. The interrupt is cleared before this returns.
   *
   * @throws TimeoutException when the alarm fired; what the step threw then is its cause
   */
  static <T> T inline(Supplier<T> step, long millis) throws TimeoutException {
    Alarm alarm = arm(Thread.currentThread(), millis);
    T result;
    try {
      result = step.get();
    } catch (RuntimeException e) {
      if (alarm.disarm()) throw timedOut(e);
      throw e;
    } catch (Error e) {
      alarm.disarm();
      throw e;
    }
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

  /** An alarm for {@code thread} in {@code millis}, watched from now on. */
  private static Alarm arm(Thread thread, long millis) {
    long now = System.nanoTime() - ORIGIN;
    long at =
        now + Math.min(TimeUnit.MILLISECONDS.toNanos(Math.max(millis, 0)), Long.MAX_VALUE - now);
    Alarm alarm = new Alarm(thread, at);
    ARMED.add(alarm);
    // Read after the add: either the watcher's next look sees the alarm, or this wakes it.
    if (at < wakeAt) LockSupport.unpark(WATCHER);
    return alarm;
  }

  /**
   * The watching thread: fires every alarm that is due, then sleeps until the next one is (or, with
   * none armed, until one is).
   */
  private static void watch() {
    while (true) {
      wakeAt = Long.MAX_VALUE; // an alarm armed while we look wakes us again
      long now = System.nanoTime() - ORIGIN;
      long next = Long.MAX_VALUE;
      for (Iterator<Alarm> armed = ARMED.iterator(); armed.hasNext(); ) {
        Alarm alarm = armed.next();
        if (alarm.at <= now) {
          alarm.fire();
          armed.remove();
        } else if (alarm.at < next) {
          next = alarm.at;
        }
      }
      wakeAt = next;
      if (next == Long.MAX_VALUE) {
        LockSupport.park(Watchdog.class);
      } else {
        LockSupport.parkNanos(Watchdog.class, next - (System.nanoTime() - ORIGIN));
      }
    }
  }

  /** Interrupts the thread running a step once, unless disarmed first. */
  private static final class Alarm {
    private final Thread thread;
    final long at;
    private final int hash = ThreadLocalRandom.current().nextInt();
    private boolean armed = true;
    private boolean fired;

    Alarm(Thread thread, long at) {
      this.thread = thread;
      this.at = at;
    }

    synchronized void fire() {
      if (armed) {
        fired = true;
        thread.interrupt();
      }
    }

    /** Disarms; true if it had fired, whose interrupt is then cleared from this thread. */
    boolean disarm() {
      boolean hadFired;
      synchronized (this) {
        armed = false;
        hadFired = fired;
        if (fired) Thread.interrupted();
      }
      if (!hadFired) ARMED.remove(this);
      return hadFired;
    }

    @Override
    public int hashCode() {
      return hash; // not the identity hash, which would cost each alarm a header update
    }

    @Override
    public boolean equals(Object other) {
      return this == other;
    }
  }

  private static Thread watcher() {
    Thread t = new Thread(Watchdog::watch, "agentmesh-deadlines");
    t.setDaemon(true);
    t.start();
    return t;
  }
}
