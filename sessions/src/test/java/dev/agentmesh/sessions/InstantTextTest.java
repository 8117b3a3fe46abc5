package dev.agentmesh.sessions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmesh.testsupport.Seeds;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The timestamptz text the PostgreSQL store sends for an instant, written digit by digit for years
 * 1 to 9999: the instant again to the microsecond, in the one fixed shape, around every boundary.
 */
class InstantTextTest {

  private static final DateTimeFormatter EXPECTED =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'");

  static Stream<Long> seeds() {
    return Seeds.of(50);
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void anInstantOfYears1To9999IsWrittenAsTheFormatterWritesIt(long seed) {
    Seeds.print(InstantTextTest.class, seed);
    Random random = new Random(seed);
    long first = Instant.parse("0001-01-01T00:00:00Z").getEpochSecond();
    long end = Instant.parse("+10000-01-01T00:00:00Z").getEpochSecond();
    for (int i = 0; i < 2_000; i++) {
      Instant at =
          Instant.ofEpochSecond(
              first + Math.floorMod(random.nextLong(), end - first), random.nextInt(1_000_000_000));
      assertWritten(at);
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "0001-01-01T00:00:00Z",
        "1969-12-31T23:59:59.999999999Z",
        "1970-01-01T00:00:00Z",
        "2000-02-29T12:34:56.000001Z",
        "2026-11-30T16:15:09.123456789Z",
        "9999-12-31T23:59:59.999999Z"
      })
  void boundariesAreWrittenAsTheFormatterWritesThem(String text) {
    assertWritten(Instant.parse(text));
  }

  @ParameterizedTest
  @ValueSource(strings = {"+10000-01-01T00:00:00Z", "+123456-07-08T09:10:11.5Z"})
  void aYearPast9999IsWrittenWithoutASign(String text) {
    Instant at = Instant.parse(text);
    String written = PostgresAppends.text(at);
    assertThat(written).doesNotStartWith("+").endsWith("Z");
    assertThat(Instant.parse("+" + written)).isEqualTo(at.truncatedTo(ChronoUnit.MICROS));
  }

  private static void assertWritten(Instant at) {
    String written = PostgresAppends.text(at);
    assertThat(written)
        .as("%s", at)
        .isEqualTo(EXPECTED.format(OffsetDateTime.ofInstant(at, ZoneOffset.UTC)))
        .hasSize(27);
    assertThat(Instant.parse(written)).isEqualTo(at.truncatedTo(ChronoUnit.MICROS));
    assertThat(PostgresCreates.text(at)).isEqualTo(written);
  }
}
