package dev.agentmesh.triggers;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class JitterTest {

  private static final Instant NINE = Instant.parse("2026-11-30T09:00:00Z");

  @Test
  void theDelayIsAFunctionOfTheTriggerAndTheScheduledInstantOnly() {
    Jitter jitter = Jitter.upTo(Duration.ofSeconds(30));

    assertThat(jitter.delay("daily-report", NINE))
        .isEqualTo(Jitter.upTo(Duration.ofSeconds(30)).delay("daily-report", NINE));
    assertThat(jitter.apply("daily-report", NINE))
        .isEqualTo(NINE.plus(jitter.delay("daily-report", NINE)));
  }

  @Test
  void theFunctionIsPinnedSoThatNodesOfDifferentVersionsAgree() {
    // python3: int.from_bytes(sha256(b'daily-report\n2026-11-30T09:00:00Z').digest()[:8], 'big') %
    // 30_000_000_000
    assertThat(Jitter.upTo(Duration.ofSeconds(30)).delay("daily-report", NINE))
        .isEqualTo(Duration.ofNanos(19_281_309_813L));
  }

  @Test
  void delaysStayBelowTheBoundAndSpreadOverIt() {
    Jitter jitter = Jitter.upTo(Duration.ofSeconds(10));
    Set<Long> seconds = new HashSet<>();
    for (int i = 0; i < 1000; i++) {
      Duration delay = jitter.delay("trigger-" + i, NINE);
      assertThat(delay).isGreaterThanOrEqualTo(Duration.ZERO).isLessThan(Duration.ofSeconds(10));
      seconds.add(delay.toSeconds());
    }
    assertThat(seconds).hasSize(10);
  }

  @Test
  void noJitterMeansNoDelay() {
    assertThat(Jitter.none().apply("daily-report", NINE)).isEqualTo(NINE);
  }
}
