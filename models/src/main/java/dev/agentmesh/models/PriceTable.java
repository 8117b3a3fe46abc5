package dev.agentmesh.models;

import dev.agentmesh.core.spi.Usage;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Prices per million tokens by model id, which turn a response's {@link Usage} into a cost in US
 * dollars so agents' cost limits and reports work.
 *
 * <pre>{@code
 * PriceTable prices = PriceTable.builder()
 *     .price("gpt-4.1-mini", PriceTable.Price.perMillion("0.40", "1.60").withCachedInput("0.10"))
 *     .price("claude-sonnet-4-5", PriceTable.Price.perMillion("3", "15")
 *         .withCachedInput("0.30").withCacheWrite("3.75"))
 *     .build();
 * ChatModel model = OpenAiChatModel.builder().apiKey(key).model("gpt-4.1-mini").priceTable(prices).build();
 * }</pre>
 *
 * <p>A model id is looked up exactly first, then as the longest configured id it starts with, so
 * {@code gpt-4.1-mini} also prices {@code gpt-4.1-mini-2025-04-14}. Prices are not shipped: they
 * change, so the host states them. Immutable and thread-safe.
 */
public final class PriceTable {

  private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);
  private static final PriceTable EMPTY = builder().build();

  /**
   * US dollars per million tokens of each kind.
   *
   * <pre>{@code
   * Price price = Price.perMillion("3", "15").withCachedInput("0.30").withCacheWrite("3.75");
   * }</pre>
   *
   * @param input uncached input tokens
   * @param output output tokens, reasoning included
   * @param cachedInput input tokens read from the cache
   * @param cacheWrite input tokens written to the cache
   */
  public record Price(
      BigDecimal input, BigDecimal output, BigDecimal cachedInput, BigDecimal cacheWrite) {

    /**
     * Checks that no price is negative.
     *
     * @param input uncached input tokens
     * @param output output tokens, reasoning included
     * @param cachedInput input tokens read from the cache
     * @param cacheWrite input tokens written to the cache
     */
    public Price {
      requireNotNegative("input", input);
      requireNotNegative("output", output);
      requireNotNegative("cachedInput", cachedInput);
      requireNotNegative("cacheWrite", cacheWrite);
    }

    /**
     * Input and output prices; cached reads and cache writes cost as much as input.
     *
     * @param input US dollars per million input tokens, such as {@code "2.50"}
     * @param output US dollars per million output tokens
     * @return the price
     */
    public static Price perMillion(String input, String output) {
      BigDecimal in = decimal("input", input);
      return new Price(in, decimal("output", output), in, in);
    }

    /**
     * This price with another price for cached input tokens.
     *
     * @param cachedInput US dollars per million cached input tokens
     * @return the new price
     */
    public Price withCachedInput(String cachedInput) {
      return new Price(input, output, decimal("cachedInput", cachedInput), cacheWrite);
    }

    /**
     * This price with another price for tokens written to the cache.
     *
     * @param cacheWrite US dollars per million tokens written to the cache
     * @return the new price
     */
    public Price withCacheWrite(String cacheWrite) {
      return new Price(input, output, cachedInput, decimal("cacheWrite", cacheWrite));
    }

    /**
     * The cost of {@code usage} in US dollars.
     *
     * @param usage the tokens used
     * @return the cost, to 8 decimal places
     */
    public BigDecimal cost(Usage usage) {
      long uncached =
          Math.max(0, usage.inputTokens() - usage.cachedInputTokens() - usage.cacheWriteTokens());
      BigDecimal perMillion =
          input
              .multiply(BigDecimal.valueOf(uncached))
              .add(cachedInput.multiply(BigDecimal.valueOf(usage.cachedInputTokens())))
              .add(cacheWrite.multiply(BigDecimal.valueOf(usage.cacheWriteTokens())))
              .add(output.multiply(BigDecimal.valueOf(usage.outputTokens())));
      return perMillion
          .divide(MILLION, MathContext.DECIMAL64)
          .setScale(8, RoundingMode.HALF_UP)
          .stripTrailingZeros();
    }

    private static BigDecimal decimal(String name, String value) {
      try {
        return new BigDecimal(Objects.requireNonNull(value, name));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            name
                + " must be a decimal number of US dollars per million tokens but was '"
                + value
                + "'",
            e);
      }
    }

    private static void requireNotNegative(String name, BigDecimal value) {
      Objects.requireNonNull(value, name);
      if (value.signum() < 0) {
        throw new IllegalArgumentException(name + " must be >= 0 but was " + value);
      }
    }
  }

  private final Map<String, Price> prices;

  private PriceTable(Map<String, Price> prices) {
    this.prices = Map.copyOf(prices);
  }

  /** {@return a table without prices: usage carries no cost} */
  public static PriceTable empty() {
    return EMPTY;
  }

  /** {@return a new builder} */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The price of {@code modelId}, exactly or by the longest configured prefix.
   *
   * @param modelId the provider's model id, or {@code null}
   * @return the price, or empty when none matches
   */
  public Optional<Price> find(@Nullable String modelId) {
    if (modelId == null) {
      return Optional.empty();
    }
    Price exact = prices.get(modelId);
    if (exact != null) {
      return Optional.of(exact);
    }
    Map.Entry<String, Price> best = null;
    for (Map.Entry<String, Price> entry : prices.entrySet()) {
      String id = entry.getKey();
      if (modelId.startsWith(id) && (best == null || id.length() > best.getKey().length())) {
        best = entry;
      }
    }
    return best == null ? Optional.empty() : Optional.of(best.getValue());
  }

  /**
   * {@code usage} with its cost, priced by the first of the model ids that has a price; unchanged
   * when none has.
   *
   * @param usage the usage to price
   * @param modelIds model ids to try in order; {@code null} ones are skipped
   * @return the usage, priced when a model id has a price
   */
  public Usage price(Usage usage, @Nullable String... modelIds) {
    for (String id : modelIds) {
      Optional<Price> price = find(id);
      if (price.isPresent()) {
        return usage.withCost(price.get().cost(usage));
      }
    }
    return usage;
  }

  /** {@return the configured model ids and their prices} */
  public Map<String, Price> prices() {
    return prices;
  }

  @Override
  public String toString() {
    return "PriceTable" + prices.keySet();
  }

  /** Builds a {@link PriceTable}. {@link #build()} may be called again. */
  public static final class Builder {
    private final Map<String, Price> prices = new LinkedHashMap<>();

    private Builder() {}

    /**
     * Sets the price of a model id (or of every id starting with it).
     *
     * @param modelId the model id or id prefix, not blank
     * @param price the price
     * @return this builder
     */
    public Builder price(String modelId, Price price) {
      Objects.requireNonNull(modelId, "modelId");
      if (modelId.isBlank()) {
        throw new IllegalArgumentException("modelId must not be blank but was '" + modelId + "'");
      }
      prices.put(modelId, Objects.requireNonNull(price, "price"));
      return this;
    }

    /**
     * Builds the table.
     *
     * @return the table
     */
    public PriceTable build() {
      return new PriceTable(prices);
    }
  }
}
