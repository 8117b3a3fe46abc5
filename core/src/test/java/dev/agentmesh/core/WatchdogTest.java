package dev.agentmesh.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agentmesh.testsupport.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class WatchdogTest {

  /** A step that blocks until interrupted, then says so by throwing. */
  private static String blockUntilInterrupted() {
    try {
      new CountDownLatch(1).await();
      throw new AssertionError("unreachable");
    } catch (InterruptedException e) {
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** Runs {@code each} on {@code threads} threads at once and waits for all of them. */
  private static void onThreads(int threads, Callable<?> each) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) done.add(pool.submit(each));
      for (Future<?> f : done) f.get(2, TimeUnit.MINUTES);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aStepPastItsDeadlineIsInterruptedOnceAndTheInterruptIsCleared() {
    TimeoutException timedOut =
        assertThrows(
            TimeoutException.class, () -> Watchdog.inline(WatchdogTest::blockUntilInterrupted, 20));
    assertInstanceOf(IllegalStateException.class, timedOut.getCause());
    assertFalse(Thread.currentThread().isInterrupted(), "the alarm's interrupt is cleared");
  }

  @Test
  void aStepThatEndsInTimeReturnsItsResultAndLeavesTheThreadUninterrupted() throws Exception {
    assertEquals("done", Watchdog.inline(() -> "done", 60_000));
    assertFalse(Thread.currentThread().isInterrupted());
    RuntimeException thrown =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                Watchdog.inline(
                    () -> {
                      throw new IllegalArgumentException("the step's own failure");
                    },
                    60_000));
    assertEquals("the step's own failure", thrown.getMessage());
  }

  @Test
  void closedWatchesDoNotPileUpOnTheStack() throws Exception {
    for (int i = 0; i < 10 * Watchdog.SWEEP_EVERY; i++) {
      Watchdog.Watch watch = new Watchdog.Watch(); // as a run nested in another run gets one
      watch.step(() -> "quick", System.nanoTime() + 600_000_000_000L);
      watch.close();
    }
    // The watcher sweeps after every SWEEP_EVERY registered, on its own thread: await that.
    long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (Watchdog.stacked() > Watchdog.SWEEP_EVERY && System.nanoTime() < giveUp) {
      Thread.onSpinWait();
    }
    int stacked = Watchdog.stacked();
    assertTrue(
        stacked <= Watchdog.SWEEP_EVERY,
        "at most one sweep's worth of finished steps stay stacked, but " + stacked + " do");
  }

  @Test
  void stepsWithFarDeadlinesDoNotWakeTheWatcher() throws Exception {
    int steps = 20 * Watchdog.SWEEP_EVERY;
    long before = Watchdog.wakeUps();
    for (int i = 0; i < steps; i++) {
      Watchdog.inline(() -> "quick", 600_000);
    }
    long wakeUps = Watchdog.wakeUps() - before;
    // One wake-up per sweep; a watcher that slept until woken when it had nothing armed was woken
    // by almost every step, and waking a thread costs more than the step's own bookkeeping.
    long allowed = steps / Watchdog.SWEEP_EVERY + 10;
    assertTrue(
        wakeUps <= allowed,
        steps + " quick steps woke the watcher " + wakeUps + " times; at most " + allowed);
  }

  @Test
  void aStepDueAfterTheWatchersLongestSleepStillTimesOut() {
    long millis = TimeUnit.NANOSECONDS.toMillis(Watchdog.LOOK_EVERY) + 200;
    long start = System.nanoTime();
    assertThrows(
        TimeoutException.class, () -> Watchdog.inline(WatchdogTest::blockUntilInterrupted, millis));
    long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertTrue(took >= millis, "interrupted after " + took + " ms, before its " + millis + " ms");
    assertFalse(Thread.currentThread().isInterrupted());
  }

  @Test
  void underConcurrencyExactlyTheStepsPastTheirDeadlineAreInterrupted() throws Exception {
    int threads = 4;
    int stepsEach = 3_000;
    AtomicInteger timedOut = new AtomicInteger();
    AtomicInteger wronglyInterrupted = new AtomicInteger();
    onThreads(
        threads,
        () -> {
          for (int i = 0; i < stepsEach; i++) {
            boolean slow = i % 500 == 0;
            try {
              Watchdog.inline(
                  slow
                      ? WatchdogTest::blockUntilInterrupted
                      : () -> {
                        if (Thread.currentThread().isInterrupted()) {
                          wronglyInterrupted.incrementAndGet();
                        }
                        return "quick";
                      },
                  slow ? 10 : 600_000);
              assertFalse(slow, "a blocked step returned without its alarm");
            } catch (TimeoutException e) {
              timedOut.incrementAndGet();
            }
            assertFalse(Thread.currentThread().isInterrupted());
          }
          return null;
        });
    assertEquals(threads * (stepsEach / 500), timedOut.get(), "every blocked step timed out");
    assertEquals(0, wronglyInterrupted.get(), "no step in time saw an interrupt");
  }

  @Test
  void aLookAtAStepThatJustEndedNeverInterruptsTheNextStepOfTheSameRun() throws Exception {
    // Steps that end right about when they are due, each followed at once by a quick step of the
    // same watch: a watcher that saw the first one running and due must not interrupt the second.
    int threads = 2;
    int pairs = 2_000;
    AtomicInteger wronglyInterrupted = new AtomicInteger();
    AtomicInteger timedOut = new AtomicInteger();
    onThreads(
        threads,
        () -> {
          Watchdog.Watch watch = new Watchdog.Watch();
          try {
            for (int i = 0; i < pairs; i++) {
              long due = System.nanoTime() + 100_000;
              try {
                watch.step(
                    () -> {
                      while (System.nanoTime() - due < 0) Thread.onSpinWait();
                      return "borderline";
                    },
                    due);
              } catch (TimeoutException e) {
                timedOut.incrementAndGet();
              }
              assertFalse(Thread.currentThread().isInterrupted());
              watch.step(
                  () -> {
                    if (Thread.currentThread().isInterrupted()) {
                      wronglyInterrupted.incrementAndGet();
                    }
                    return "quick";
                  },
                  System.nanoTime() + TimeUnit.MINUTES.toNanos(10));
              assertFalse(Thread.currentThread().isInterrupted());
            }
          } finally {
            watch.close();
          }
          return null;
        });
    assertEquals(0, wronglyInterrupted.get(), "no quick step saw the interrupt of the one before");
    System.out.println(
        "WatchdogTest: "
            + timedOut.get()
            + " of "
            + threads * pairs
            + " borderline steps timed out");
  }

  @Test
  void aStepAfterItsRunEndedIsRefused() throws Exception {
    Watchdog.Watch watch = new Watchdog.Watch();
    assertEquals("in time", watch.step(() -> "in time", System.nanoTime() + 60_000_000_000L));
    watch.close();
    IllegalStateException refused =
        assertThrows(
            IllegalStateException.class, () -> watch.step(() -> "late", System.nanoTime()));
    assertEquals("a step started after its run ended", refused.getMessage());
  }

  @Test
  void aThreadsRunsOneAfterAnotherShareOneWatchAndANestedRunGetsItsOwn() throws Exception {
    Watchdog.Watch first = Watchdog.Watch.take();
    first.step(() -> "registered", System.nanoTime() + 60_000_000_000L);
    Watchdog.Watch nested = Watchdog.Watch.take();
    assertNotSame(first, nested, "a run inside a run has its own steps to bound");
    nested.release();
    first.release();

    long wakeUpsBefore = Watchdog.wakeUps();
    for (int i = 0; i < 3 * Watchdog.SWEEP_EVERY; i++) {
      Watchdog.Watch again = Watchdog.Watch.take();
      assertSame(first, again);
      again.step(() -> "quick", System.nanoTime() + 60_000_000_000L);
      again.release();
    }
    long wakeUps = Watchdog.wakeUps() - wakeUpsBefore;
    // None of these runs registers a watch or steps due soon; a few wake-ups may come from other
    // threads still running steps of earlier tests.
    assertTrue(wakeUps <= 10, "runs on a kept watch woke the watcher " + wakeUps + " times");
  }

  @Test
  void theWatcherDropsTheWatchOfAThreadThatEnded() throws Exception {
    java.util.concurrent.atomic.AtomicReference<Watchdog.Watch> kept =
        new java.util.concurrent.atomic.AtomicReference<>();
    Thread worker =
        new Thread(
            () -> {
              Watchdog.Watch watch = Watchdog.Watch.take();
              kept.set(watch);
              try {
                watch.step(() -> "once", System.nanoTime() + 60_000_000_000L);
              } catch (TimeoutException e) {
                throw new AssertionError(e);
              } finally {
                watch.release();
              }
            });
    worker.start();
    worker.join();
    // Dropped at the watcher's next look, LOOK_EVERY at the latest.
    Await.until(
        "the ended thread's watch leaves the stack",
        Duration.ofSeconds(10),
        () -> kept.get().dropped);
  }

  @Test
  void aStepThatThrowsACheckedExceptionUndeclaredStillEndsAndTheNextStepIsBounded()
      throws Exception {
    Watchdog.Watch watch = new Watchdog.Watch();
    try {
      java.io.IOException sneaky =
          assertThrows(
              java.io.IOException.class,
              () -> watch.step(WatchdogTest::throwSneakily, System.nanoTime() + 50_000_000L));
      assertEquals("connection reset", sneaky.getMessage());
      // Past the first step's time: an interrupt meant for it would end this wait early.
      assertFalse(
          new CountDownLatch(1).await(150, TimeUnit.MILLISECONDS), "nothing counts it down");
      assertFalse(Thread.interrupted(), "the ended step's time interrupted the thread after it");
      long start = System.nanoTime();
      assertThrows(
          TimeoutException.class,
          () -> watch.step(WatchdogTest::blockUntilInterrupted, System.nanoTime() + 100_000_000L));
      long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertTrue(took < 1_000, "the next step was interrupted after " + took + " ms, not ~100");
    } finally {
      watch.close();
    }
  }

  /** Throws a checked exception its signature does not declare, as some model adapters do. */
  private static String throwSneakily() {
    return WatchdogTest.<RuntimeException>sneak(new java.io.IOException("connection reset"));
  }

  @SuppressWarnings("unchecked")
  private static <E extends Throwable> String sneak(Throwable e) throws E {
    throw (E) e;
  }

  @Test
  void aStepPastItsTimeWithinItsGraceIsMarkedLateNotInterrupted() throws Exception {
    Watchdog.Watch watch = new Watchdog.Watch();
    try {
      long now = System.nanoTime();
      AtomicInteger interrupted = new AtomicInteger();
      TimeoutException late =
          assertThrows(
              TimeoutException.class,
              () ->
                  watch.step(
                      (Integer millis, Object unused) -> {
                        try {
                          // A model taking its time, past its due time but within its grace.
                          new CountDownLatch(1).await(millis, TimeUnit.MILLISECONDS);
                        } catch (InterruptedException e) {
                          interrupted.incrementAndGet();
                        }
                        return "answer after its time";
                      },
                      200,
                      "",
                      now + TimeUnit.MILLISECONDS.toNanos(20),
                      now + TimeUnit.SECONDS.toNanos(60)));
      assertEquals(null, late.getCause());
      assertEquals(0, interrupted.get(), "within its grace, the step is not interrupted");
      assertFalse(Thread.currentThread().isInterrupted());

      long again = System.nanoTime();
      assertEquals(
          "in time",
          watch.step(
              (String answer, Object unused) -> answer,
              "in time",
              "",
              again + TimeUnit.SECONDS.toNanos(60),
              again + TimeUnit.SECONDS.toNanos(120)));
    } finally {
      watch.close();
    }
  }
}
