package dev.agentmesh.triggers;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Our daylight-saving policy, pinned with explicit instants in four zones: Europe/Berlin and
 * America/New_York (northern, one hour), Australia/Sydney (southern, one hour) and
 * Australia/Lord_Howe (southern, thirty minutes). The transitions of 2026 used below: Berlin 03-29
 * 01:00Z (02:00 -> 03:00) and 10-25 01:00Z (03:00 -> 02:00); New York 03-08 07:00Z (02:00 -> 03:00)
 * and 11-01 06:00Z (02:00 -> 01:00); Sydney 04-04 16:00Z (03:00 -> 02:00) and 10-03 16:00Z (02:00
 * -> 03:00); Lord Howe 04-04 15:00Z (02:00 -> 01:30) and 10-03 15:30Z (02:00 -> 02:30).
 */
class CronScheduleDstTest {

  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
  private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
  private static final ZoneId SYDNEY = ZoneId.of("Australia/Sydney");
  private static final ZoneId LORD_HOWE = ZoneId.of("Australia/Lord_Howe");

  @Test
  void aFixedHourInsideASpringForwardGapFiresOnceAtTheEndOfTheGap() {
    Schedule schedule = Schedule.cron("30 2 * * *", BERLIN);

    assertThat(fires(schedule, "2026-03-28T12:00:00Z", 3))
        .containsExactly(
            "2026-03-29T01:00:00Z", // 03:00 CEST: 02:30 did not exist that night
            "2026-03-30T00:30:00Z", // 02:30 CEST
            "2026-03-31T00:30:00Z");
  }

  @Test
  void theSkipPolicyDropsTheDayWhoseLocalTimeFallsInTheGap() {
    Schedule schedule =
        CronSchedule.builder("30 2 * * *").zone(BERLIN).dstGap(DstGapPolicy.SKIP).build();

    assertThat(fires(schedule, "2026-03-28T12:00:00Z", 2))
        .containsExactly("2026-03-30T00:30:00Z", "2026-03-31T00:30:00Z");
  }

  @Test
  void aFixedHourInsideAFallBackOverlapFiresOnlyAtItsFirstOccurrence() {
    Schedule schedule = Schedule.cron("30 2 * * *", BERLIN);

    assertThat(fires(schedule, "2026-10-24T12:00:00Z", 2))
        .containsExactly(
            "2026-10-25T00:30:00Z", // 02:30 CEST; 02:30 CET (01:30Z) does not fire
            "2026-10-26T01:30:00Z"); // 02:30 CET
  }

  @Test
  void aFifteenMinuteScheduleFiresSixteenTimesInTheFourRealHoursOfAFallBackNight() {
    Schedule schedule = Schedule.cron("*/15 * * * *", NEW_YORK);
    Instant localMidnight = Instant.parse("2026-11-01T04:00:00Z"); // 00:00 EDT
    Instant localThree = Instant.parse("2026-11-01T08:00:00Z"); // 03:00 EST

    List<Instant> fires = new ArrayList<>();
    for (Instant t = schedule.nextAfter(localMidnight.minusSeconds(1));
        t.isBefore(localThree);
        t = schedule.nextAfter(t)) {
      fires.add(t);
    }

    assertThat(fires).hasSize(16);
    assertThat(fires.get(0)).isEqualTo(localMidnight);
    assertThat(fires.get(15)).isEqualTo("2026-11-01T07:45:00Z");
    assertThat(fires)
        .contains(
            Instant.parse("2026-11-01T05:30:00Z"),
            Instant.parse("2026-11-01T06:30:00Z")); // 01:30 twice
  }

  @Test
  void aWildcardHourFiresAtNoLocalTimeInsideTheGap() {
    Schedule schedule = Schedule.cron("*/30 * * * *", NEW_YORK);

    assertThat(fires(schedule, "2026-03-08T06:00:00Z", 4))
        .containsExactly(
            "2026-03-08T06:30:00Z", // 01:30 EST
            "2026-03-08T07:00:00Z", // 03:00 EDT: 02:00 and 02:30 never happened
            "2026-03-08T07:30:00Z",
            "2026-03-08T08:00:00Z");
  }

