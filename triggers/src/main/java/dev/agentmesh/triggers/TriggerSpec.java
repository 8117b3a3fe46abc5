package dev.agentmesh.triggers;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonPointer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One declared trigger: what fires it, the agent it starts a session for, the input, and its
 * policies. Loaded from trigger files by {@link TriggerSpecs}, or built in Java, equal either way
 * (the file and line it came from are not part of equality).
 *
 * <pre>{@code
 * TriggerSpec daily =
 *     TriggerSpec.cron("daily-priorities", "0 9 * * MON-FRI")
 *         .zone(ZoneId.of("Europe/Berlin"))
 *         .agent("triage")
 *         .input(Map.of("tickets", "today"))
 *         .catchUp(CatchUpPolicy.latest())
 *         .build();
 * daily.schedule().nextAfter(now); // parsed when built
 *
 * TriggerSpec byHand = TriggerSpec.human("priorities-by-hand").agent("daily-priorities").build();
 * TriggerSpec stage = TriggerSpec.fromAgents("coder-stage", "pilot").agent("coder").build();
 * }</pre>
 *
 * <p>A {@code human} or {@code agent} trigger fires nothing itself: it declares that people, or the
 * {@value AgentTriggers#TOOL} calls of the agents in {@link #from()}, may start sessions of its
 * agent. {@link HumanTrigger.Builder#declared} and {@link AgentTriggers.Builder#declared} refuse
 * starts nobody declared, and {@code agentmesh graph} draws them.
 *
 * <p>Immutable and thread-safe. A cron expression is parsed when the spec is built, so a spec that
 * exists has a schedule that works.
 */
public final class TriggerSpec {

  private static final Pattern ID = Pattern.compile("[a-z][a-z0-9-]{0,62}");
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final String id;
  private final TriggerKind kind;
  private final String agent;
  private final @Nullable String expression;
  private final CronDialect dialect;
  private final ZoneId zone;
  private final DstGapPolicy dstGap;
  private final @Nullable Duration every;
  private final Instant anchor;
  private final @Nullable Instant at;
  private final @Nullable Schedule schedule;
  private final @Nullable JsonNode input;
  private final Map<String, String> inputMap;
  private final OverlapPolicy overlap;
  private final CatchUpPolicy catchUp;
  private final Jitter jitter;
  private final boolean paused;
  private final @Nullable Verification verification;
  private final @Nullable String path;
  private final @Nullable String source;
  private final List<String> from;
  private final @Nullable String description;
  private final @Nullable String file;
  private final Map<String, int[]> places;

  private TriggerSpec(Builder b, String agent) {
    this.id = b.id;
    this.kind = b.kind;
    this.agent = agent;
    this.expression = b.expression;
    this.dialect = b.dialect;
    this.zone = b.zone;
    this.dstGap = b.dstGap;
    this.every = b.every;
    this.anchor = b.anchor;
    this.at = b.at;
    this.input = b.input == null ? null : b.input.deepCopy();
    this.inputMap = Map.copyOf(b.inputMap);
    this.overlap = b.overlap;
    this.catchUp = b.catchUp;
    this.jitter = b.jitter;
    this.paused = b.paused;
    this.verification = b.verification;
    this.path = b.path;
    this.source = b.source;
    this.from = List.copyOf(b.from);
    this.description = b.description;
    this.file = b.file;
    this.places = Map.copyOf(b.places);
    this.schedule = scheduleOf();
  }

  private @Nullable Schedule scheduleOf() {
    switch (kind) {
      case CRON:
        return CronSchedule.builder(Objects.requireNonNull(expression))
            .dialect(dialect)
            .zone(zone)
            .dstGap(dstGap)
            .build();
      case INTERVAL:
        return Schedule.every(Objects.requireNonNull(every), anchor);
      case ONCE:
        return Schedule.once(Objects.requireNonNull(at));
      default:
        return null;
    }
  }

  /**
   * A trigger that fires on a Unix cron expression (set {@link Builder#dialect} for Quartz), in UTC
   * unless {@link Builder#zone} says otherwise.
   *
   * @param id the trigger's id: lower-case letters, digits and '-', starting with a letter, at most
   *     63 characters
   * @param expression the cron expression
   * @return a builder
   */
  public static Builder cron(String id, String expression) {
    Builder b = new Builder(id, TriggerKind.CRON);
    b.expression = Objects.requireNonNull(expression, "expression");
    return b;
  }

  /**
   * A trigger that fires every {@code period} from an anchor (the Unix epoch unless {@link
   * Builder#anchor} says otherwise).
   *
   * @param id the trigger's id
   * @param period the period, positive
   * @return a builder
   */
  public static Builder interval(String id, Duration period) {
    if (period.isNegative() || period.isZero()) {
      throw new IllegalArgumentException("every must be positive but was " + period);
    }
    Builder b = new Builder(id, TriggerKind.INTERVAL);
    b.every = period;
    return b;
  }

  /**
   * A trigger that fires once, at {@code at}.
   *
   * @param id the trigger's id
   * @param at when it fires
   * @return a builder
   */
  public static Builder once(String id, Instant at) {
    Builder b = new Builder(id, TriggerKind.ONCE);
    b.at = Objects.requireNonNull(at, "at");
    return b;
  }

  /**
   * A trigger that fires on a verified webhook delivery; the input is the payload, or what {@link
   * Builder#inputField} picks from it.
   *
   * @param id the trigger's id
   * @param verification how deliveries are verified
   * @return a builder
   */
  public static Builder webhook(String id, Verification verification) {
    Builder b = new Builder(id, TriggerKind.WEBHOOK);
    b.verification = Objects.requireNonNull(verification, "verification");
    return b;
  }

  /**
   * A trigger that fires on each message of a broker queue or in-process topic; the input is the
   * payload, or what {@link Builder#inputField} picks from it.
   *
   * @param id the trigger's id
   * @param source the queue or topic
   * @return a builder
   */
  public static Builder event(String id, String source) {
    if (source.isBlank()) throw new IllegalArgumentException("source must not be blank");
    Builder b = new Builder(id, TriggerKind.EVENT);
    b.source = source;
    return b;
  }

  /**
   * A declaration that people may start sessions of the trigger's agent ({@link HumanTrigger}).
   *
   * @param id the trigger's id
   * @return a builder
   */
  public static Builder human(String id) {
    return new Builder(id, TriggerKind.HUMAN);
  }

  /**
   * A declaration that these agents may start sessions of the trigger's agent as a sub-task, with
   * their {@value AgentTriggers#TOOL} tool ({@link AgentTriggers}).
   *
   * @param id the trigger's id
   * @param parents the agents that may start it, at least one, each once
   * @return a builder
   */
  public static Builder fromAgents(String id, String... parents) {
    Builder b = new Builder(id, TriggerKind.AGENT);
    if (parents.length == 0) {
      throw new IllegalArgumentException(
          "an agent trigger names at least one agent in 'from' (" + id + ")");
    }
    Set<String> seen = new LinkedHashSet<>();
    for (String parent : parents) {
      if (Objects.requireNonNull(parent, "parent").isBlank()) {
        throw new IllegalArgumentException("an agent in 'from' must not be blank (" + id + ")");
      }
      if (!seen.add(parent)) {
        throw new IllegalArgumentException(
            "'from' names agent '" + parent + "' twice (" + id + "); keep one");
      }
    }
    b.from = List.copyOf(seen);
    return b;
  }

  /** {@return the trigger's id, unique among the triggers of a host} */
  public String id() {
    return id;
  }

  /** {@return what fires it} */
  public TriggerKind kind() {
    return kind;
  }

  /** {@return the agent a session is started for} */
  public String agent() {
    return agent;
  }

  /** {@return the schedule of a cron, interval or once trigger, parsed; null for the others} */
  public @Nullable Schedule schedule() {
    return schedule;
  }

  /** {@return the cron expression as written, or null for other kinds} */
  public @Nullable String expression() {
    return expression;
  }

  /** {@return the cron dialect (unix unless set)} */
  public CronDialect dialect() {
    return dialect;
  }

  /** {@return the time zone a cron expression is read in (UTC unless set)} */
  public ZoneId zone() {
    return zone;
  }

  /** {@return what a cron trigger does when its local time falls in a spring-forward gap} */
  public DstGapPolicy dstGap() {
    return dstGap;
  }

  /** {@return the period of an interval trigger, or null} */
  public @Nullable Duration every() {
    return every;
  }

  /** {@return the anchor of an interval trigger (the Unix epoch unless set)} */
  public Instant anchor() {
    return anchor;
  }

  /** {@return the instant of a once trigger, or null} */
  public @Nullable Instant at() {
    return at;
  }

  /** {@return the fixed input of a scheduled trigger, or null (the session gets no input)} */
  public @Nullable JsonNode input() {
    return input == null ? null : input.deepCopy();
  }

  /**
   * {@return for webhook and event triggers, the input's fields and the JSON Pointers into the
   * payload they are read from; empty: the whole payload is the input}
   */
  public Map<String, String> inputMap() {
    return inputMap;
  }

  /** {@return what happens when an occurrence comes due while the previous session still runs} */
  public OverlapPolicy overlap() {
    return overlap;
  }

  /** {@return which missed occurrences fire after downtime} */
  public CatchUpPolicy catchUp() {
    return catchUp;
  }

  /** {@return the spread added to each scheduled instant} */
  public Jitter jitter() {
    return jitter;
  }

  /** {@return whether the trigger is declared paused (it fires nothing until resumed)} */
  public boolean paused() {
    return paused;
  }

  /** {@return how a webhook trigger verifies deliveries, or null for other kinds} */
  public @Nullable Verification verification() {
    return verification;
  }

  /**
   * {@return the HTTP path a webhook trigger is received at, or null for the runtime's default
   * ({@code /webhooks/<id>}) and for other kinds}
   */
  public @Nullable String path() {
    return path;
  }

  /** {@return the queue or topic of an event trigger, or null for other kinds} */
  public @Nullable String source() {
    return source;
  }

  /**
   * {@return for an agent trigger, the agents whose {@value AgentTriggers#TOOL} calls may start its
   * agent, in declared order; empty for other kinds}
   */
  public List<String> from() {
    return from;
  }

  /** {@return what the trigger is for, in a sentence for people; null when not given} */
  public @Nullable String description() {
    return description;
  }

  /** {@return the file this trigger was loaded from, or null when built in Java} */
  public @Nullable String file() {
    return file;
  }

  /**
   * {@code file:line:col} of a field of this trigger ({@code id}, {@code agent}, ...), or of the
   * trigger itself; {@code trigger 'id'} when built in Java.
   *
   * @param field the field
   * @return where it is written
   */
  public String where(String field) {
    int[] at = places.getOrDefault(field, places.get(""));
    if (file == null) return "trigger '" + id + "'";
    return at == null ? file : file + ":" + at[0] + ":" + at[1];
  }

  /** The place of a field, {line, column}, or of the trigger; null when built in Java. */
  int @Nullable [] place(String field) {
    return places.getOrDefault(field, places.get(""));
  }

  /** {@return one line for people: {@code cron "0 9 * * *" (unix) in UTC -> triage}} */
  public String describe() {
    String what;
    if (schedule != null) what = schedule.describe();
    else if (kind == TriggerKind.WEBHOOK)
      what =
          "webhook (" + Verification.schemeId(Objects.requireNonNull(verification).scheme()) + ")";
    else if (kind == TriggerKind.HUMAN) what = "a person";
    else if (kind == TriggerKind.AGENT) what = "start_session of " + String.join(", ", from);
    else what = "event from " + source;
    return what + (paused ? ", paused" : "") + " -> " + agent;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    if (!(o instanceof TriggerSpec)) return false;
    TriggerSpec t = (TriggerSpec) o;
    return id.equals(t.id)
        && kind == t.kind
        && agent.equals(t.agent)
        && Objects.equals(expression, t.expression)
        && dialect == t.dialect
        && zone.equals(t.zone)
        && dstGap == t.dstGap
        && Objects.equals(every, t.every)
        && anchor.equals(t.anchor)
        && Objects.equals(at, t.at)
        && Objects.equals(input, t.input)
        && inputMap.equals(t.inputMap)
        && overlap == t.overlap
        && catchUp.equals(t.catchUp)
        && jitter.equals(t.jitter)
        && paused == t.paused
        && Objects.equals(verification, t.verification)
        && Objects.equals(path, t.path)
        && Objects.equals(source, t.source)
        && from.equals(t.from)
        && Objects.equals(description, t.description);
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, kind, agent, expression, zone, every, at, input, source, from);
  }

  @Override
  public String toString() {
    return "TriggerSpec[" + id + ": " + describe() + "]";
  }

  /**
   * Builds a {@link TriggerSpec}; made by {@link TriggerSpec#cron}, {@link TriggerSpec#interval},
   * {@link TriggerSpec#once}, {@link TriggerSpec#webhook}, {@link TriggerSpec#event}, {@link
   * TriggerSpec#human} or {@link TriggerSpec#fromAgents}. A setting that does not apply to the kind
   * (a zone on a webhook) is refused when set. Not thread-safe; {@link #build()} can be called
   * again.
   */
  public static final class Builder {
    private final String id;
    private final TriggerKind kind;
    private @Nullable String agent;
    private @Nullable String expression;
    private CronDialect dialect = CronDialect.UNIX;
    private ZoneId zone = ZoneOffset.UTC;
    private DstGapPolicy dstGap = DstGapPolicy.FIRE_AFTER_GAP;
    private @Nullable Duration every;
    private Instant anchor = Instant.EPOCH;
    private @Nullable Instant at;
    private @Nullable JsonNode input;
    private final Map<String, String> inputMap = new LinkedHashMap<>();
    private OverlapPolicy overlap = OverlapPolicy.SKIP;
    private CatchUpPolicy catchUp = CatchUpPolicy.none();
    private Jitter jitter = Jitter.none();
    private boolean paused;
    private @Nullable Verification verification;
    private @Nullable String path;
    private @Nullable String source;
    private List<String> from = List.of();
    private @Nullable String description;
    private @Nullable String file;
    private final Map<String, int[]> places = new LinkedHashMap<>();

    private Builder(String id, TriggerKind kind) {
      Objects.requireNonNull(id, "id");
      if (!ID.matcher(id).matches()) {
        throw new IllegalArgumentException(
            "a trigger id is lower-case letters, digits and '-', starting with a letter, at most 63"
                + " characters, but was '"
                + dev.agentmesh.core.internal.spec.Names.clip(id, 70)
                + "'");
      }
      this.id = id;
      this.kind = kind;
    }

    /**
     * The agent a session is started for. Required.
     *
     * @param agent the agent's name
     * @return this builder
     */
    public Builder agent(String agent) {
      if (agent.isBlank()) throw new IllegalArgumentException("agent must not be blank");
      this.agent = agent;
      return this;
    }

    /**
     * The cron dialect: {@link CronDialect#UNIX} (the default) or {@link CronDialect#QUARTZ}.
     *
     * @param dialect the dialect
     * @return this builder
     */
    public Builder dialect(CronDialect dialect) {
      only("dialect", TriggerKind.CRON);
      this.dialect = Objects.requireNonNull(dialect, "dialect");
      return this;
    }

    /**
     * The time zone the cron expression is read in; UTC by default.
     *
     * @param zone the zone
     * @return this builder
     */
    public Builder zone(ZoneId zone) {
      only("zone", TriggerKind.CRON);
      this.zone = Objects.requireNonNull(zone, "zone");
      return this;
    }

    /**
     * What a cron trigger does when its local time falls in a spring-forward gap.
     *
     * @param dstGap the policy; {@link DstGapPolicy#FIRE_AFTER_GAP} by default
     * @return this builder
     */
    public Builder dstGap(DstGapPolicy dstGap) {
      only("dstGap", TriggerKind.CRON);
      this.dstGap = Objects.requireNonNull(dstGap, "dstGap");
      return this;
    }

    /**
     * The anchor of an interval trigger: a fire time; the Unix epoch by default.
     *
     * @param anchor the anchor
     * @return this builder
     */
    public Builder anchor(Instant anchor) {
      only("anchor", TriggerKind.INTERVAL);
      this.anchor = Objects.requireNonNull(anchor, "anchor");
      return this;
    }

    /**
     * The fixed input of a scheduled trigger's sessions: any value Jackson writes (a string, a map,
     * a record, a {@link JsonNode}).
     *
     * @param input the input
     * @return this builder
     */
    public Builder input(Object input) {
      scheduledOnly("input");
      this.input = input instanceof JsonNode ? (JsonNode) input : JSON.valueToTree(input);
      return this;
    }

    /**
     * For a webhook or event trigger, one field of the input, read from the payload at a JSON
     * Pointer; without any, the whole payload is the input.
     *
     * @param field the input's field
     * @param pointer a JSON Pointer into the payload, such as {@code /ticket/subject}
     * @return this builder
     */
    public Builder inputField(String field, String pointer) {
      only("inputMap", TriggerKind.WEBHOOK, TriggerKind.EVENT);
      if (field.isBlank()) throw new IllegalArgumentException("an input field must not be blank");
      checkPointer(pointer);
      inputMap.put(field, pointer);
      return this;
    }

    /**
     * The HTTP path a webhook trigger is received at; the webhook runtime's default ({@code
     * /webhooks/<id>}) when not set.
     *
     * @param path an absolute path such as {@code /hooks/zendesk}
     * @return this builder
     */
    public Builder path(String path) {
      only("path", TriggerKind.WEBHOOK);
      if (!path.startsWith("/") || path.chars().anyMatch(c -> c <= ' ' || c == '?' || c == '#')) {
        throw new IllegalArgumentException(
            "a webhook path starts with '/' and holds no spaces, '?' or '#', such as"
                + " /hooks/zendesk, but was '"
                + dev.agentmesh.core.internal.spec.Names.clip(path, 60)
                + "'");
      }
      this.path = path;
      return this;
    }

    /**
     * What happens when an occurrence comes due while the previous session still runs.
     *
     * @param overlap the policy; {@link OverlapPolicy#SKIP} by default
     * @return this builder
     */
    public Builder overlap(OverlapPolicy overlap) {
      scheduledOnly("overlap");
      this.overlap = Objects.requireNonNull(overlap, "overlap");
      return this;
    }

    /**
     * Which missed occurrences fire after downtime.
     *
     * @param catchUp the policy; {@link CatchUpPolicy#none()} by default
     * @return this builder
     */
    public Builder catchUp(CatchUpPolicy catchUp) {
      scheduledOnly("catchUp");
      this.catchUp = Objects.requireNonNull(catchUp, "catchUp");
      return this;
    }

    /**
     * The spread added to each scheduled instant.
     *
     * @param jitter the jitter; {@link Jitter#none()} by default
     * @return this builder
     */
    public Builder jitter(Jitter jitter) {
      scheduledOnly("jitter");
      this.jitter = Objects.requireNonNull(jitter, "jitter");
      return this;
    }

    /**
     * Whether the trigger starts paused: it fires nothing until resumed.
     *
     * @param paused true to start paused
     * @return this builder
     */
    public Builder paused(boolean paused) {
      if (kind.declaresStarter()) {
        throw new IllegalArgumentException(
            "'paused' does not apply to a "
                + kind.id()
                + " trigger ("
                + id
                + "); it declares who may start the agent and fires nothing itself");
      }
      this.paused = paused;
      return this;
    }

    /**
     * What the trigger is for, in a sentence for people (shown by tools, never sent to a model).
     *
     * @param description the text, not blank
     * @return this builder
     */
    public Builder description(String description) {
      if (description.isBlank())
        throw new IllegalArgumentException("description must not be blank");
      this.description = description;
      return this;
    }

    /** Where the trigger was loaded from; set by {@link TriggerSpecs}. */
    Builder from(String file, Map<String, int[]> places) {
      this.file = file;
      this.places.putAll(places);
      return this;
    }

    /**
     * The spec.
     *
     * @return the spec
     * @throws IllegalStateException if no agent is set
     * @throws ScheduleException if a cron expression does not parse
     */
    public TriggerSpec build() {
      if (agent == null) {
        throw new IllegalStateException(
            "trigger '" + id + "' names no agent; set the agent its sessions are started for");
      }
      return new TriggerSpec(this, agent);
    }

    private void scheduledOnly(String setting) {
      only(setting, TriggerKind.CRON, TriggerKind.INTERVAL, TriggerKind.ONCE);
    }

    private void only(String setting, TriggerKind... kinds) {
      for (TriggerKind k : kinds) if (k == kind) return;
      throw new IllegalArgumentException(
          "'" + setting + "' does not apply to a " + kind.id() + " trigger (" + id + ")");
    }
  }

  static void checkPointer(String pointer) {
    if (!pointer.isEmpty() && !pointer.startsWith("/")) {
      throw new IllegalArgumentException(
          "expected a JSON Pointer such as /ticket/subject (starting with '/') but found '"
              + dev.agentmesh.core.internal.spec.Names.clip(pointer, 60)
              + "'");
    }
    JsonPointer.compile(pointer);
  }
}
