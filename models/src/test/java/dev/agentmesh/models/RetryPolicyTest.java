package dev.agentmesh.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class RetryPolicyTest {

  /** Seeds for the generated cases; printed so a failure can be replayed. */
  static LongStream seeds() {
    long base = Long.getLong("agentmesh.seed", 20261121L);
    System.out.println("RetryPolicyTest seed base " + base);
    return LongStream.range(0, 200).map(i -> base + i);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void delaysStayWithinTheExponentialCapAndHonourRetryAfter(long seed) {
    Random random = new Random(seed);
    Duration initial = Duration.ofMillis(1 + random.nextInt(2000));
    Duration max = initial.plusMillis(random.nextInt(60_000));
    RetryPolicy policy =
        RetryPolicy.builder()
            .initialBackoff(initial)
            .maxBackoff(max)
            .random(random::nextDouble)
            .build();
    int retry = 1 + random.nextInt(9);
    Duration retryAfter = random.nextBoolean() ? null : Duration.ofMillis(random.nextInt(120_000));

    Duration delay = policy.delayBeforeRetry(retry, retryAfter);

    long cap = Math.min(max.toMillis(), initial.toMillis() * (1L << (retry - 1)));
    assertThat(delay).as("seed %d", seed).isGreaterThanOrEqualTo(Duration.ZERO);
    if (retryAfter == null) {
      assertThat(delay.toMillis()).as("seed %d", seed).isLessThanOrEqualTo(cap);
    } else {
      assertThat(delay).as("seed %d", seed).isGreaterThanOrEqualTo(retryAfter);
      assertThat(delay.toMillis())
          .as("seed %d", seed)
          .isLessThanOrEqualTo(Math.max(cap, retryAfter.toMillis()));
    }
  }

  @Test
  void builderNamesTheSettingItRejects() {
    assertThatThrownBy(() -> RetryPolicy.builder().maxAttempts(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxAttempts must be between 1 and 10 but was 0");
    assertThatThrownBy(() -> RetryPolicy.builder().deadline(Duration.ZERO))
        .hasMessage("deadline must be between PT0.001S and PT1H but was PT0S");
    assertThatThrownBy(
            () ->
                RetryPolicy.builder()
                    .initialBackoff(Duration.ofSeconds(5))
                    .maxBackoff(Duration.ofSeconds(1))
                    .build())
        .hasMessage(
            "maxBackoff (PT1S) must be >= initialBackoff (PT5S); raise maxBackoff or lower initialBackoff");
  }

  @Test
  void noneTriesOnceAndToBuilderKeepsTheValues() {
    assertThat(RetryPolicy.none().maxAttempts()).isEqualTo(1);
    RetryPolicy p = RetryPolicy.builder().maxAttempts(4).deadline(Duration.ofSeconds(9)).build();
    assertThat(p.toBuilder().build().toString()).isEqualTo(p.toString());
  }
}
