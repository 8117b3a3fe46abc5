package dev.agentmesh.core;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How far one run of an agent may go before it fails with {@link LimitExceededException}.
 *
 * <pre>{@code
 * Limits limits = Limits.builder().maxTurns(6).maxToolCalls(10)
 *     .timeout(Duration.ofSeconds(60)).maxCost(new BigDecimal("0.05")).build();
 * }</pre>
 *
 * @param maxTurns most model calls in one run, 1 to 1000 (default 10)
 * @param maxToolCalls most tool calls in one run, 0 to 10000 (default 25)
 * @param timeout longest a run may take, from 1ms to 24h (default 5 minutes), child agents' runs
 *     included. Model calls and their retries count: each request carries the time left ({@code
 *     ChatRequest.timeout()}), and the loop stops waiting for the model at the deadline (a model
 *     that does not declare {@code honoursTimeout()} runs on the mesh executor for this; one that
 *     does is interrupted 100 ms after the deadline if it has not returned). A tool call still
 *     running at the deadline is given up on (a single call runs on the calling thread, which is
 *     interrupted; several run on the mesh executor, which is not waited on further). Then the run
 *     fails with {@link LimitExceededException} ({@code TIMEOUT}), within about 100 ms of the
 *     deadline. Not bounded: a listener, a guardrail, or a single tool call that ignores
 *     interrupts; the deadline is checked again when they return
 * @param maxCost most US dollars a run may cost, or {@code null} for no cost limit; needs a model
 *     that reports cost
 */
public record Limits(
    int maxTurns, int maxToolCalls, Duration timeout, @Nullable BigDecimal maxCost) {

  /** The limits a spec has when it declares none. */
  public static final Limits DEFAULTS = new Limits(10, 25, Duration.ofMinutes(5), null);

  /**
   * Checks every limit's range.
   *
   * @param maxTurns most model calls in one run, 1 to 1000 (default 10)
   * @param maxToolCalls most tool calls in one run, 0 to 10000 (default 25)
   * @param timeout longest a run may take, 1ms to 24h (default 5 minutes), child agents' runs
   *     included
   * @param maxCost most US dollars a run may cost, or {@code null} for no cost limit; needs a model
   *     that reports cost
   */
  public Limits {
    Objects.requireNonNull(timeout, "timeout");
    check(
        maxTurns >= 1 && maxTurns <= 1000,
        "maxTurns must be between 1 and 1000 but was " + maxTurns);
    check(
        maxToolCalls >= 0 && maxToolCalls <= 10_000,
        "maxToolCalls must be between 0 and 10000 but was " + maxToolCalls);
    check(
        timeout.toMillis() >= 1 && timeout.compareTo(Duration.ofHours(24)) <= 0,
        "timeout must be between 1ms and 24h but was " + Durations.format(timeout));
    check(maxCost == null || maxCost.signum() > 0, "maxCost must be > 0 but was " + maxCost);
    if (maxCost != null) maxCost = maxCost.stripTrailingZeros();
  }

  /** {@return a builder starting from {@link #DEFAULTS}} */
  public static Builder builder() {
    return new Builder(DEFAULTS);
  }

  /** {@return a builder starting from these limits} */
  public Builder toBuilder() {
    return new Builder(this);
  }

  private static void check(boolean ok, String message) {
    if (!ok) throw new IllegalArgumentException(message);
  }

  /** Builds {@link Limits}; each setter checks its value. */
  public static final class Builder {
    private int maxTurns;
    private int maxToolCalls;
    private Duration timeout;
    private @Nullable BigDecimal maxCost;

    private Builder(Limits from) {
      maxTurns = from.maxTurns;
      maxToolCalls = from.maxToolCalls;
      timeout = from.timeout;
      maxCost = from.maxCost;
    }

    /**
     * Sets the most model calls in one run.
     *
     * @param maxTurns 1 to 1000
     * @return this builder
     */
    public Builder maxTurns(int maxTurns) {
      this.maxTurns = new Limits(maxTurns, maxToolCalls, timeout, maxCost).maxTurns;
      return this;
    }

    /**
     * Sets the most tool calls in one run.
     *
     * @param maxToolCalls 0 to 10000
     * @return this builder
     */
    public Builder maxToolCalls(int maxToolCalls) {
      this.maxToolCalls = new Limits(maxTurns, maxToolCalls, timeout, maxCost).maxToolCalls;
      return this;
    }

    /**
     * Sets the longest a run may take.
     *
     * @param timeout 1ms to 24h
     * @return this builder
     */
    public Builder timeout(Duration timeout) {
      this.timeout = new Limits(maxTurns, maxToolCalls, timeout, maxCost).timeout;
      return this;
    }

    /**
     * Sets the most US dollars a run may cost.
     *
     * @param maxCost more than 0, or {@code null} for no cost limit
     * @return this builder
     */
    public Builder maxCost(@Nullable BigDecimal maxCost) {
      this.maxCost = new Limits(maxTurns, maxToolCalls, timeout, maxCost).maxCost;
      return this;
    }

    /**
     * Builds the limits.
     *
     * @return the limits
     */
    public Limits build() {
      return new Limits(maxTurns, maxToolCalls, timeout, maxCost);
    }
  }
}
