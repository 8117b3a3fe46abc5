package dev.agentmesh.core;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Bounds a blocking step of a run by its deadline, two ways. {@link #inline} runs it on this
 * thread, with no hand-off, and interrupts the thread at the deadline (as OkHttp's watchdog times
 * out a call): for steps that give up when interrupted or by themselves. {@link #handOff} runs it
 * on an executor and stops waiting at the deadline: for steps that may ignore interrupts.
 *
 * <p>One daemon thread watches every armed step. Almost every step ends well before its deadline,
 * so arming and disarming are what must be cheap: arming pushes the alarm onto a lock-free stack
 * (one compare-and-set) and wakes the watcher only if the alarm is due before the wake-up it
 * already planned; disarming is one compare-and-set on the alarm. The watcher never plans to sleep
 * longer than {@link #LOOK_EVERY}, so a step whose deadline is further away than that (the usual
 * case: timeouts are minutes, steps milliseconds) wakes no one: waking a thread costs far more than
 * the step's own bookkeeping, and a watcher woken for every step kept the other core busy. Disarmed
 * alarms leave the stack when the watcher next looks at it: at the next due alarm, at the latest
 * after {@link #LOOK_EVERY}, or after every {@value #SWEEP_EVERY} arms, so the stack holds at most
 * about that many finished steps besides the running ones.
 */
final class Watchdog {

  /** The origin of the alarms' times, so that times are positive and compare plainly. */
  private static final long ORIGIN = System.nanoTime();

  /**
   * The longest the watcher sleeps, in nanoseconds: an alarm due later than its next look does not
   * wake it, so steps with deadlines further away than this arm without waking anyone.
   */
  static final long LOOK_EVERY = TimeUnit.SECONDS.toNanos(1);

  /** Every this many alarms pushed, arming wakes the watcher to drop the disarmed ones. */
  static final int SWEEP_EVERY = 1024;

  /**
   * The top of the stack of alarms armed since the watcher last looked, and of those it kept (the
   * running steps); fired and disarmed ones leave it when the watcher looks.
   */
  private static final AtomicReference<@Nullable Alarm> ARMED = new AtomicReference<>();

  /**
   * When the watching thread plans to wake up, {@link Long#MAX_VALUE} when it waits for an alarm or
   * is looking at them: arming one due sooner wakes it.
   */
  private static volatile long wakeAt = Long.MAX_VALUE;

  /** How many times arming an alarm has woken the watcher (for tests). */
  private static final AtomicLong WAKE_UPS = new AtomicLong();

  private static final Thread WATCHER = watcher();

  private Watchdog() {}

  /**
   * Runs {@code step} on this thread; if it is still running after {@code millis}, interrupts this
   * thread once. The interrupt is cleared before this returns.
   *
   * @throws TimeoutException when the alarm fired; what the step threw then is its cause
   */
  static <T> T inline(Supplier<T> step, long millis) throws TimeoutException {
    return inlineUntil(
        step, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.max(millis, 0)));
  }

  /**
   * {@link #inline}, with the time to interrupt given as a {@link System#nanoTime()} value (so that
   * a run that keeps its deadline that way arms an alarm without reading the clock).
   *
   * @throws TimeoutException when the alarm fired; what the step threw then is its cause
   */
  static <T> T inlineUntil(Supplier<T> step, long nanoTimeAt) throws TimeoutException {
    Alarm alarm = arm(Thread.currentThread(), nanoTimeAt - ORIGIN);
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

  /**
   * An alarm for {@code thread} at {@code at} (nanoseconds after {@link #ORIGIN}), watched from now
   * on.
   */
  private static Alarm arm(Thread thread, long at) {
    Alarm alarm = new Alarm(thread, at);
    Alarm top;
    do {
      top = ARMED.get();
      alarm.below = top;
      alarm.depth = top == null ? 1 : top.depth + 1;
    } while (!ARMED.compareAndSet(top, alarm));
    // Read after the push: either the watcher's next look sees the alarm, or this wakes it.
    if (at < wakeAt || alarm.depth % SWEEP_EVERY == 0) {
      WAKE_UPS.incrementAndGet();
      LockSupport.unpark(WATCHER);
    }
    return alarm;
  }

  /** {@return how many times arming an alarm has woken the watcher so far} For tests. */
  static long wakeUps() {
    return WAKE_UPS.get();
  }

  /** How many alarms the stack holds now, disarmed ones not yet dropped included (for tests). */
  static int stacked() {
    int n = 0;
    for (Alarm a = ARMED.get(); a != null; a = a.below) n++;
    return n;
  }

  /**
   * The watching thread: takes the whole stack, fires every alarm that is due, drops the disarmed
   * ones, pushes back the rest, then sleeps until the next one is due (or, with none armed, until
   * one is).
   */
  private static void watch() {
    while (true) {
      long now = System.nanoTime() - ORIGIN;
      // An alarm armed while we look, too late for this look, wakes us again if it is due before
      // the latest we will sleep until. (Not every alarm armed meanwhile: under a steady stream of
      // steps, that kept the watcher looking without a pause.)
      wakeAt = now + LOOK_EVERY;
      long next = Long.MAX_VALUE;
      Alarm keptTop = null;
      Alarm keptBottom = null;
      int kept = 0;
      for (Alarm alarm = ARMED.getAndSet(null); alarm != null; ) {
        Alarm below = alarm.below;
        alarm.below = null;
        if (alarm.isArmed()) {
          if (alarm.at <= now) {
            alarm.fire();
          } else {
            next = Math.min(next, alarm.at);
            if (keptBottom == null) {
              keptTop = alarm;
            } else {
              keptBottom.below = alarm;
            }
            keptBottom = alarm;
            kept++;
          }
        }
        alarm = below;
      }
      if (keptTop != null && keptBottom != null) pushBack(keptTop, keptBottom, kept);
      // Look again at the next due alarm, or after LOOK_EVERY at the latest: an alarm armed in
      // between that is due later than that needs no wake-up of its own.
      long wake = Math.min(next, now + LOOK_EVERY);
      wakeAt = wake;
      LockSupport.parkNanos(Watchdog.class, wake - (System.nanoTime() - ORIGIN));
    }
  }

  /** Puts the kept alarms, {@code top} to {@code bottom}, back on the stack under newer ones. */
  private static void pushBack(Alarm top, Alarm bottom, int count) {
    Alarm under;
    do {
      under = ARMED.get();
      bottom.below = under;
      int depth = (under == null ? 0 : under.depth) + count;
      for (Alarm a = top; a != null && a != under; a = a.below) {
        a.depth = depth--;
      }
    } while (!ARMED.compareAndSet(under, top));
  }

  /**
   * Interrupts the thread running a step once, unless disarmed first. {@code below} and {@code
   * depth} belong to the stack: written before the alarm is pushed, and by the watcher while it
   * holds the alarm off the stack ({@code depth} only guides when to sweep, so a stale read is
   * harmless).
   */
  private static final class Alarm {
    private static final int ARMED = 0;
    private static final int DISARMED = 1;
    private static final int FIRING = 2;
    private static final int FIRED = 3;
    private static final AtomicIntegerFieldUpdater<Alarm> STATE =
        AtomicIntegerFieldUpdater.newUpdater(Alarm.class, "state");

    private final Thread thread;
    final long at;
    @Nullable Alarm below;
    int depth;
    private volatile int state; // ARMED: the default, with no volatile write to make it

    Alarm(Thread thread, long at) {
      this.thread = thread;
      this.at = at;
    }

    boolean isArmed() {
      return state == ARMED;
    }

    /** Interrupts the step's thread, unless it was disarmed first. Called by the watcher only. */
    void fire() {
      if (STATE.compareAndSet(this, ARMED, FIRING)) {
        thread.interrupt();
        state = FIRED;
      }
    }

    /** Disarms; true if it had fired, whose interrupt is then cleared from this thread. */
    boolean disarm() {
      if (STATE.compareAndSet(this, ARMED, DISARMED)) return false;
      while (state == FIRING) {
        Thread.onSpinWait(); // the watcher is interrupting us: wait, so that we clear it
      }
      Thread.interrupted();
      return true;
    }
  }

  private static Thread watcher() {
    Thread t = new Thread(Watchdog::watch, "agentmesh-deadlines");
    t.setDaemon(true);
    t.start();
    return t;
  }
}
