package dev.agentmesh.core.spi;

import java.math.BigDecimal;
import org.jspecify.annotations.Nullable;

/**
 * Tokens a model call used and, where a price is known, what it cost.
 *
 * <pre>{@code
 * Usage usage = Usage.of(1200, 80);
 * Usage priced = usage.withCost(new BigDecimal("0.00042"));
 * Usage total = usage.plus(other);
 * }</pre>
 *
 * @param inputTokens prompt tokens, cached ones included
 * @param outputTokens completion tokens, reasoning ones included
 * @param cachedInputTokens prompt tokens read from the provider's cache
 * @param cacheWriteTokens prompt tokens written to the provider's cache
 * @param reasoningTokens completion tokens spent on reasoning
 * @param cost cost in US dollars, or {@code null} when no price is known
 */
public record Usage(
    long inputTokens,
    long outputTokens,
    long cachedInputTokens,
    long cacheWriteTokens,
    long reasoningTokens,
    @Nullable BigDecimal cost) {

  /** No tokens, no cost. */
  public static final Usage ZERO = new Usage(0, 0, 0, 0, 0, null);

  /**
   * Checks that no token count is negative.
   *
   * @param inputTokens prompt tokens, cached ones included
   * @param outputTokens completion tokens, reasoning ones included
   * @param cachedInputTokens prompt tokens read from the provider's cache
   * @param cacheWriteTokens prompt tokens written to the provider's cache
   * @param reasoningTokens completion tokens spent on reasoning
   * @param cost cost in US dollars, or {@code null} when no price is known
   */
  public Usage {
    requireNotNegative(inputTokens, "inputTokens");
    requireNotNegative(outputTokens, "outputTokens");
    requireNotNegative(cachedInputTokens, "cachedInputTokens");
    requireNotNegative(cacheWriteTokens, "cacheWriteTokens");
    requireNotNegative(reasoningTokens, "reasoningTokens");
  }

  /**
   * Input and output tokens, nothing else known.
   *
   * @param inputTokens prompt tokens
   * @param outputTokens completion tokens
   * @return the usage
   */
  public static Usage of(long inputTokens, long outputTokens) {
    return new Usage(inputTokens, outputTokens, 0, 0, 0, null);
  }

  /**
   * This usage with a cost attached.
   *
   * @param cost cost in US dollars, or {@code null}
   * @return the new usage
   */
  public Usage withCost(@Nullable BigDecimal cost) {
    return new Usage(
        inputTokens, outputTokens, cachedInputTokens, cacheWriteTokens, reasoningTokens, cost);
  }

  /** {@return input plus output tokens} */
  public long totalTokens() {
    return inputTokens + outputTokens;
  }

  /**
   * The sum of two usages; the cost is known if either is.
   *
   * @param other the usage to add
   * @return the sum
   */
  public Usage plus(Usage other) {
    if (other.isZero()) return this; // a stub model's, or a plain tool's: nothing to add
    if (isZero()) return other;
    BigDecimal sum = cost == null ? other.cost : other.cost == null ? cost : cost.add(other.cost);
    return new Usage(
        inputTokens + other.inputTokens,
        outputTokens + other.outputTokens,
        cachedInputTokens + other.cachedInputTokens,
        cacheWriteTokens + other.cacheWriteTokens,
        reasoningTokens + other.reasoningTokens,
        sum);
  }

  private boolean isZero() {
    return inputTokens == 0
        && outputTokens == 0
        && cachedInputTokens == 0
        && cacheWriteTokens == 0
        && reasoningTokens == 0
        && cost == null;
  }

  private static void requireNotNegative(long value, String name) {
    if (value < 0) {
      throw new IllegalArgumentException(name + " must be >= 0 but was " + value);
    }
  }
}
