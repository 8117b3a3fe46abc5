package dev.agentmesh.review.notify;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * When to try a failed delivery again: exponential backoff from {@code initialDelay}, doubled per
 * attempt up to {@code maxDelay}, with "equal jitter" (a random point in the upper half of the
 * delay), for at most {@code maxAttempts} attempts. A pure function of the attempt number and a
 * random draw, so a durable timer can compute the same schedule.
 *
 * <pre>{@code
 * DeliveryRetryPolicy policy = new DeliveryRetryPolicy(5, Duration.ofSeconds(10), Duration.ofMinutes(10));
 * policy.delayAfter(1, RandomGenerator.getDefault()); // between 5 and 10 seconds
 * }</pre>
 *
 * @param maxAttempts attempts in all, the first included; 1 to 100
 * @param initialDelay the delay before the second attempt, before jitter
 * @param maxDelay the longest delay, before jitter
 */
public record DeliveryRetryPolicy(int maxAttempts, Duration initialDelay, Duration maxDelay) {

  /** 6 attempts over about 15 minutes: 30 s, 1, 2, 4, 8 min. */
  public static final DeliveryRetryPolicy DEFAULT =
      new DeliveryRetryPolicy(6, Duration.ofSeconds(30), Duration.ofMinutes(8));

  /**
   * Checks the delays are there and the attempts in range.
   *
   * @param maxAttempts attempts in all, the first included; 1 to 100
   * @param initialDelay the delay before the second attempt, before jitter
   * @param maxDelay the longest delay, before jitter
   */
  public DeliveryRetryPolicy {
    Objects.requireNonNull(initialDelay, "initialDelay");
    Objects.requireNonNull(maxDelay, "maxDelay");
    if (maxAttempts < 1 || maxAttempts > 100) {
      throw new IllegalArgumentException(
          "maxAttempts must be between 1 and 100 but was " + maxAttempts);
    }
    if (initialDelay.isNegative()
        || initialDelay.isZero()
        || maxDelay.compareTo(initialDelay) < 0) {
      throw new IllegalArgumentException(
          "initialDelay must be positive and at most maxDelay but was "
              + initialDelay
              + " (maxDelay "
              + maxDelay
              + ")");
    }
  }

  /**
   * The delay after failed attempt {@code attempt} (1-based), or empty when it was the last.
   *
   * @param attempt the failed attempt's number, 1-based
   * @param random the source of jitter
   * @return the delay, or empty
   */
  public Optional<Duration> delayAfter(int attempt, RandomGenerator random) {
    if (attempt >= maxAttempts) {
      return Optional.empty();
    }
    long base = initialDelay.toMillis();
    long capped = maxDelay.toMillis();
    long delay = base;
    for (int i = 1; i < attempt && delay < capped; i++) {
      delay = Math.min(capped, delay * 2);
    }
    delay = Math.min(capped, delay);
    long half = delay / 2;
    return Optional.of(Duration.ofMillis(delay - half + (long) (random.nextDouble() * half)));
  }
}
