package dev.agentmesh.core;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The queue in front of one model alias: at most {@code limit} calls of the alias's model run at
 * once, across every agent and run of the mesh; the others wait their turn, first come first
 * served. Made by {@link Mesh.Builder#modelConcurrency}; a mesh without limits has no gate, and its
 * model calls never touch one. Thread-safe.
 *
 * <p>Waiting parks the calling thread on a fair {@link Semaphore}: on a virtual thread (JDK 21+)
 * that frees its carrier. A permit is held for exactly as long as the model's {@code chat} runs, on
 * whichever thread runs it, and never across tool calls, so a parent agent never holds a permit its
 * child agents wait for.
 */
final class ModelGate {

  private final String alias;
  private final int limit;
  private final Semaphore permits;

  ModelGate(String alias, int limit) {
    this.alias = alias;
    this.limit = limit;
    this.permits = new Semaphore(limit, true);
  }

  String alias() {
    return alias;
  }

  int limit() {
    return limit;
  }

  /** {@return how many calls wait for a permit now (an estimate, for tests and monitoring)} */
  int waiting() {
    return permits.getQueueLength();
  }

  /** {@return how many calls hold a permit now} */
  int inFlight() {
    return limit - permits.availablePermits();
  }

  /**
   * Waits for a permit, at most {@code millis}.
   *
   * @return the permit, which knows how long it was waited for
   * @throws InterruptedException when the thread was interrupted while waiting
   * @throws TimeoutException when no permit came in time
   */
  Permit acquire(long millis) throws InterruptedException, TimeoutException {
    long start = System.nanoTime();
    // A free permit is taken at once, even by a thread whose interrupt flag is set or whose time
    // is up; only a call that must queue waits (in arrival order).
    boolean got = permits.tryAcquire() || permits.tryAcquire(millis, TimeUnit.MILLISECONDS);
    if (!got) throw new TimeoutException();
    return new Permit(Duration.ofNanos(System.nanoTime() - start));
  }

  /**
   * One granted permit. Whoever runs the call through {@link #around} gives it back when the call
   * ends; {@link #close()} gives it back if the call never started (a listener stopped the run, or
   * a hand-off was cancelled before it ran). Either way it is given back exactly once.
   */
  final class Permit implements AutoCloseable {
    private static final int GRANTED = 0;
    private static final int RUNNING = 1;
    private static final int RETURNED = 2;

    private final Duration waited;
    private final AtomicInteger state = new AtomicInteger(GRANTED);

    private Permit(Duration waited) {
      this.waited = waited;
    }

    /** {@return how long the call waited for this permit} */
    Duration waited() {
      return waited;
    }

    /** The call, holding this permit while it runs and giving it back when it ends. */
    <T> Supplier<T> around(Supplier<T> call) {
      return () -> {
        if (!state.compareAndSet(GRANTED, RUNNING)) {
          throw new IllegalStateException(
              "The call of model alias '" + alias + "' was abandoned before it started");
        }
        try {
          return call.get();
        } finally {
          state.set(RETURNED);
          permits.release();
        }
      };
    }

    /** Gives the permit back unless a call holds it (that call gives it back when it ends). */
    @Override
    public void close() {
      if (state.compareAndSet(GRANTED, RETURNED)) permits.release();
    }
  }
}
