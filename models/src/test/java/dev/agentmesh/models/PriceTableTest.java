package dev.agentmesh.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentmesh.core.spi.Usage;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class PriceTableTest {

  final PriceTable prices =
      PriceTable.builder()
          .price("gpt-4.1", PriceTable.Price.perMillion("2", "8"))
          .price(
              "gpt-4.1-mini", PriceTable.Price.perMillion("0.40", "1.60").withCachedInput("0.10"))
          .build();

  @Test
  void findsByExactIdThenByTheLongestPrefix() {
    assertThat(prices.find("gpt-4.1-mini-2025-04-14"))
        .contains(prices.prices().get("gpt-4.1-mini"));
    assertThat(prices.find("gpt-4.1-2025-04-14")).contains(prices.prices().get("gpt-4.1"));
    assertThat(prices.find("o3")).isEmpty();
  }

  @Test
  void leavesUsageUnpricedWhenNoModelHasAPrice() {
    Usage usage = Usage.of(1000, 10);
    assertThat(prices.price(usage, "llama3", null).cost()).isNull();
    assertThat(prices.price(Usage.of(1_000_000, 1_000_000), "gpt-4.1").cost())
        .isEqualByComparingTo(new BigDecimal("10"));
  }

  @Test
  void rejectsPricesThatAreNotNumbers() {
    assertThatThrownBy(() -> PriceTable.Price.perMillion("$2", "8"))
        .hasMessage("input must be a decimal number of US dollars per million tokens but was '$2'");
    assertThatThrownBy(() -> PriceTable.Price.perMillion("-1", "8"))
        .hasMessage("input must be >= 0 but was -1");
  }
}
