package dev.agentmesh.triggers;

import static dev.agentmesh.triggers.CronScheduleDstTest.fires;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** What each dialect means, pinned on explicit instants in UTC (2026-11-29 is a Sunday). */
class CronDialectTest {

  private static final String SUNDAY_NOON = "2026-11-29T12:00:00Z";

  @Test
  void unixNumbersSundayZeroAndSeven() {
    assertThat(fires(Schedule.cron("0 0 * * 0", ZoneOffset.UTC), SUNDAY_NOON, 1))
        .containsExactly("2026-12-06T00:00:00Z");
    assertThat(fires(Schedule.cron("0 0 * * 7", ZoneOffset.UTC), SUNDAY_NOON, 1))
        .containsExactly("2026-12-06T00:00:00Z");
    assertThat(fires(Schedule.cron("0 0 * * 1", ZoneOffset.UTC), SUNDAY_NOON, 1))
        .containsExactly("2026-11-30T00:00:00Z");
  }

  @Test
  void quartzNumbersSundayOneAndSaturdaySeven() {
    assertThat(fires(Schedule.quartz("0 0 0 ? * 1", ZoneOffset.UTC), SUNDAY_NOON, 1))
        .containsExactly("2026-12-06T00:00:00Z");
    assertThat(fires(Schedule.quartz("0 0 0 ? * 7", ZoneOffset.UTC), SUNDAY_NOON, 1))
        .containsExactly("2026-12-05T00:00:00Z");
    assertThat(fires(Schedule.quartz("0 0 0 ? * 2", ZoneOffset.UTC), SUNDAY_NOON, 1))
        .containsExactly("2026-11-30T00:00:00Z");
  }

  @Test
  void dayNamesMeanTheSameDayInBothDialects() {
    assertThat(fires(Schedule.cron("0 9 * * MON-FRI", ZoneOffset.UTC), "2026-11-27T12:00:00Z", 2))
        .containsExactly("2026-11-30T09:00:00Z", "2026-12-01T09:00:00Z");
    assertThat(
            fires(Schedule.quartz("0 0 9 ? * MON-FRI", ZoneOffset.UTC), "2026-11-27T12:00:00Z", 2))
        .containsExactly("2026-11-30T09:00:00Z", "2026-12-01T09:00:00Z");
  }

  @Test
  void unixDayOfMonthAndDayOfWeekBothSetMeanEither() {
    assertThat(fires(Schedule.cron("0 0 13 * 5", ZoneOffset.UTC), SUNDAY_NOON, 6))
        .containsExactly(
            "2026-12-04T00:00:00Z",
            "2026-12-11T00:00:00Z",
            "2026-12-13T00:00:00Z", // the 13th, a Sunday
            "2026-12-18T00:00:00Z",
            "2026-12-25T00:00:00Z",
            "2027-01-01T00:00:00Z");
  }

  @Test
  void unixDayOfMonthAloneIgnoresTheWeekday() {
    assertThat(fires(Schedule.cron("0 0 13 * *", ZoneOffset.UTC), SUNDAY_NOON, 2))
        .containsExactly("2026-12-13T00:00:00Z", "2027-01-13T00:00:00Z");
  }

  @Test
  void quartzLastDayOfTheMonth() {
    assertThat(fires(Schedule.quartz("0 0 12 L * ?", ZoneOffset.UTC), SUNDAY_NOON, 4))
        .containsExactly(
            "2026-11-30T12:00:00Z",
            "2026-12-31T12:00:00Z",
            "2027-01-31T12:00:00Z",
            "2027-02-28T12:00:00Z");
  }

  @Test
  void quartzNearestWeekdayMovesOffWeekendsWithinTheMonth() {
    // 2026-08-15 is a Saturday (Friday the 14th fires), 2026-11-15 a Sunday (Monday the 16th).
    assertThat(fires(Schedule.quartz("0 0 12 15W * ?", ZoneOffset.UTC), "2026-08-01T00:00:00Z", 4))
        .containsExactly(
            "2026-08-14T12:00:00Z",
            "2026-09-15T12:00:00Z",
            "2026-10-15T12:00:00Z",
            "2026-11-16T12:00:00Z");
  }

  @Test
  void quartzNthAndLastWeekdayOfTheMonth() {
    assertThat(fires(Schedule.quartz("0 0 12 ? * 6#3", ZoneOffset.UTC), SUNDAY_NOON, 2))
        .containsExactly("2026-12-18T12:00:00Z", "2027-01-15T12:00:00Z");
    assertThat(fires(Schedule.quartz("0 0 12 ? * 6L", ZoneOffset.UTC), SUNDAY_NOON, 2))
        .containsExactly("2026-12-25T12:00:00Z", "2027-01-29T12:00:00Z");
  }

