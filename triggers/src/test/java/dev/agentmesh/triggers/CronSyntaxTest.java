package dev.agentmesh.triggers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** A bad expression is refused with what was expected, what was found, where and how to fix it. */
class CronSyntaxTest {

  @Test
  void aValueOutOfRangeNamesItsFieldAndColumn() {
    assertThatThrownBy(() -> Schedule.cron("0 24 * * *", ZoneOffset.UTC))
        .isInstanceOf(ScheduleException.class)
        .hasMessage(
            "cron \"0 24 * * *\" (unix): hour (field 2, column 3): expected a value from 0 to 23"
                + " but found 24. Fix: use 0-23")
        .satisfies(
            e -> {
              assertThat(((ScheduleException) e).field()).isEqualTo(2);
              assertThat(((ScheduleException) e).column()).isEqualTo(3);
              assertThat(((ScheduleException) e).expression()).isEqualTo("0 24 * * *");
            });
  }

  @Test
  void theColumnPointsIntoAList() {
    assertThatThrownBy(() -> Schedule.cron("0,15,61 * * * *", ZoneOffset.UTC))
        .hasMessage(
            "cron \"0,15,61 * * * *\" (unix): minute (field 1, column 6): expected a value from 0 to 59"
                + " but found 61. Fix: use 0-59");
  }

  @Test
  void theWrongNumberOfFieldsSaysWhichDialectToUse() {
    assertThatThrownBy(() -> Schedule.cron("0 0 9 * * ?", ZoneOffset.UTC))
        .hasMessage(
            "cron \"0 0 9 * * ?\" (unix): expected 5 fields (minute hour day-of-month month day-of-week)"
                + " but found 6. Fix: six or seven fields are Quartz syntax (seconds first): use CronDialect.QUARTZ");
    assertThatThrownBy(() -> Schedule.quartz("0 9 * * *", ZoneOffset.UTC))
        .hasMessage(
            "cron \"0 9 * * *\" (quartz): expected 6 or 7 fields (second minute hour day-of-month month"
                + " day-of-week [year]) but found 5. Fix: Quartz starts with a seconds field: prepend '0 ', or use CronDialect.UNIX");
    assertThatThrownBy(() -> Schedule.cron("", ZoneOffset.UTC))
        .hasMessage(
            "cron \"\" (unix): expected 5 fields (minute hour day-of-month month day-of-week)"
                + " but found 0. Fix: write 5 fields separated by spaces");
  }

  @Test
  void quartzSyntaxInUnixCronIsPointedOut() {
    assertThatThrownBy(() -> Schedule.cron("0 9 ? * MON", ZoneOffset.UTC))
        .hasMessage(
            "cron \"0 9 ? * MON\" (unix): day-of-month (field 3, column 5): expected a value, a range"
                + " or '*' but found '?'. Fix: '?' is Quartz syntax: write '*' in unix cron");
    assertThatThrownBy(() -> Schedule.cron("0 9 L * *", ZoneOffset.UTC))
        .hasMessage(
            "cron \"0 9 L * *\" (unix): day-of-month (field 3, column 5): expected a value from 1 to 31"
                + " but found 'L'. Fix: 'L', 'W' and '#' are Quartz syntax: use CronDialect.QUARTZ");
  }

  @Test
  void quartzNumbersSundayFromOneAndSaysSo() {
    assertThatThrownBy(() -> Schedule.quartz("0 0 9 ? * 0", ZoneOffset.UTC))
        .hasMessage(
            "cron \"0 0 9 ? * 0\" (quartz): day-of-week (field 6, column 11): expected a value from 1"
                + " to 7 or SUN-SAT but found 0. Fix: Quartz numbers days 1 (Sunday) to 7 (Saturday): write 1 or SUN for Sunday");
  }

