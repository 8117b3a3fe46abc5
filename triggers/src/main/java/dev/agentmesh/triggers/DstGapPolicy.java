package dev.agentmesh.triggers;

/**
 * What a cron with a fixed hour does on the day its local time falls in a spring-forward gap (02:30
 * on the night clocks jump from 02:00 to 03:00). Schedules whose hour field is a wildcard or a step
 * ({@code *}, {@code *}{@code /2}) are not affected: they fire at every local time that really
 * occurs, and those in the gap do not.
 *
 * <pre>{@code
 * CronSchedule.builder("30 2 * * *").zone(ZoneId.of("Europe/Berlin")).dstGap(DstGapPolicy.SKIP).build();
 * }</pre>
 */
public enum DstGapPolicy {

  /** Fire once, at the first instant after the gap (03:00 local in the example). The default. */
  FIRE_AFTER_GAP,

  /** Do not fire that day. */
  SKIP
}