  @Test
  void aFixedHourFiresOnceOnTheFallBackDayInNewYork() {
    Schedule schedule = Schedule.cron("30 1 * * *", NEW_YORK);

    assertThat(fires(schedule, "2026-10-31T00:00:00Z", 3))
        .containsExactly("2026-10-31T05:30:00Z", "2026-11-01T05:30:00Z", "2026-11-02T06:30:00Z");
  }

  @Test
  void aFixedHourInTheGapFiresAtTheEndOfTheGapInNewYork() {
    Schedule schedule = Schedule.cron("30 2 * * *", NEW_YORK);

    assertThat(fires(schedule, "2026-03-07T12:00:00Z", 2))
        .containsExactly("2026-03-08T07:00:00Z", "2026-03-09T06:30:00Z");
  }

  @Test
  void twoLocalTimesThatMeetAtTheEndOfTheGapFireOnce() {
    Schedule schedule = Schedule.cron("0 2,3 * * *", BERLIN);

    assertThat(fires(schedule, "2026-03-28T12:00:00Z", 3))
        .containsExactly(
            "2026-03-29T01:00:00Z", // 02:00 (in the gap) and 03:00 are the same instant
            "2026-03-30T00:00:00Z",
            "2026-03-30T01:00:00Z");
  }

  @Test
  void aRangeOfHoursCountsAsFixed() {
    Schedule schedule = Schedule.cron("30 1-2 * * *", BERLIN);

    assertThat(fires(schedule, "2026-10-24T22:00:00Z", 3))
        .containsExactly(
            "2026-10-24T23:30:00Z", // 01:30 CEST
            "2026-10-25T00:30:00Z", // 02:30 CEST; 02:30 CET is not fired again
            "2026-10-26T00:30:00Z"); // 01:30 CET
  }

  @Test
  void aSouthernHemisphereZoneSpringsForwardInOctoberAndFallsBackInApril() {
    Schedule daily = Schedule.cron("30 2 * * *", SYDNEY);

    assertThat(fires(daily, "2026-10-03T00:00:00Z", 2))
        .containsExactly("2026-10-03T16:00:00Z", "2026-10-04T15:30:00Z");
    assertThat(fires(daily, "2026-04-04T00:00:00Z", 2))
        .containsExactly("2026-04-04T15:30:00Z", "2026-04-05T16:30:00Z");
  }

  @Test
  void aThirtyMinuteShiftMovesOnlyTheTimesInsideIt() {
    assertThat(fires(Schedule.cron("15 2 * * *", LORD_HOWE), "2026-10-03T12:00:00Z", 1))
        .containsExactly("2026-10-03T15:30:00Z"); // 02:15 is in the gap: fires at 02:30 (+11)
    assertThat(fires(Schedule.cron("45 2 * * *", LORD_HOWE), "2026-10-03T12:00:00Z", 1))
        .containsExactly("2026-10-03T15:45:00Z"); // 02:45 (+11) exists
    assertThat(fires(Schedule.cron("45 1 * * *", LORD_HOWE), "2026-04-04T12:00:00Z", 2))
        .containsExactly("2026-04-04T14:45:00Z", "2026-04-05T15:15:00Z");
    assertThat(fires(Schedule.cron("*/15 * * * *", LORD_HOWE), "2026-04-04T14:20:00Z", 5))
        .containsExactly(
            "2026-04-04T14:30:00Z",
            "2026-04-04T14:45:00Z", // 01:30, 01:45 (+11)
            "2026-04-04T15:00:00Z",
            "2026-04-04T15:15:00Z", // 01:30, 01:45 (+10:30)
            "2026-04-04T15:30:00Z"); // 02:00 (+10:30)
  }

  @Test
  void aQuartzScheduleFollowsTheSamePolicy() {
    Schedule schedule = Schedule.quartz("0 30 2 * * ?", BERLIN);

    assertThat(fires(schedule, "2026-03-28T12:00:00Z", 2))
        .containsExactly("2026-03-29T01:00:00Z", "2026-03-30T00:30:00Z");
    assertThat(fires(schedule, "2026-10-24T12:00:00Z", 2))
        .containsExactly("2026-10-25T00:30:00Z", "2026-10-26T01:30:00Z");
  }

  static List<String> fires(Schedule schedule, String after, int count) {
    List<String> fires = new ArrayList<>();
    Instant t = Instant.parse(after);
    for (int i = 0; i < count && (t = schedule.nextAfter(t)) != null; i++) {
      fires.add(t.toString());
    }
    return fires;
  }
}
