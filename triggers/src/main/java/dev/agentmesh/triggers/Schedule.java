package dev.agentmesh.triggers;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import org.jspecify.annotations.Nullable;

/**
 * When something fires: a pure function from an instant to the next fire time strictly after it.
 *
 * <pre>{@code
 * Schedule weekdays = Schedule.cron("0 9 * * MON-FRI", ZoneId.of("Europe/Berlin"));
 * Instant next = weekdays.nextAfter(Instant.parse("2026-03-27T12:00:00Z")); // 2026-03-30T07:00:00Z
 * }</pre>
 *
 * <p>Implementations are immutable and thread-safe; {@link #nextAfter} reads no clock, so every
 * node computes the same fire times. Fire times strictly increase: iterating {@code nextAfter} from
 * any instant visits each occurrence once, in order.
 */
public interface Schedule {

  /**
   * The first fire time strictly after {@code t}, or {@code null} when the schedule never fires
   * again (a one-shot in the past, a cron whose last year has gone by).
   *
   * @param t the instant to search after
   * @return the next fire time, or {@code null}
   */
  @Nullable Instant nextAfter(Instant t);

  /**
   * A short description for logs and error messages, e.g. {@code cron "0 9 * * *" (unix) in UTC}.
   *
   * @return the description
   */
  String describe();

  /**
   * A Unix cron (5 fields: minute hour day-of-month month day-of-week; 0 and 7 are Sunday) in
   * {@code zone}, with the default daylight-saving policy ({@link DstGapPolicy#FIRE_AFTER_GAP}).
   *
   * @param expression the cron expression
   * @param zone the time zone it fires in
   * @return the schedule
   * @throws ScheduleException if the expression is not valid Unix cron
   */
  static CronSchedule cron(String expression, ZoneId zone) {
    return CronSchedule.builder(expression).zone(zone).build();
  }

  /**
   * A Quartz cron (6 or 7 fields: second minute hour day-of-month month day-of-week [year]; 1 is
   * Sunday; {@code ?}, {@code L}, {@code W} and {@code #} allowed) in {@code zone}.
   *
   * @param expression the cron expression
   * @param zone the time zone it fires in
   * @return the schedule
   * @throws ScheduleException if the expression is not valid Quartz cron
   */
  static CronSchedule quartz(String expression, ZoneId zone) {
    return CronSchedule.builder(expression).dialect(CronDialect.QUARTZ).zone(zone).build();
  }

  /**
   * Every {@code period} of elapsed time from {@code anchor} (the anchor itself is a fire time). A
   * fixed duration, blind to time zones: {@code every(Duration.ofDays(1), anchor)} drifts by an
   * hour in local time across a daylight-saving change; use a cron for "every day at 09:00".
   *
   * @param period the period, positive
   * @param anchor a fire time
   * @return the schedule
   */
  static Schedule every(Duration period, Instant anchor) {
    return new IntervalSchedule(period, anchor);
  }

  /**
   * Fires once, at {@code instant}.
   *
   * @param instant when it fires
   * @return the schedule
   */
  static Schedule once(Instant instant) {
    return new OnceSchedule(instant);
  }
}
