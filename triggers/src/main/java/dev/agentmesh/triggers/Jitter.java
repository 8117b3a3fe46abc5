package dev.agentmesh.triggers;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A delay added to a scheduled instant to spread triggers that share a time (every report at 09:00)
 * over a few seconds. The delay is a pure function of the trigger id and the scheduled instant, so
 * every node computes the same one and claims stay keyed by the scheduled instant: the first 8
 * bytes of SHA-256({@code id + "\n" + scheduled}), unsigned, modulo {@code max} in nanoseconds.
 * Changing this function would make nodes of two versions disagree, so a test pins its output.
 *
 * <pre>{@code
 * Jitter jitter = Jitter.upTo(Duration.ofSeconds(30));
 * Instant fireAt = jitter.apply("daily-report", scheduled); // scheduled + [0s, 30s)
 * }</pre>
 *
 * @param max the exclusive bound of the delay; zero for none
 */
public record Jitter(Duration max) {

  /**
   * Checks the bound is there and not negative.
   *
   * @param max the exclusive bound of the delay; zero for none
   */
  public Jitter {
    Objects.requireNonNull(max, "max");
    if (max.isNegative()) {
      throw new IllegalArgumentException("max must not be negative but was " + max);
    }
  }

  /** {@return a jitter of no delay} */
  public static Jitter none() {
    return new Jitter(Duration.ZERO);
  }

  /**
   * A delay in {@code [0, max)}.
   *
   * @param max the exclusive bound
   * @return the jitter
   */
  public static Jitter upTo(Duration max) {
    return new Jitter(max);
  }

  /**
   * The delay for one occurrence of one trigger, in {@code [0, max)}.
   *
   * @param triggerId the trigger's id
   * @param scheduled the occurrence's scheduled instant
   * @return the delay, the same for the same arguments
   */
  public Duration delay(String triggerId, Instant scheduled) {
    long bound = max.toNanos();
    if (bound == 0) {
      return Duration.ZERO;
    }
    byte[] digest = sha256((triggerId + "\n" + scheduled).getBytes(StandardCharsets.UTF_8));
    return Duration.ofNanos(Long.remainderUnsigned(ByteBuffer.wrap(digest).getLong(), bound));
  }

  /**
   * {@code scheduled} plus {@link #delay}.
   *
   * @param triggerId the trigger's id
   * @param scheduled the occurrence's scheduled instant
   * @return the instant to fire at
   */
  public Instant apply(String triggerId, Instant scheduled) {
    return scheduled.plus(delay(triggerId, scheduled));
  }

  static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }
}
