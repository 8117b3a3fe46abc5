package dev.agentmesh.models;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import org.jspecify.annotations.Nullable;

/**
 * How a model adapter retries a failed call: only failures whose {@link
 * dev.agentmesh.core.spi.ModelException.Kind kind} is retryable, with exponential backoff and full
 * jitter, bounded by a number of attempts and by an overall deadline. A provider's {@code
 * Retry-After} (or its rate-limit reset header) is honoured: the adapter waits at least that long,
 * or gives up at once when that would pass the deadline.
 *
 * <pre>{@code
 * RetryPolicy retries = RetryPolicy.builder()
 *     .maxAttempts(4)
 *     .initialBackoff(Duration.ofMillis(500))
 *     .maxBackoff(Duration.ofSeconds(20))
 *     .deadline(Duration.ofMinutes(2))
 *     .build();
 * ChatModel model = OpenAiChatModel.builder().apiKey(key).model("gpt-4.1-mini").retryPolicy(retries).build();
 * }</pre>
 *
 * <p>The delay before retry {@code n} (1-based) is a random duration in {@code [0, min(maxBackoff,
 * initialBackoff * 2^(n-1))]}. The clock, the random source and the {@link Sleeper} are injectable
 * so tests run without waiting. Immutable and thread-safe.
 */
public final class RetryPolicy {

  /**
   * Waits between attempts. The default sleeps the calling thread; tests pass one that records the
   * delay and advances a fake clock instead.
   *
   * <pre>{@code
   * List<Duration> waited = new ArrayList<>();
   * RetryPolicy policy = RetryPolicy.builder().sleeper(waited::add).build();
   * }</pre>
   */
  @FunctionalInterface
  public interface Sleeper {
    /**
     * Waits for {@code delay}; throws when the thread is interrupted.
     *
     * @param delay how long to wait
     * @throws InterruptedException when the thread is interrupted while waiting
     */
    void sleep(Duration delay) throws InterruptedException;
  }

  private static final RetryPolicy DEFAULTS = builder().build();
  private static final RetryPolicy NONE = builder().maxAttempts(1).build();

  private final int maxAttempts;
  private final Duration initialBackoff;
  private final Duration maxBackoff;
  private final Duration deadline;
  private final Sleeper sleeper;
  private final Clock clock;
  private final DoubleSupplier random;

  private RetryPolicy(Builder b) {
    this.maxAttempts = b.maxAttempts;
    this.initialBackoff = b.initialBackoff;
    this.maxBackoff = b.maxBackoff;
    this.deadline = b.deadline;
    this.sleeper = b.sleeper;
    this.clock = b.clock;
    this.random = b.random;
  }

  /**
   * {@return the default policy: three attempts, 1 s initial and 30 s maximum backoff, a 3 minute
   * deadline}
   */
  public static RetryPolicy defaults() {
    return DEFAULTS;
  }

  /** {@return a policy of one attempt: every failure is thrown at once} */
  public static RetryPolicy none() {
    return NONE;
  }

  /** {@return a builder starting from {@link #defaults()}} */
  public static Builder builder() {
    return new Builder();
  }

  /** {@return how many times a call is tried in all, retries included} */
  public int maxAttempts() {
    return maxAttempts;
  }

  /** {@return the backoff cap before the first retry} */
  public Duration initialBackoff() {
    return initialBackoff;
  }

  /** {@return the largest backoff cap} */
  public Duration maxBackoff() {
    return maxBackoff;
  }

  /** {@return the time from the first attempt after which no retry starts} */
  public Duration deadline() {
    return deadline;
  }

  /** {@return what waits between attempts} */
  public Sleeper sleeper() {
    return sleeper;
  }

  /** {@return the clock the deadline is measured on} */
  public Clock clock() {
    return clock;
  }

  /**
   * The delay before retry number {@code retry} (1 for the first retry): full jitter over the
   * exponential cap, and at least {@code retryAfter} when the provider asked for it.
   *
   * @param retry the retry's number, 1 or more
   * @param retryAfter the wait the provider asked for, or {@code null}
   * @return the delay
   */
  public Duration delayBeforeRetry(int retry, @Nullable Duration retryAfter) {
    if (retry < 1) {
      throw new IllegalArgumentException("retry must be >= 1 but was " + retry);
    }
    long capMillis = initialBackoff.toMillis();
    for (int i = 1; i < retry && capMillis < maxBackoff.toMillis(); i++) {
      capMillis *= 2;
    }
    capMillis = Math.min(capMillis, maxBackoff.toMillis());
    double r = Math.min(1.0, Math.max(0.0, random.getAsDouble()));
    Duration jittered = Duration.ofMillis(Math.round(r * capMillis));
    return retryAfter != null && retryAfter.compareTo(jittered) > 0 ? retryAfter : jittered;
  }