  @Test
  void quartzYearFieldEndsTheSchedule() {
    Schedule schedule = Schedule.quartz("0 0 12 1 1 ? 2027-2028", ZoneOffset.UTC);

    assertThat(fires(schedule, SUNDAY_NOON, 3))
        .containsExactly("2027-01-01T12:00:00Z", "2028-01-01T12:00:00Z");
    assertThat(schedule.nextAfter(Instant.parse("2028-01-01T12:00:00Z"))).isNull();
  }

  @Test
  void everyNMinutesRestartsAtEachHour() {
    assertThat(fires(Schedule.cron("*/20 * * * *", ZoneOffset.UTC), "2026-11-29T12:30:00Z", 4))
        .containsExactly(
            "2026-11-29T12:40:00Z",
            "2026-11-29T13:00:00Z",
            "2026-11-29T13:20:00Z",
            "2026-11-29T13:40:00Z");
    assertThat(fires(Schedule.cron("*/25 * * * *", ZoneOffset.UTC), "2026-11-29T12:30:00Z", 3))
        .containsExactly("2026-11-29T12:50:00Z", "2026-11-29T13:00:00Z", "2026-11-29T13:25:00Z");
  }

  @Test
  void quartzSecondsFireWithinTheMinute() {
    assertThat(
            fires(Schedule.quartz("*/20 * * * * ?", ZoneOffset.UTC), "2026-11-29T12:00:00.5Z", 3))
        .containsExactly("2026-11-29T12:00:20Z", "2026-11-29T12:00:40Z", "2026-11-29T12:01:00Z");
  }

  @Test
  void nextAfterIsStrictlyAfterEvenWithinASecond() {
    Schedule schedule = Schedule.cron("0 * * * *", ZoneOffset.UTC);

    assertThat(schedule.nextAfter(Instant.parse("2026-11-29T12:00:00Z")))
        .isEqualTo("2026-11-29T13:00:00Z");
    assertThat(schedule.nextAfter(Instant.parse("2026-11-29T11:59:59.999999999Z")))
        .isEqualTo("2026-11-29T12:00:00Z");
  }

  @Test
  void aDateThatNeverComesNeverFires() {
    assertThat(Schedule.cron("0 0 31 2 *", ZoneOffset.UTC).nextAfter(Instant.parse(SUNDAY_NOON)))
        .isNull();
  }

  @Test
  void anIntervalCountsFromItsAnchor() {
    Schedule schedule =
        Schedule.every(java.time.Duration.ofMinutes(90), Instant.parse("2026-11-29T00:10:00Z"));

    assertThat(fires(schedule, "2026-11-28T00:00:00Z", 1)).containsExactly("2026-11-29T00:10:00Z");
    assertThat(fires(schedule, "2026-11-29T00:10:00Z", 2))
        .containsExactly("2026-11-29T01:40:00Z", "2026-11-29T03:10:00Z");
    assertThat(fires(schedule, "2026-11-29T01:39:59Z", 1)).containsExactly("2026-11-29T01:40:00Z");
    assertThat(schedule.describe()).isEqualTo("every PT1H30M from 2026-11-29T00:10:00Z");
  }

  @Test
  void aOneShotFiresOnceAndThenNever() {
    Schedule schedule = Schedule.once(Instant.parse("2026-12-24T18:00:00Z"));

    assertThat(fires(schedule, SUNDAY_NOON, 2)).containsExactly("2026-12-24T18:00:00Z");
    assertThat(schedule.nextAfter(Instant.parse("2026-12-24T18:00:00Z"))).isNull();
  }

  @Test
  void aScheduleDescribesItself() {
    assertThat(Schedule.cron("0 9 * * MON-FRI", java.time.ZoneId.of("Europe/Berlin")).describe())
        .isEqualTo("cron \"0 9 * * MON-FRI\" (unix) in Europe/Berlin");
    assertThat(
            CronSchedule.builder("0 30 2 * * ?")
                .dialect(CronDialect.QUARTZ)
                .dstGap(DstGapPolicy.SKIP)
                .build()
                .describe())
        .isEqualTo("cron \"0 30 2 * * ?\" (quartz) in Z, skipping daylight-saving gaps");
  }
}
