package dev.agentmesh.testsupport;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Waits, up to a timeout, for a condition another thread, process or server makes true: it asks at
 * once, then again after 1 ms, doubling the pause up to 50 ms, so a condition met quickly is seen
 * quickly and a slow one (an HTTP endpoint polled) is not asked in a tight loop.
 *
 * <pre>{@code
 * Await.until("three calls are held", Duration.ofSeconds(10), () -> model.held() == 3);
 * JsonNode review = Await.value("the reply's review", TURN, () -> findReview(http, session));
 * }</pre>
 */
public final class Await {

  private static final long FIRST_PAUSE = Duration.ofMillis(1).toNanos();
  private static final long LONGEST_PAUSE = Duration.ofMillis(50).toNanos();

  private Await() {}

  /**
   * Returns once {@code condition} is true.
   *
   * @param what the condition, in words, for the failure's message
   * @param timeout how long to wait at most
   * @param condition what must become true
   * @throws AssertionError if it is still false after {@code timeout}
   */
  public static void until(String what, Duration timeout, BooleanSupplier condition) {
    value(what, timeout, () -> condition.getAsBoolean() ? Optional.of(true) : Optional.empty());
  }

  /**
   * Returns the first value {@code probe} finds.
   *
   * @param <T> the value's type
   * @param what the value, in words, for the failure's message
   * @param timeout how long to wait at most
   * @param probe looks for the value; empty while there is none yet
   * @return the value found
   * @throws AssertionError if none was found within {@code timeout}
   */
  public static <T> T value(String what, Duration timeout, Supplier<Optional<T>> probe) {
    long deadline = System.nanoTime() + timeout.toNanos();
    long pause = FIRST_PAUSE;
    while (true) {
      Optional<T> found = probe.get();
      if (found.isPresent()) return found.get();
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("Timed out after " + timeout + " waiting until " + what);
      }
      LockSupport.parkNanos(pause);
      if (Thread.interrupted()) {
        Thread.currentThread().interrupt();
        throw new AssertionError("Interrupted while waiting until " + what);
      }
      pause = Math.min(pause * 2, LONGEST_PAUSE);
    }
  }
}