  /** {@return a builder holding this policy's values} */
  public Builder toBuilder() {
    return builder()
        .maxAttempts(maxAttempts)
        .initialBackoff(initialBackoff)
        .maxBackoff(maxBackoff)
        .deadline(deadline)
        .sleeper(sleeper)
        .clock(clock)
        .random(random);
  }

  @Override
  public String toString() {
    return "RetryPolicy{maxAttempts="
        + maxAttempts
        + ", initialBackoff="
        + initialBackoff
        + ", maxBackoff="
        + maxBackoff
        + ", deadline="
        + deadline
        + "}";
  }

  /**
   * Builds a {@link RetryPolicy}; each setter checks its value. {@link #build()} may be called
   * again.
   */
  public static final class Builder {
    private int maxAttempts = 3;
    private Duration initialBackoff = Duration.ofSeconds(1);
    private Duration maxBackoff = Duration.ofSeconds(30);
    private Duration deadline = Duration.ofMinutes(3);
    private Sleeper sleeper = delay -> Thread.sleep(delay.toMillis());
    private Clock clock = Clock.systemUTC();
    private DoubleSupplier random = () -> ThreadLocalRandom.current().nextDouble();

    private Builder() {}

    /**
     * Attempts in all, between 1 (no retry) and 10. Default 3.
     *
     * @param maxAttempts 1 to 10
     * @return this builder
     */
    public Builder maxAttempts(int maxAttempts) {
      if (maxAttempts < 1 || maxAttempts > 10) {
        throw new IllegalArgumentException(
            "maxAttempts must be between 1 and 10 but was " + maxAttempts);
      }
      this.maxAttempts = maxAttempts;
      return this;
    }

    /**
     * The backoff cap before the first retry, between 1 ms and 1 minute. Default 1 s.
     *
     * @param initialBackoff 1 ms to 1 minute
     * @return this builder
     */
    public Builder initialBackoff(Duration initialBackoff) {
      this.initialBackoff =
          between("initialBackoff", initialBackoff, Duration.ofMillis(1), Duration.ofMinutes(1));
      return this;
    }

    /**
     * The largest backoff cap, between 1 ms and 10 minutes. Default 30 s.
     *
     * @param maxBackoff 1 ms to 10 minutes
     * @return this builder
     */
    public Builder maxBackoff(Duration maxBackoff) {
      this.maxBackoff =
          between("maxBackoff", maxBackoff, Duration.ofMillis(1), Duration.ofMinutes(10));
      return this;
    }

    /**
     * The time from the first attempt after which no retry starts, between 1 ms and 1 hour. Default
     * 3 minutes.
     *
     * @param deadline 1 ms to 1 hour
     * @return this builder
     */
    public Builder deadline(Duration deadline) {
      this.deadline = between("deadline", deadline, Duration.ofMillis(1), Duration.ofHours(1));
      return this;
    }

    /**
     * What waits between attempts; default {@link Thread#sleep(long)}.
     *
     * @param sleeper the sleeper
     * @return this builder
     */
    public Builder sleeper(Sleeper sleeper) {
      this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
      return this;
    }

    /**
     * The clock the deadline is measured on; default the system clock.
     *
     * @param clock the clock
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Random numbers in [0, 1] for the jitter; default {@link ThreadLocalRandom}.
     *
     * @param random a source of numbers in [0, 1]
     * @return this builder
     */
    public Builder random(DoubleSupplier random) {
      this.random = Objects.requireNonNull(random, "random");
      return this;
    }

    /**
     * Builds the policy.
     *
     * @return the policy
     */
    public RetryPolicy build() {
      if (maxBackoff.compareTo(initialBackoff) < 0) {
        throw new IllegalStateException(
            "maxBackoff ("
                + maxBackoff
                + ") must be >= initialBackoff ("
                + initialBackoff
                + "); raise maxBackoff or lower initialBackoff");
      }
      return new RetryPolicy(this);
    }

    private static Duration between(String name, Duration value, Duration min, Duration max) {
      Objects.requireNonNull(value, name);
      if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
        throw new IllegalArgumentException(
            name + " must be between " + min + " and " + max + " but was " + value);
      }
      return value;
    }
  }
}
