package dev.agentmesh.triggers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentmesh.testsupport.Seeds;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The catch-up policies, on explicit instants and as a simulated runtime that polls at random times
 * with random downtime. Property cases print their seed: rerun with {@code
 * -Dagentmesh.seed=<seed>}.
 */
class CatchUpPolicyTest {

  private static final Schedule HOURLY = Schedule.cron("0 * * * *", ZoneOffset.UTC);
  private static final Instant LAST = Instant.parse("2026-11-29T08:00:00Z");
  private static final Instant NOW = Instant.parse("2026-11-29T12:20:00Z"); // 09..12 missed

  @Test
  void allWithinFiresEveryMissedOccurrenceInsideTheWindowOldestFirst() {
    DueOccurrences due = CatchUpPolicy.allWithin(Duration.ofHours(2)).due(HOURLY, LAST, NOW);

    assertThat(due.fire())
        .containsExactly(
            Instant.parse("2026-11-29T11:00:00Z"), Instant.parse("2026-11-29T12:00:00Z"));
    assertThat(due.watermark()).isEqualTo("2026-11-29T12:00:00Z");
  }

  @Test
  void allWithinCountsAnOccurrenceExactlyAtTheWindowEdgeAsInside() {
    DueOccurrences due = CatchUpPolicy.allWithin(Duration.ofMinutes(80)).due(HOURLY, LAST, NOW);

    assertThat(due.fire())
        .containsExactly(
            Instant.parse("2026-11-29T11:00:00Z"), Instant.parse("2026-11-29T12:00:00Z"));
  }

  @Test
  void allWithinDropsWhatIsOlderButStillAdvancesTheWatermark() {
    DueOccurrences due = CatchUpPolicy.allWithin(Duration.ofMinutes(10)).due(HOURLY, LAST, NOW);

    assertThat(due.fire()).isEmpty();
    assertThat(due.watermark()).isEqualTo("2026-11-29T12:00:00Z");
  }

  @Test
  void latestFiresOnlyTheMostRecentMissedOccurrence() {
    DueOccurrences due = CatchUpPolicy.latest().due(HOURLY, LAST, NOW);

    assertThat(due)
        .isEqualTo(
            new DueOccurrences(
                List.of(Instant.parse("2026-11-29T12:00:00Z")),
                Instant.parse("2026-11-29T12:00:00Z")));
  }

  @Test
  void latestFindsTheLastOccurrenceOfALongDowntimeWithoutWalkingEveryOne() {
    Schedule everySecond = Schedule.every(Duration.ofSeconds(1), Instant.EPOCH);
    CountingSchedule counting = new CountingSchedule(everySecond);

    DueOccurrences due =
        CatchUpPolicy.latest().due(counting, Instant.parse("2026-01-01T00:00:00Z"), NOW);

    assertThat(due.fire()).containsExactly(NOW);
    assertThat(counting.calls).isLessThan(10);
  }

  @Test
  void noneFiresAnOccurrenceOnlyWhileItIsOnTime() {
    assertThat(CatchUpPolicy.none().due(HOURLY, LAST, NOW))
        .isEqualTo(new DueOccurrences(List.of(), Instant.parse("2026-11-29T12:00:00Z")));
    assertThat(CatchUpPolicy.none().due(HOURLY, LAST, Instant.parse("2026-11-29T12:00:30Z")).fire())
        .containsExactly(Instant.parse("2026-11-29T12:00:00Z"));
  }

  @Test
  void nothingIsDueBeforeTheNextOccurrence() {
    assertThat(CatchUpPolicy.allWithin(Duration.ofDays(1)).due(HOURLY, NOW, NOW.plusSeconds(60)))
        .isEqualTo(new DueOccurrences(List.of(), null));
    assertThat(CatchUpPolicy.latest().due(HOURLY, NOW, NOW.plusSeconds(60)).watermark()).isNull();
    assertThat(CatchUpPolicy.none().due(Schedule.once(LAST), LAST, NOW).watermark()).isNull();
  }

  @Test
  void aNegativeWindowIsRefused() {
    assertThatThrownBy(() -> CatchUpPolicy.allWithin(Duration.ofMinutes(-1)))
        .hasMessage("window must not be negative but was PT-1M");
  }

  static Stream<Long> seeds() {
    return Seeds.of(30);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void aPollingRuntimeFiresNothingTwiceAndUnderAllWithinSkipsNothingInsideTheWindow(long seed) {
    Random random = new Random(seed);
    Schedule schedule =
        random.nextBoolean()
            ? Schedule.cron("*/" + (1 + random.nextInt(30)) + " * * * *", ZoneOffset.UTC)
            : Schedule.every(
                Duration.ofSeconds(60 + random.nextInt(3600)),
                Instant.parse("2026-11-29T00:00:07Z"));
    Duration window = Duration.ofMinutes(random.nextInt(120));
    CatchUpPolicy policy =
        List.of(CatchUpPolicy.allWithin(window), CatchUpPolicy.latest(), CatchUpPolicy.none())
            .get(random.nextInt(3));
    List<Instant> polls = polls(random);
    Seeds.print(getClass(), seed, policy + " " + schedule.describe());

    List<Instant> fired = run(policy, schedule, polls);

    for (int i = 1; i < fired.size(); i++) {
      assertThat(fired.get(i)).as("%s %s", policy, schedule.describe()).isAfter(fired.get(i - 1));
    }
    if (policy instanceof CatchUpPolicy.AllWithin) {
      assertThat(fired)
          .as("%s %s", policy, schedule.describe())
          .isEqualTo(expectedAllWithin(schedule, polls, window));
    }
  }

  /** The first poll at or after each occurrence fires it if it is no older than the window. */
  private static List<Instant> expectedAllWithin(
      Schedule schedule, List<Instant> polls, Duration window) {
    List<Instant> expected = new ArrayList<>();
    Instant last = polls.get(polls.size() - 1);
    int p = 0;
    for (Instant s = schedule.nextAfter(polls.get(0));
        s != null && !s.isAfter(last);
        s = schedule.nextAfter(s)) {
      while (polls.get(p).isBefore(s)) {
        p++;
      }
      if (!polls.get(p).minus(window).isAfter(s)) {
        expected.add(s);
      }
    }
    return expected;
  }

  private static List<Instant> run(CatchUpPolicy policy, Schedule schedule, List<Instant> polls) {
    List<Instant> fired = new ArrayList<>();
    Instant watermark = polls.get(0);
    for (Instant now : polls.subList(1, polls.size())) {
      DueOccurrences due = policy.due(schedule, watermark, now);
      fired.addAll(due.fire());
      watermark = due.watermark() == null ? watermark : due.watermark();
    }
    return fired;
  }

  /** Polls every few seconds, with downtimes of up to a day now and then. */
  private static List<Instant> polls(Random random) {
    List<Instant> polls = new ArrayList<>();
    Instant t = Instant.parse("2026-11-29T00:00:00Z").plusMillis(random.nextInt(60_000));
    for (int i = 0; i < 300; i++) {
      polls.add(t);
      t =
          t.plusMillis(
              random.nextInt(10) == 0 ? random.nextInt(86_400_000) : random.nextInt(20_000));
    }
    return polls;
  }

  private static final class CountingSchedule implements Schedule {
    private final Schedule delegate;
    int calls;

    CountingSchedule(Schedule delegate) {
      this.delegate = delegate;
    }

    @Override
    public Instant nextAfter(Instant t) {
      calls++;
      return delegate.nextAfter(t);
    }

    @Override
    public String describe() {
      return delegate.describe();
    }
  }
}
