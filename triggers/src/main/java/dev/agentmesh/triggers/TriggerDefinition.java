package dev.agentmesh.triggers;

import dev.agentmesh.sessions.Origin;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Objects;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.cfg.EnumFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * One scheduled trigger: its id, schedule, the agent whose session it starts with which input, and
 * its overlap, catch-up and jitter policies. Immutable; {@link #fingerprint()} identifies this
 * version of it, and is recorded with every occurrence it claims.
 *
 * <pre>{@code
 * TriggerDefinition daily =
 *     TriggerDefinition.cron("daily-priorities", "0 9 * * MON-FRI")
 *         .zone(ZoneId.of("Europe/Berlin"))
 *         .agent("prioritizer")
 *         .input(o -> Map.of("day", o.scheduledAt().toString()))
 *         .overlap(OverlapPolicy.SKIP)
 *         .catchUp(CatchUpPolicy.allWithin(Duration.ofHours(2)))
 *         .build();
 * }</pre>
 */
public final class TriggerDefinition {

  private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,199}");
  private static final JsonMapper CANONICAL =
      JsonMapper.builder()
          .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
          .disable(EnumFeature.WRITE_ENUMS_USING_TO_STRING)
          .build();

  /** The kind of schedule, which decides the session's {@link Origin}. */
  enum Kind {
    CRON,
    INTERVAL,
    ONCE
  }

  private final String id;
  private final Schedule schedule;
  private final Kind kind;
  private final String agent;
  private final TriggerInput input;
  private final OverlapPolicy overlap;
  private final CatchUpPolicy catchUp;
  private final Jitter jitter;
  private final String version;
  private final String fingerprint;

  private TriggerDefinition(Builder b, Schedule schedule, String agent) {
    this.id = b.id;
    this.schedule = schedule;
    this.kind =
        schedule instanceof OnceSchedule
            ? Kind.ONCE
            : schedule instanceof IntervalSchedule ? Kind.INTERVAL : Kind.CRON;
    this.agent = agent;
    this.input = b.input;
    this.overlap = b.overlap;
    this.catchUp = b.catchUp;
    this.jitter = b.jitter;
    this.version = b.version;
    this.fingerprint = fingerprintOf();
  }

  /**
   * A cron trigger: Unix syntax in UTC unless {@link Builder#dialect} and {@link Builder#zone} say
   * otherwise.
   *
   * @param id the trigger's id: letters, digits, {@code . _ : -}, at most 200 characters
   * @param expression the cron expression
   * @return a builder
   */
  public static Builder cron(String id, String expression) {
    Builder b = new Builder(id);
    b.cron = CronSchedule.builder(Objects.requireNonNull(expression, "expression"));
    return b;
  }

  /**
   * An interval trigger: {@code anchor} and every {@code period} after it.
   *
   * @param id the trigger's id
   * @param period the time between occurrences
   * @param anchor one occurrence, from which the others are counted
   * @return a builder
   */
  public static Builder interval(String id, Duration period, Instant anchor) {
    return of(id, Schedule.every(period, anchor));
  }

  /**
   * A one-shot trigger, at {@code at}.
   *
   * @param id the trigger's id
   * @param at the one occurrence
   * @return a builder
   */
  public static Builder once(String id, Instant at) {
    return of(id, Schedule.once(at));
  }

  /**
   * A trigger on any schedule.
   *
   * @param id the trigger's id
   * @param schedule when it fires
   * @return a builder
   */
  public static Builder of(String id, Schedule schedule) {
    Builder b = new Builder(id);
    b.schedule = Objects.requireNonNull(schedule, "schedule");
    return b;
  }

  /**
   * The trigger's id, unique among a mesh's triggers.
   *
   * @return the id
   */
  public String id() {
    return id;
  }

  /**
   * When it fires.
   *
   * @return the schedule
   */
  public Schedule schedule() {
    return schedule;
  }

  /**
   * The agent whose session each occurrence starts.
   *
   * @return the agent's name
   */
  public String agent() {
    return agent;
  }

  /**
   * Builds each session's input.
   *
   * @return the input
   */
  public TriggerInput input() {
    return input;
  }

  /**
   * What happens when an occurrence comes due while the previous session still runs.
   *
   * @return the overlap policy
   */
  public OverlapPolicy overlap() {
    return overlap;
  }

  /**
   * Which missed occurrences fire after downtime.
   *
   * @return the catch-up policy
   */
  public CatchUpPolicy catchUp() {
    return catchUp;
  }

  /**
   * The delay added to each occurrence's fire time.
   *
   * @return the jitter
   */
  public Jitter jitter() {
    return jitter;
  }

  /**
   * Identifies this version of the trigger: the first 16 hex digits of SHA-256 over its id,
   * schedule, agent, policies, jitter, and its input (the canonical JSON of a fixed input, else
   * {@link Builder#version}). Recorded with every claim, so nodes running different versions during
   * a rolling deploy are visible.
   *
   * @return the fingerprint
   */
  public String fingerprint() {
    return fingerprint;
  }

  Origin origin(Instant scheduledAt) {
    return switch (kind) {
      case CRON -> Origin.cron(id, scheduledAt);
      case INTERVAL -> Origin.interval(id, scheduledAt);
      case ONCE -> Origin.once(id, scheduledAt);
    };
  }

  private String fingerprintOf() {
    String inputText =
        input instanceof TriggerInput.Fixed fixed
            ? "fixed " + CANONICAL.writeValueAsString(CANONICAL.valueToTree(fixed.value()))
            : "computed " + version;
    String text =
        String.join(
            "\n",
            id,
            schedule.describe(),
            agent,
            overlap.name(),
            catchUp.toString(),
            jitter.max().toString(),
            inputText);
    return HexFormat.of()
        .formatHex(Jitter.sha256(text.getBytes(StandardCharsets.UTF_8)))
        .substring(0, 16);
  }

  @Override
  public String toString() {
    return "TriggerDefinition{" + id + ", " + schedule.describe() + ", agent=" + agent + "}";
  }

  /** Builds a {@link TriggerDefinition}. Not thread-safe; {@link #build()} may be called again. */
  public static final class Builder {
    private final String id;
    private CronSchedule.@Nullable Builder cron;
    private @Nullable Schedule schedule;
    private @Nullable String agent;
    private TriggerInput input = TriggerInput.of(java.util.Map.of());
    private OverlapPolicy overlap = OverlapPolicy.SKIP;
    private CatchUpPolicy catchUp = CatchUpPolicy.latest();
    private Jitter jitter = Jitter.none();
    private String version = "";

    private Builder(String id) {
      Objects.requireNonNull(id, "id");
      if (!ID.matcher(id).matches()) {
        throw new IllegalArgumentException(
            "A trigger id is 1 to 200 letters, digits or . _ : - (starting with a letter or digit)"
                + " but was '"
                + (id.length() > 80 ? id.substring(0, 80) + "..." : id)
                + "'");
      }
      this.id = id;
    }

    /**
     * The cron dialect (default {@link CronDialect#UNIX}); cron triggers only.
     *
     * @param dialect the dialect the expression is written in
     * @return this builder
     */
    public Builder dialect(CronDialect dialect) {
      cronBuilder("dialect").dialect(dialect);
      return this;
    }

    /**
     * The time zone of the cron expression (default UTC); cron triggers only.
     *
     * @param zone the zone
     * @return this builder
     */
    public Builder zone(java.time.ZoneId zone) {
      cronBuilder("zone").zone(zone);
      return this;
    }

    /**
     * What a fixed-hour cron does in a spring-forward gap (default {@link
     * DstGapPolicy#FIRE_AFTER_GAP}); cron triggers only.
     *
     * @param policy the gap policy
     * @return this builder
     */
    public Builder dstGap(DstGapPolicy policy) {
      cronBuilder("dstGap").dstGap(policy);
      return this;
    }

    private CronSchedule.Builder cronBuilder(String setting) {
      if (cron == null) {
        throw new IllegalStateException(
            setting + " applies to cron triggers; trigger '" + id + "' is not one");
      }
      return cron;
    }

    /**
     * The agent whose session each occurrence starts (required).
     *
     * @param agent the agent's name
     * @return this builder
     */
    public Builder agent(String agent) {
      this.agent = Objects.requireNonNull(agent, "agent");
      return this;
    }

    /**
     * The same input for every session (default: an empty JSON object).
     *
     * @param input a record, a map, a {@code JsonNode} or text
     * @return this builder
     */
    public Builder input(Object input) {
      this.input = input instanceof TriggerInput built ? built : TriggerInput.of(input);
      return this;
    }

    /**
     * An input built from each occurrence. Give a {@link #version} when its code changes, so the
     * fingerprint changes with it.
     *
     * @param input builds the input from the occurrence
     * @return this builder
     */
    public Builder input(TriggerInput input) {
      this.input = Objects.requireNonNull(input, "input");
      return this;
    }

    /**
     * What happens when an occurrence comes due while the previous session is not finished (default
     * {@link OverlapPolicy#SKIP}).
     *
     * @param overlap the policy
     * @return this builder
     */
    public Builder overlap(OverlapPolicy overlap) {
      this.overlap = Objects.requireNonNull(overlap, "overlap");
      return this;
    }

    /**
     * Which missed occurrences fire after downtime (default {@link CatchUpPolicy#latest()}).
     *
     * @param catchUp the policy
     * @return this builder
     */
    public Builder catchUp(CatchUpPolicy catchUp) {
      this.catchUp = Objects.requireNonNull(catchUp, "catchUp");
      return this;
    }

    /**
     * A delay in {@code [0, max)} added to each occurrence's fire time, the same on every node
     * (default none). Keep it below a {@link CatchUpPolicy#none()} grace, or late jittered
     * occurrences are dropped.
     *
     * @param jitter the jitter
     * @return this builder
     */
    public Builder jitter(Jitter jitter) {
      this.jitter = Objects.requireNonNull(jitter, "jitter");
      return this;
    }

    /**
     * A label of this version of the trigger's input code, part of the fingerprint (default empty):
     * change it when an input built by a function changes.
     *
     * @param version the label
     * @return this builder
     */
    public Builder version(String version) {
      this.version = Objects.requireNonNull(version, "version");
      return this;
    }

    /**
     * The definition.
     *
     * @return a new definition
     * @throws IllegalStateException if no agent was given
     * @throws ScheduleException if the cron expression does not parse
     */
    public TriggerDefinition build() {
      if (agent == null) {
        throw new IllegalStateException(
            "Trigger '" + id + "' needs the agent it starts: .agent(\"name\")");
      }
      Schedule built = cron != null ? cron.build() : Objects.requireNonNull(schedule);
      return new TriggerDefinition(this, built, agent);
    }
  }
}
