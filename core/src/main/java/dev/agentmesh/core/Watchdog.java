package dev.agentmesh.core;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Bounds a blocking step of a run by its deadline, two ways. A {@link Watch} runs steps on this
 * thread, with no hand-off, and interrupts the thread when a step outlives its time (as OkHttp's
 * watchdog times out a call): for steps that give up when interrupted or by themselves. {@link
 * #handOff} runs a step on an executor and stops waiting at the deadline: for steps that may ignore
 * interrupts.
 *
 * <p>One daemon thread watches every run's {@link Watch}. Almost every step ends well before its
 * time, so starting and ending one are what must be cheap: a run registers its watch once, on a
 * lock-free stack (one compare-and-set); a step then costs one volatile write to start and one
 * compare-and-set to end, on the run's own watch, and wakes the watcher only if it is due before
 * the wake-up the watcher already planned. The watcher never plans to sleep longer than {@link
 * #LOOK_EVERY}, so a step whose time is further away than that (the usual case: timeouts are
 * minutes, steps milliseconds) wakes no one: waking a thread costs far more than the step's own
 * bookkeeping. Closed watches leave the stack when the watcher next looks at it: at the next due
 * step, at the latest after {@link #LOOK_EVERY}, or after every {@value #SWEEP_EVERY} runs
 * registered, so the stack holds at most about that many finished runs besides the running ones.
 */
final class Watchdog {

  /** The origin of the watches' times, so that times are positive and compare plainly. */
  private static final long ORIGIN = System.nanoTime();

  /**
   * The longest the watcher sleeps, in nanoseconds: a step due later than its next look does not
   * wake it.
   */
  static final long LOOK_EVERY = TimeUnit.SECONDS.toNanos(1);

  /** Every this many watches registered, registering wakes the watcher to drop the closed ones. */
  static final int SWEEP_EVERY = 1024;

  /**
   * The top of the stack of watches registered since the watcher last looked, and of those it kept
   * (the running runs); closed ones leave it when the watcher looks.
   */
  private static final AtomicReference<@Nullable Watch> WATCHED = new AtomicReference<>();

  /**
   * The latest the watching thread will wake up: a step due sooner wakes it. While it looks, the
   * latest it could plan to sleep until.
   */
  private static volatile long wakeAt = Long.MAX_VALUE;

  /** How many times starting a step or registering a watch has woken the watcher (for tests). */
  private static final AtomicLong WAKE_UPS = new AtomicLong();

  private static final Thread WATCHER = watcher();

  private Watchdog() {}

  /**
   * Runs {@code step} on this thread; if it is still running after {@code millis}, interrupts this
   * thread once. The interrupt is cleared before this returns.
   *
   * @throws TimeoutException when the time ran out; what the step threw then is its cause
   */
  static <T> T inline(Supplier<T> step, long millis) throws TimeoutException {
    Watch watch = Watch.take();
    try {
      return watch.step(
          step, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.max(millis, 0)));
    } finally {
      watch.release();
    }
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

  /** {@return how many times starting a step or registering a watch has woken the watcher} */
  static long wakeUps() {
    return WAKE_UPS.get();
  }

  /** How many watches the stack holds now, closed ones not yet dropped included (for tests). */
  static int stacked() {
    int n = 0;
    for (Watch w = WATCHED.get(); w != null; w = w.below) n++;
    return n;
  }

  /** Wakes the watcher if a step due at {@code at} would come before its planned wake-up. */
  private static void wakeIfBefore(long at, boolean sweep) {
    if (at < wakeAt || sweep) {
      WAKE_UPS.incrementAndGet();
      LockSupport.unpark(WATCHER);
    }
  }

  /**
   * The watching thread: takes the whole stack, interrupts every step that is due, drops the closed
   * watches, pushes back the rest, then sleeps until the next step is due or {@link #LOOK_EVERY}
   * has passed.
   */
  private static void watch() {
    while (true) {
      long now = System.nanoTime() - ORIGIN;
      // A step started while we look, too late for this look, wakes us again if it is due before
      // the latest we will sleep until. (Not every step started meanwhile: under a steady stream
      // of steps, that kept the watcher looking without a pause.)
      wakeAt = now + LOOK_EVERY;
      long next = Long.MAX_VALUE;
      Watch keptTop = null;
      Watch keptBottom = null;
      int kept = 0;
      for (Watch watch = WATCHED.getAndSet(null); watch != null; ) {
        Watch below = watch.below;
        watch.below = null;
        long due = watch.look(now);
        if (due == Watch.CLOSED_DUE) {
          watch.dropped = true;
        } else {
          next = Math.min(next, due);
          if (keptBottom == null) {
            keptTop = watch;
          } else {
            keptBottom.below = watch;
          }
          keptBottom = watch;
          kept++;
        }
        watch = below;
      }
      if (keptTop != null && keptBottom != null) pushBack(keptTop, keptBottom, kept);
      long wake = Math.min(next, now + LOOK_EVERY);
      wakeAt = wake;
      LockSupport.parkNanos(Watchdog.class, wake - (System.nanoTime() - ORIGIN));
    }
  }

  /**
   * Puts the kept watches, {@code top} to {@code bottom}, back on the stack, above any registered
   * while the watcher looked.
   */
  private static void pushBack(Watch top, Watch bottom, int count) {
    Watch under;
    do {
      under = WATCHED.get();
      bottom.below = under;
      int depth = (under == null ? 0 : under.depth) + count;
      for (Watch w = top; w != null && w != under; w = w.below) {
        w.depth = depth--;
      }
    } while (!WATCHED.compareAndSet(under, top));
  }

  /**
   * The watch over one run's steps on one thread: {@link #take} gets one when the run starts,
   * {@link #step} runs a step, interrupting the thread once if it outlives its time, and {@link
   * #release} gives the watch back when the run ends. Registered with the watcher at its first
   * step.
   *
   * <p>A thread keeps one watch for its runs, one after another: registering is a compare-and-set
   * on the stack every thread shares, too dear to pay per run. A run that starts while another runs
   * on the same thread (an agent called as a tool) gets a watch of its own, closed when it ends.
   * The watcher drops a thread's watch when it finds the thread dead.
   *
   * <p>Its state is a generation (one per step) and a status. The run's thread alone starts a step
   * (idle to running, a new generation) and ends it (running or late to idle, one compare-and-set);
   * the watcher marks a step late or interrupts it only as it saw it, by a compare-and-set on that
   * very generation, so a late look can never touch the step after it. Not thread-safe apart from
   * that: one thread runs the steps and closes the watch.
   */
  static final class Watch {
    private static final long IDLE = 0;
    private static final long RUNNING = 1;
    private static final long FIRING = 2;
    private static final long FIRED = 3;
    private static final long CLOSED = 4;

    /** Running past its time, within its grace: not interrupted yet. */
    private static final long LATE = 5;

    private static final long STATUS = 7;
    private static final long GENERATION = 8;

    /** What {@link #look} returns for a closed watch: drop it. */
    static final long CLOSED_DUE = Long.MIN_VALUE;

    private static final AtomicLongFieldUpdater<Watch> STATE =
        AtomicLongFieldUpdater.newUpdater(Watch.class, "state");

    /** The watch this thread's next run takes, unless a run on the thread still holds it. */
    private static final ThreadLocal<@Nullable Watch> KEPT = new ThreadLocal<>();

    private @Nullable Thread thread;

    /** Whether this is its thread's kept watch, which outlives each run. */
    private boolean kept;

    /** Whether a run holds it; only its thread reads and writes it. */
    private boolean taken;

    /** When the running step is to be interrupted; written before the state that publishes it. */
    private long at;

    /** When the running step is late (at or before {@link #at}); written with it. */
    private long lateAt;

    private volatile long state; // IDLE of generation 0: the default, with no volatile write

    /** Below on the stack; written before the push, and by the watcher while it holds it off. */
    @Nullable Watch below;

    /** How deep on the stack; only guides when to sweep, so a stale read is harmless. */
    int depth;

    /** Whether the watcher has dropped it for good (for tests). */
    volatile boolean dropped;

    /**
     * Runs {@code step} on this thread; if it is still running at {@code nanoTimeAt} (a {@link
     * System#nanoTime()} value), interrupts this thread once. The interrupt is cleared before this
     * returns.
     *
     * @throws TimeoutException when the time ran out; what the step threw then is its cause
     */
    <T> T step(Supplier<T> step, long nanoTimeAt) throws TimeoutException {
      return step(step, nanoTimeAt, nanoTimeAt);
    }

    /**
     * {@link #step(Supplier, long)} with a grace period; see {@link #step(BiFunction, Object,
     * Object, long, long)}.
     *
     * @throws TimeoutException when the step was marked late or interrupted; what it threw then is
     *     the cause
     */
    <T> T step(Supplier<T> step, long lateAt, long interruptAt) throws TimeoutException {
      return step((supplier, unused) -> supplier.get(), step, this, lateAt, interruptAt);
    }

    /**
     * {@link #step(Supplier, long)} for a step that is a function of two values, such as {@code
     * ChatModel::chat} of a model and a request: with no lambda capturing them, a step allocates
     * nothing.
     *
     * @throws TimeoutException when the time ran out; what the step threw then is its cause
     */
    <A, B, T> T step(BiFunction<A, B, T> step, A first, B second, long nanoTimeAt)
        throws TimeoutException {
      return step(step, first, second, nanoTimeAt, nanoTimeAt);
    }

    /**
     * {@link #step(BiFunction, Object, Object, long)} with a grace period: a step still running at
     * {@code lateAt} is marked late, and interrupted only if it is still running at {@code
     * interruptAt}. A late step's result is dropped: this throws {@link TimeoutException} as if it
     * had been interrupted. So the caller learns that a step ended after its time without reading
     * the clock; the mark comes when the watcher wakes for it, a little after {@code lateAt}.
     *
     * @throws TimeoutException when the step was marked late or interrupted; what it threw then is
     *     the cause
     */
    <A, B, T> T step(BiFunction<A, B, T> step, A first, B second, long lateAt, long interruptAt)
        throws TimeoutException {
      long running = start(lateAt - ORIGIN, interruptAt - ORIGIN);
      T result;
      try {
        result = step.apply(first, second);
      } catch (RuntimeException e) {
        if (end(running)) throw timedOut(e);
        throw e;
      } catch (Throwable e) {
        // An Error, or a checked exception thrown undeclared (a sneaky throw): the step ends
        // either way, or the watch would stay running and fire into whatever the thread runs next.
        end(running);
        throw e;
      }
      if (end(running)) throw new TimeoutException();
      return result;
    }

    /**
     * A watch for a run starting on this thread: the thread's kept one if no run holds it, else a
     * new one. Give it back with {@link #release} when the run ends, on the same thread.
     */
    static Watch take() {
      Watch watch = KEPT.get();
      if (watch != null && !watch.taken) {
        watch.taken = true;
        return watch;
      }
      Watch fresh = new Watch();
      fresh.taken = true;
      if (watch == null) {
        try {
          KEPT.set(fresh);
          fresh.kept = true;
        } catch (UnsupportedOperationException noThreadLocals) {
          // a thread built without thread locals: a watch per run, closed when it ends
        }
      }
      return fresh;
    }

    /** Gives the watch back: the run has no more steps. Call it between steps, on its thread. */
    void release() {
      taken = false;
      if (!kept) close();
    }

    /** Ends the watch for good; the watcher drops it at its next look. */
    void close() {
      state = CLOSED;
    }

    /** Starts a step due at {@code at}; returns its running state. */
    private long start(long lateAt, long at) {
      if (thread == null) register();
      long idle = state;
      if (idle == CLOSED) throw new IllegalStateException("a step started after its run ended");
      if ((idle & STATUS) != IDLE) {
        throw new IllegalStateException("a step started while another one runs on its watch");
      }
      this.lateAt = Math.min(lateAt, at);
      this.at = at;
      long running = idle + GENERATION | RUNNING;
      state = running; // only this thread leaves IDLE
      // Read after the write: either the watcher's next look sees the step, or this wakes it.
      wakeIfBefore(this.lateAt, false);
      return running;
    }

    /**
     * Ends the step; true if the watcher marked it late or interrupted it (whose interrupt is then
     * cleared).
     */
    private boolean end(long running) {
      long idle = running & ~STATUS;
      if (STATE.compareAndSet(this, running, idle)) return false;
      if (STATE.compareAndSet(this, idle | LATE, idle)) return true; // late, not interrupted
      while (state == (idle | FIRING)) {
        Thread.onSpinWait(); // the watcher is interrupting us: wait, so that we clear it
      }
      Thread.interrupted();
      state = idle;
      return true;
    }

    private void register() {
      thread = Thread.currentThread();
      Watch top;
      do {
        top = WATCHED.get();
        below = top;
        depth = top == null ? 1 : top.depth + 1;
      } while (!WATCHED.compareAndSet(top, this));
      if (depth % SWEEP_EVERY == 0) wakeIfBefore(Long.MAX_VALUE, true);
    }

    /**
     * The watcher's look at time {@code now}: interrupts a running step that is due; returns when
     * the watcher must look again for this watch ({@link Long#MAX_VALUE} for none yet), or {@link
     * #CLOSED_DUE} to drop it.
     */
    private long look(long now) {
      long s = state;
      long status = s & STATUS;
      if (status == CLOSED) return CLOSED_DUE;
      Thread t = thread;
      if (kept && status != FIRING && t != null && !t.isAlive()) {
        return CLOSED_DUE; // a thread's kept watch outlives its runs, not the thread
      }
      if (status != RUNNING && status != LATE) return Long.MAX_VALUE;
      // Both of this generation, or of a later one (then the compare-and-set fails).
      long late = lateAt;
      long due = at;
      if (status == RUNNING && late <= now && due > now) {
        // Past its time, within its grace: marked, so the step's result will be dropped.
        return STATE.compareAndSet(this, s, (s & ~STATUS) | LATE) ? due : Long.MAX_VALUE;
      }
      if (due > now) return status == RUNNING ? late : due;
      if (STATE.compareAndSet(this, s, (s & ~STATUS) | FIRING)) {
        java.util.Objects.requireNonNull(thread).interrupt();
        state = (s & ~STATUS) | FIRED;
        return Long.MAX_VALUE;
      }
      // The step ended meanwhile. A later one due already woke us when it started.
      return (state & STATUS) == CLOSED ? CLOSED_DUE : Long.MAX_VALUE;
    }

    private static TimeoutException timedOut(Throwable cause) {
      TimeoutException e = new TimeoutException();
      e.initCause(cause);
      return e;
    }
  }

  private static Thread watcher() {
    Thread t = new Thread(Watchdog::watch, "agentmesh-deadlines");
    t.setDaemon(true);
    t.start();
    return t;
  }
}