  @Test
  void quartzNeedsAQuestionMarkInExactlyOneDayField() {
    assertThatThrownBy(() -> Schedule.quartz("0 0 9 * * MON", ZoneOffset.UTC))
        .hasMessage(
            "cron \"0 0 9 * * MON\" (quartz): day-of-month and day-of-week (fields 4 and 6, column 7):"
                + " expected '?' in exactly one of them but found '*' and 'MON'. Fix: write '?' in the one you do not"
                + " mean, e.g. '0 0 12 ? * MON' or '0 0 12 1 * ?'");
  }

  @Test
  void aSixthWeekdayOfTheMonthIsRefused() {
    assertThatThrownBy(() -> Schedule.quartz("0 0 12 ? * MON#6", ZoneOffset.UTC))
        .hasMessage(
            "cron \"0 0 12 ? * MON#6\" (quartz): day-of-week (field 6, column 16): expected an occurrence"
                + " from 1 to 5 but found '6'. Fix: a month has at most five of each weekday: write e.g. '6#3'");
  }

  @Test
  void nicknamesAreOff() {
    assertThatThrownBy(() -> Schedule.cron("@daily", ZoneOffset.UTC))
        .hasMessage(
            "cron \"@daily\" (unix): expected a cron expression of minute hour day-of-month month"
                + " day-of-week but found the nickname '@daily'. Nicknames are not supported: write the fields,"
                + " e.g. '0 0 * * *' for @daily");
  }

  @Test
  void unknownNamesEmptyItemsAndBadStepsAreRefused() {
    assertThatThrownBy(() -> Schedule.cron("0 9 * FOO *", ZoneOffset.UTC))
        .hasMessage(
            "cron \"0 9 * FOO *\" (unix): month (field 4, column 7): expected a value from 1 to 12 or"
                + " JAN-DEC but found 'FOO'. Fix: write a number, a range such as 1-5, a list such as 1,15 or '*'");
    assertThatThrownBy(() -> Schedule.cron("0 9,,10 * * *", ZoneOffset.UTC))
        .hasMessage(
            "cron \"0 9,,10 * * *\" (unix): hour (field 2, column 5): expected a value but found"
                + " an empty list item. Fix: remove the extra ','");
    assertThatThrownBy(() -> Schedule.cron("*/0 * * * *", ZoneOffset.UTC))
        .hasMessage(
            "cron \"*/0 * * * *\" (unix): minute (field 1, column 3): expected a step from 1 to 59"
                + " but found '0'. Fix: write e.g. '*/15' for every 15th value");
    assertThatThrownBy(() -> Schedule.cron("0 0 * * */8", ZoneOffset.UTC))
        .hasMessage(
            "cron \"0 0 * * */8\" (unix): day-of-week (field 5, column 11): expected a step from 1 to 7"
                + " but found '8'. Fix: write e.g. '*/15' for every 15th value");
  }

  @Test
  void aYearOutOfQuartzRangeIsRefused() {
    assertThatThrownBy(() -> Schedule.quartz("0 0 12 1 1 ? 2100", ZoneOffset.UTC))
        .hasMessage(
            "cron \"0 0 12 1 1 ? 2100\" (quartz): year (field 7, column 14): expected a value from 1970"
                + " to 2099 but found 2100. Fix: use 1970-2099");
  }

  @Test
  void hostileInputIsCutAndControlCharactersAreHidden() {
    String huge = "0 0 * * * " + "x".repeat(10_000);
    assertThatThrownBy(() -> Schedule.cron(huge, ZoneOffset.UTC))
        .hasMessageStartingWith(
            "cron \"0 0 * * * " + "x".repeat(67) + "...\" (unix): expected 5 fields")
        .message()
        .hasSizeLessThan(400);
    assertThatThrownBy(() -> Schedule.cron("0 9\u0000 * * *", ZoneOffset.UTC))
        .hasMessageStartingWith("cron \"0 9? * * *\" (unix): hour (field 2, column 3)");
  }

  @Test
  void intervalsAndOneShotsCheckTheirArguments() {
    assertThatThrownBy(() -> Schedule.every(Duration.ZERO, Instant.EPOCH))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("period must be positive but was PT0S");
  }
}
