package dev.agentmesh.triggers;

import com.cronutils.model.Cron;
import com.cronutils.model.field.CronFieldName;
import com.cronutils.model.field.expression.Always;
import com.cronutils.model.field.expression.And;
import com.cronutils.model.field.expression.Every;
import com.cronutils.model.field.expression.FieldExpression;
import com.cronutils.model.time.ExecutionTime;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import org.jspecify.annotations.Nullable;

/**
 * A cron expression over local date-times, with no time zone at all: cron-utils is asked in UTC,
 * where no day has a gap or an overlap, so its own daylight-saving behaviour never comes into play.
 * {@link CronSchedule} maps the local times onto instants under our policy.
 */
final class LocalCron {

  private final ExecutionTime executionTime;
  private final boolean fixedHour;

  LocalCron(Cron cron) {
    this.executionTime = ExecutionTime.forCron(cron);
    this.fixedHour = !everyHour(cron.retrieve(CronFieldName.HOUR).getExpression());
  }

  /**
   * True unless the hour field is a wildcard or a step ({@code *}, {@code *}{@code /2}, {@code
   * 1/3}).
   */
  boolean fixedHour() {
    return fixedHour;
  }

  /** The first matching local time strictly after {@code local}, or null when there is none. */
  @Nullable LocalDateTime nextAfter(LocalDateTime local) {
    // Fire times are whole seconds, so "after local" and "after local's second" are the same.
    ZonedDateTime from = local.truncatedTo(ChronoUnit.SECONDS).atZone(ZoneOffset.UTC);
    return executionTime.nextExecution(from).map(ZonedDateTime::toLocalDateTime).orElse(null);
  }

  /** True when some matching local time lies in {@code [from, to)}. */
  boolean matchesIn(LocalDateTime from, LocalDateTime to) {
    LocalDateTime next = nextAfter(from.minusNanos(1));
    return next != null && next.isBefore(to);
  }

  private static boolean everyHour(FieldExpression hour) {
    if (hour instanceof And and) {
      return and.getExpressions().stream().anyMatch(LocalCron::everyHour);
    }
    return hour instanceof Always || hour instanceof Every;
  }
}
