package dev.agentmesh.triggers;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A cron expression in a time zone, under our daylight-saving policy.
 *
 * <pre>{@code
 * CronSchedule nightly = CronSchedule.builder("30 2 * * *")
 *     .dialect(CronDialect.UNIX)
 *     .zone(ZoneId.of("Europe/Berlin"))
 *     .dstGap(DstGapPolicy.FIRE_AFTER_GAP)
 *     .build();
 * }</pre>
 *
 * <p>The policy is decided by the hour field. With a <em>fixed</em> hour (a value, a list or a
 * range: {@code 9}, {@code 9,17}, {@code 1-3}) a local time in a spring-forward gap fires once at
 * the first instant after the gap (or not at all, with {@link DstGapPolicy#SKIP}), and a local time
 * that occurs twice in a fall-back overlap fires once, at its first occurrence. With a wildcard or
 * stepped hour ({@code *}, {@code *}{@code /2}) the schedule fires at every local time that really
 * occurs: none in a gap, both occurrences in an overlap. Two local times that map to the same
 * instant fire once. Fire times always strictly increase.
 *
 * <p>Immutable and thread-safe. Expressions are parsed by cron-utils, asked only for local times
 * (see docs/triggers.md); the mapping to instants is ours.
 */
public final class CronSchedule implements Schedule {

  private final String expression;
  private final CronDialect dialect;
  private final ZoneId zone;
  private final DstGapPolicy dstGap;
  private final LocalCron cron;
  private final ZoneRules rules;

  private CronSchedule(Builder builder, LocalCron cron) {
    this.expression = builder.expression;
    this.dialect = builder.dialect;
    this.zone = builder.zone;
    this.dstGap = builder.dstGap;
    this.cron = cron;
    this.rules = zone.getRules();
  }

  /**
   * Starts a schedule for {@code expression}; Unix dialect, UTC and fire-after-gap by default.
   *
   * @param expression the cron expression
   * @return a new builder
   */
  public static Builder builder(String expression) {
    return new Builder(expression);
  }

  /** {@return the expression as written} */
  public String expression() {
    return expression;
  }

  /** {@return the dialect it is read in} */
  public CronDialect dialect() {
    return dialect;
  }

  /** {@return the time zone it fires in} */
  public ZoneId zone() {
    return zone;
  }

  /** {@return what happens to a fire time in a daylight-saving gap} */
  public DstGapPolicy dstGap() {
    return dstGap;
  }

  @Override
  public @Nullable Instant nextAfter(Instant t) {
    Instant from = t.plusNanos(1); // the earliest instant that may fire
    while (true) {
      ZoneOffset offset = rules.getOffset(from);
      ZoneOffsetTransition transition = rules.nextTransition(from);
      LocalDateTime local = cron.nextAfter(LocalDateTime.ofInstant(from, offset).minusNanos(1));
      if (local == null) {
        return null;
      }
      Instant candidate = local.toInstant(offset);
      if (transition == null || candidate.isBefore(transition.getInstant())) {
        if (!isSecondOccurrence(local, offset)) {
          return candidate;
        }
        from = candidate.plusNanos(1);
      } else if (firesAtGapEnd(transition)) {
        return transition.getInstant();
      } else {
        from = transition.getInstant();
      }
    }
  }

  /**
   * A fixed-hour schedule fires only the first of the two instants of an overlapping local time.
   */
  private boolean isSecondOccurrence(LocalDateTime local, ZoneOffset offset) {
    if (!cron.fixedHour()) {
      return false;
    }
    List<ZoneOffset> valid = rules.getValidOffsets(local);
    return valid.size() == 2 && offset.equals(valid.get(1));
  }

  private boolean firesAtGapEnd(ZoneOffsetTransition transition) {
    return transition.isGap()
        && cron.fixedHour()
        && dstGap == DstGapPolicy.FIRE_AFTER_GAP
        && cron.matchesIn(transition.getDateTimeBefore(), transition.getDateTimeAfter());
  }

  @Override
  public String describe() {
    return "cron \""
        + expression
        + "\" ("
        + dialect.label()
        + ") in "
        + zone
        + (dstGap == DstGapPolicy.SKIP ? ", skipping daylight-saving gaps" : "");
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof CronSchedule other
        && expression.equals(other.expression)
        && dialect == other.dialect
        && zone.equals(other.zone)
        && dstGap == other.dstGap;
  }

  @Override
  public int hashCode() {
    return Objects.hash(expression, dialect, zone, dstGap);
  }

  @Override
  public String toString() {
    return describe();
  }

  /** Builds a {@link CronSchedule}; {@link #build()} parses and may be called again. */
  public static final class Builder {
    private final String expression;
    private CronDialect dialect = CronDialect.UNIX;
    private ZoneId zone = ZoneOffset.UTC;
    private DstGapPolicy dstGap = DstGapPolicy.FIRE_AFTER_GAP;

    private Builder(String expression) {
      this.expression = Objects.requireNonNull(expression, "expression");
    }

    /**
     * Sets the cron dialect.
     *
     * @param dialect the dialect (default Unix)
     * @return this builder
     */
    public Builder dialect(CronDialect dialect) {
      this.dialect = Objects.requireNonNull(dialect, "dialect");
      return this;
    }

    /**
     * Sets the time zone.
     *
     * @param zone the zone (default UTC)
     * @return this builder
     */
    public Builder zone(ZoneId zone) {
      this.zone = Objects.requireNonNull(zone, "zone");
      return this;
    }

    /**
     * Sets what happens to a fire time in a daylight-saving gap.
     *
     * @param dstGap the policy (default fire after the gap)
     * @return this builder
     */
    public Builder dstGap(DstGapPolicy dstGap) {
      this.dstGap = Objects.requireNonNull(dstGap, "dstGap");
      return this;
    }

    /**
     * Builds the schedule.
     *
     * @return the schedule
     * @throws ScheduleException if the expression is not valid in the dialect
     */
    public CronSchedule build() {
      return new CronSchedule(this, new LocalCron(CronSyntax.parse(expression, dialect)));
    }
  }
}
