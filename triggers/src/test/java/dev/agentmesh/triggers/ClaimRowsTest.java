package dev.agentmesh.triggers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmesh.testsupport.Seeds;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ClaimRowsTest {

  private static final DateTimeFormatter FORMAT =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'").withZone(ZoneOffset.UTC);

  static Stream<Long> seeds() {
    return Seeds.of(20);
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void claimKeysWriteTheInstantAsTheFixedWidthFormatterDoes(long seed) {
    Random random = new Random(seed);
    Seeds.print(getClass(), seed);
    long min = Instant.parse("-0002-01-01T00:00:00Z").getEpochSecond();
    long max = Instant.parse("+10001-12-31T23:59:59Z").getEpochSecond();
    for (int i = 0; i < 2000; i++) {
      long second =
          i % 2 == 0
              ? random.nextLong(min, max) // any year, beyond 4 digits too
              : random.nextLong(0, 4_102_444_800L); // 1970 to 2100
      int nano = i % 3 == 0 ? 0 : random.nextInt(1_000_000_000);
      Instant at = Instant.ofEpochSecond(second, nano);
      assertThat(ClaimRows.key("t", at))
          .as("seed %d: %s", seed, at)
          .isEqualTo("t@" + FORMAT.format(at));
    }
    assertThat(ClaimRows.key("t", Instant.parse("2026-03-02T08:00:00Z")))
        .isEqualTo("t@2026-03-02T08:00:00.000000000Z");
  }
}
