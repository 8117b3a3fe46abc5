package dev.agentmesh.triggers;

import dev.agentmesh.sessions.Sessions;
import dev.agentmesh.sessions.spi.Row;
import dev.agentmesh.sessions.spi.RowQuery;
import dev.agentmesh.sessions.spi.RowWrite;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The triggers runtime: fires cron, interval and one-shot triggers by starting sessions, each
 * occurrence exactly once across every node that shares the session store. The entry point of
 * {@code agentmesh-triggers}; immutable and thread-safe, one per process.
 *
 * <pre>{@code
 * Triggers triggers =
 *     Triggers.builder(sessions)
 *         .add(TriggerDefinition.cron("daily-priorities", "0 9 * * MON-FRI")
 *             .zone(ZoneId.of("Europe/Berlin")).agent("prioritizer").build())
 *         .add(TriggerDefinition.interval("sync", Duration.ofMinutes(15), anchor)
 *             .agent("syncer").overlap(OverlapPolicy.QUEUE_ONE).build())
 *         .build();
 * triggers.start(); // ticks every second on its scheduler
 * }</pre>
 *
 * <h2>How it fires</h2>
 *
 * Each tick (every {@link Builder#tickEvery}, or one {@link #tick()}) computes, with pure functions
 * of the schedules and policies, which occurrences are due at the injected clock's instant; every
 * node computes the same. Each decided occurrence is a claim: a row keyed {@code (trigger id,
 * scheduled instant)}, unique in the store, recording the definition's {@link
 * TriggerDefinition#fingerprint() fingerprint} and the node. A started occurrence's claim is
 * inserted in the same transaction as its session's first event, many at once ({@link
 * Sessions#startAll}); a key another node took first skips that occurrence only. So each occurrence
 * is decided once, also when a node dies mid-tick: its transaction either committed (claim and
 * session) or left nothing, and the next tick of any node claims it.
 *
 * <h2>Threading and errors</h2>
 *
 * Ticks of one instance never overlap. A tick that fails (the store is down) is logged and leaves
 * the watermarks as they were, so the next tick decides the same occurrences again.
 */
public final class Triggers implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Triggers.class);
  private static final int PRUNE_BATCH = 1000;

  private final Sessions sessions;
  private final Map<String, TriggerDefinition> definitions;
  private final Clock clock;
  private final String node;
  private final Duration tickEvery;
  private final int batchSize;
  private final Duration retention;
  private final Instant registeredAt;
  private final @Nullable ScheduledExecutorService scheduler;
  private final Object tickLock = new Object();
  private final Map<String, Instant> watermarks = new HashMap<>();
  private final Set<String> warned = new HashSet<>();
  private final Map<String, Upcoming> upcoming = new HashMap<>();
  private final FireTimes times = new FireTimes();
  private Set<String> movedOn = Set.of();
  private boolean loaded;
  private boolean closed;
  private @Nullable ScheduledFuture<?> ticking;

  private Triggers(Builder b) {
    this.sessions = b.sessions;
    this.definitions = Map.copyOf(b.definitions);
    this.clock = b.clock;
    this.node = b.nodeId != null ? b.nodeId : sessions.nodeId();
    this.tickEvery = b.tickEvery;
    this.batchSize = b.batchSize;
    this.retention = b.retention(definitions.values());
    this.registeredAt = clock.instant();
    this.scheduler = b.scheduler;
  }

  /**
   * A builder of the runtime over {@code sessions}: its store holds the claims.
   *
   * @param sessions the sessions the triggers start
   * @return a new builder
   */
  public static Builder builder(Sessions sessions) {
    return new Builder(sessions);
  }

  /**
   * The trigger with this id, if defined here.
   *
   * @param triggerId the id
   * @return its definition, or empty
   */
  public Optional<TriggerDefinition> definition(String triggerId) {
    return Optional.ofNullable(definitions.get(triggerId));
  }

  /**
   * Starts ticking on the builder's scheduler (or a daemon thread of its own): every {@link
   * Builder#tickEvery}, and also right at the next occurrence due sooner (jitter included), so a
   * busy minute's tick begins at the minute rather than up to a period later. Calling it again does
   * nothing.
   */
  public void start() {
    synchronized (tickLock) {
      if (ticking != null || closed) {
        return;
      }
      ScheduledExecutorService on = scheduler != null ? scheduler : ownScheduler();
      ticking = on.schedule(() -> tickAndReschedule(on), 0, TimeUnit.MILLISECONDS);
    }
  }

  private void tickAndReschedule(ScheduledExecutorService on) {
    tickQuietly();
    synchronized (tickLock) {
      if (closed) {
        return;
      }
      long delay = (nextDelay(clock.instant()).toNanos() + 999_999) / 1_000_000; // not early
      ticking = on.schedule(() -> tickAndReschedule(on), delay, TimeUnit.MILLISECONDS);
    }
  }

  /**
   * How long until the next tick: {@code tickEvery}, or less when an occurrence this node knows of
   * falls due sooner (its jittered instant, read from the cached upcoming occurrences).
   */
  Duration nextDelay(Instant now) {
    synchronized (tickLock) {
      Instant next = now.plus(tickEvery);
      for (Map.Entry<String, Upcoming> e : upcoming.entrySet()) {
        Instant first = e.getValue().first();
        TriggerDefinition def = definitions.get(e.getKey());
        if (first == null || def == null || !first.isBefore(next)) {
          continue;
        }
        Instant at = def.jitter().apply(def.id(), first);
        if (at.isAfter(now) && at.isBefore(next)) {
          next = at;
        }
      }
      return Duration.between(now, next);
    }
  }

  private @Nullable ScheduledExecutorService own;

  private ScheduledExecutorService ownScheduler() {
    if (own == null) {
      own =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "agentmesh-triggers-" + node);
                t.setDaemon(true);
                return t;
              });
    }
    return own;
  }

  /**
   * One pass at the injected clock's instant: claims and starts what is due. Tests drive it with a
   * fake clock; {@link #start()} calls it periodically.
   *
   * @return what this pass did on this node
   * @throws dev.agentmesh.sessions.spi.SessionStoreException if the store fails; nothing is lost,
   *     the next tick decides the same occurrences again
   */
  public TickReport tick() {
    synchronized (tickLock) {
      Instant now = clock.instant();
      if (!loaded) {
        loadWatermarks();
        loaded = true;
      }
      TickPass.prefetch(movedOn, definitions, upcoming, watermarks, times);
      TickPass pass =
          new TickPass(
              sessions,
              List.copyOf(definitions.values()),
              watermarks,
              registeredAt,
              node,
              batchSize,
              warned,
              upcoming,
              times,
              retention,
              now);
      TickReport report = pass.run();
      movedOn = pass.movedOn();
      if (!report.claimedAny() && nextDelay(now).compareTo(tickEvery) >= 0) {
        pruneQuietly(now); // an idle tick, nothing due before the next one: prune a batch
      }
      if (report.claimedAny()) {
        log.info(
            "Triggers on node {} at {}: started {}, skipped {}, queued {}; {} claimed elsewhere",
            node,
            now,
            report.started(),
            report.skipped(),
            report.queued(),
            report.taken());
      }
      return report;
    }
  }

  private void pruneQuietly(Instant now) {
    try {
      ClaimPruning.prune(sessions.store(), node, now, retention, PRUNE_BATCH);
      ClaimPruning.pruneMarks(sessions.store(), node, now, PRUNE_BATCH);
    } catch (RuntimeException e) {
      log.warn(
          "Pruning old trigger claims on node {} failed; the next idle tick tries again", node, e);
    }
  }

  /**
   * Deletes one batch (at most 1000) of claims whose occurrence lies more than {@link
   * Builder#retainClaims the retention} before the injected clock's instant, keeping each trigger's
   * last claim (where a restarted node's catch-up starts), and the marks of started batches that
   * are as old. Ticks call this when idle (nothing claimed, nothing due before the next tick); call
   * it yourself to prune after a bulk import.
   *
   * @return how many claims it deleted; 0 when none is due for pruning
   * @throws dev.agentmesh.sessions.spi.SessionStoreException if the store fails
   */
  public int pruneClaims() {
    Instant now = clock.instant();
    int deleted = ClaimPruning.prune(sessions.store(), node, now, retention, PRUNE_BATCH);
    ClaimPruning.pruneMarks(sessions.store(), node, now, PRUNE_BATCH);
    return deleted;
  }

  private void tickQuietly() {
    try {
      tick();
    } catch (RuntimeException e) {
      log.warn("Trigger tick on node {} failed; the next tick tries again", node, e);
    }
  }

  /** The last claimed occurrence of every trigger, one query: where catch-up starts. */
  private void loadWatermarks() {
    Map<String, TriggerDefinition> byPrefix = new HashMap<>();
    definitions.values().forEach(d -> byPrefix.put(ClaimRows.prefix(d.id()), d));
    Map<String, Row> last = sessions.store().lastRows(ClaimRows.CLAIMS, byPrefix.keySet());
    last.forEach(
        (prefix, row) -> {
          TriggerDefinition def = byPrefix.get(prefix);
          TriggerClaim claim = ClaimRows.read(row);
          if (def != null) {
            watermarks.put(def.id(), claim.scheduledAt());
          }
        });
  }

  /**
   * Pauses a trigger on every node (a row in the store): its occurrences are not fired until {@link
   * #resume}, and those that fell due meanwhile never are.
   *
   * @param triggerId the trigger
   * @param by who paused it, for the record
   * @throws IllegalArgumentException if no trigger has this id
   */
  public void pause(String triggerId, String by) {
    setPaused(triggerId, true, by);
  }

  /**
   * Resumes a paused trigger on every node: occurrences after now fire again.
   *
   * @param triggerId the trigger
   * @param by who resumed it, for the record
   * @throws IllegalArgumentException if no trigger has this id
   */
  public void resume(String triggerId, String by) {
    setPaused(triggerId, false, by);
  }

  /**
   * Whether the trigger is paused, as the store says.
   *
   * @param triggerId the trigger
   * @return true if paused
   */
  public boolean isPaused(String triggerId) {
    return sessions
        .store()
        .findRow(ClaimRows.STATE, known(triggerId))
        .map(r -> r.value().get("paused").asBoolean())
        .orElse(false);
  }

  private void setPaused(String triggerId, boolean paused, String by) {
    Objects.requireNonNull(by, "by");
    String id = known(triggerId);
    boolean declared =
        ClaimRows.declared(sessions.store().findRow(ClaimRows.STATE, id).orElse(null));
    Row state = ClaimRows.state(id, paused, clock.instant(), by, declared);
    sessions.store().writeRows(List.of(RowWrite.upsert(state)));
  }

  /**
   * Applies what trigger files declare ({@code paused: true}, {@link TriggerBinding#paused()}) as a
   * deploy: a trigger whose declaration changed since it was last applied (or that is declared
   * paused for the first time) is paused or resumed accordingly; one whose declaration is unchanged
   * keeps its runtime state, so a trigger resumed at runtime stays resumed after a restart, and one
   * paused at runtime stays paused. Triggers defined here but absent from {@code declaredPaused}
   * count as declared not paused. Call it at each start, on any node (it is idempotent).
   *
   * <pre>{@code
   * triggers.applyDeclaredPauses(binding.paused(), "trigger file");
   * }</pre>
   *
   * @param declaredPaused the ids the files declare paused
   * @param by who applies them, for the record
   * @return the ids whose pause state this call changed
   * @throws IllegalArgumentException if an id is not a trigger defined here
   */
  public Set<String> applyDeclaredPauses(Collection<String> declaredPaused, String by) {
    Objects.requireNonNull(by, "by");
    Set<String> declared = new HashSet<>();
    declaredPaused.forEach(id -> declared.add(known(id)));
    Map<String, Row> states = new HashMap<>();
    RowQuery.Builder query = RowQuery.builder(ClaimRows.STATE).limit(RowQuery.MAX_LIMIT);
    for (List<Row> page = sessions.store().queryRows(query.build());
        !page.isEmpty();
        page =
            sessions.store().queryRows(query.afterKey(page.get(page.size() - 1).key()).build())) {
      page.forEach(r -> states.put(r.key(), r));
    }
    Set<String> changed = new java.util.TreeSet<>();
    List<RowWrite> writes = new ArrayList<>();
    Instant now = clock.instant();
    for (String id : definitions.keySet()) {
      Row state = states.get(id);
      boolean wants = declared.contains(id);
      if (ClaimRows.declared(state) == wants) {
        continue; // unchanged declaration: the runtime state stands
      }
      boolean paused = state != null && state.value().get("paused").asBoolean();
      if (paused != wants) {
        changed.add(id);
      }
      // the declaration changed (a deploy) and sets the state; a state already so keeps its record
      Row next =
          state != null && paused == wants
              ? ClaimRows.state(
                  id,
                  paused,
                  Instant.parse(state.value().get("at").asString()),
                  state.value().get("by").asString(),
                  wants)
              : ClaimRows.state(id, wants, now, by, wants);
      writes.add(RowWrite.upsert(next));
    }
    if (!writes.isEmpty()) {
      sessions.store().writeRows(writes);
    }
    if (!changed.isEmpty()) {
      log.info("Trigger files changed the pause state of {} on node {}", changed, node);
    }
    return changed;
  }

  private String known(String triggerId) {
    if (!definitions.containsKey(Objects.requireNonNull(triggerId, "triggerId"))) {
      throw new IllegalArgumentException(
          "No trigger '"
              + triggerId
              + "'; defined: "
              + new java.util.TreeSet<>(definitions.keySet()));
    }
    return triggerId;
  }

  /**
   * The claims of a trigger's occurrences scheduled in {@code [from, to)}, in order, at most {@code
   * limit}: which node decided each, under which definition.
   *
   * @param triggerId the trigger (also one no longer defined here)
   * @param from the first scheduled instant
   * @param to the end, exclusive
   * @param limit the most claims to return, 1 to 1000
   * @return the claims
   */
  public List<TriggerClaim> claims(String triggerId, Instant from, Instant to, int limit) {
    RowQuery q =
        RowQuery.builder(ClaimRows.CLAIMS)
            .keyPrefix(ClaimRows.prefix(triggerId))
            .afterKey(ClaimRows.key(triggerId, from.minusNanos(1)))
            .limit(limit)
            .build();
    List<TriggerClaim> out = new ArrayList<>();
    for (Row row : sessions.store().queryRows(q)) {
      TriggerClaim claim = ClaimRows.read(row);
      if (claim.scheduledAt().isBefore(to)) {
        out.add(claim);
      }
    }
    return out;
  }

  /** Stops ticking (a tick under way finishes); the sessions stay open. */
  @Override
  public void close() {
    synchronized (tickLock) {
      closed = true;
      if (ticking != null) {
        ticking.cancel(false);
      }
      if (own != null) {
        own.shutdown();
      }
    }
  }

  @Override
  public String toString() {
    return "Triggers{node=" + node + ", triggers=" + definitions.size() + "}";
  }

  /** Builds {@link Triggers}. Not thread-safe; {@link #build()} may be called again. */
  public static final class Builder {
    private final Sessions sessions;
    private final Map<String, TriggerDefinition> definitions = new LinkedHashMap<>();
    private Clock clock = Clock.systemUTC();
    private @Nullable String nodeId;
    private Duration tickEvery = Duration.ofSeconds(1);
    private int batchSize = 1000;
    private @Nullable Duration retainClaims;
    private @Nullable ScheduledExecutorService scheduler;

    private Builder(Sessions sessions) {
      this.sessions = Objects.requireNonNull(sessions, "sessions");
    }

    /**
     * Adds a trigger.
     *
     * @param definition the trigger
     * @return this builder
     * @throws IllegalArgumentException if a trigger with its id was added already
     * @throws java.util.NoSuchElementException if the sessions' mesh has no such agent
     */
    public Builder add(TriggerDefinition definition) {
      Objects.requireNonNull(definition, "definition");
      sessions.mesh().agent(definition.agent());
      if (definitions.putIfAbsent(definition.id(), definition) != null) {
        throw new IllegalArgumentException(
            "Trigger '" + definition.id() + "' was added twice; give each trigger its own id");
      }
      return this;
    }

    /**
     * Adds several triggers.
     *
     * @param all the triggers
     * @return this builder
     */
    public Builder addAll(Collection<TriggerDefinition> all) {
      all.forEach(this::add);
      return this;
    }

    /**
     * Adds a Unix cron trigger in {@code zone} with the default policies: a shorthand of {@link
     * TriggerDefinition#cron}.
     *
     * @param id the trigger's id
     * @param expression the Unix cron expression
     * @param zone its time zone
     * @param agent the agent to start
     * @return this builder
     */
    public Builder cron(String id, String expression, ZoneId zone, String agent) {
      return add(TriggerDefinition.cron(id, expression).zone(zone).agent(agent).build());
    }

    /**
     * The clock ticks read (default the system's, UTC); tests pass a fake one.
     *
     * @param clock the clock
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * The node name recorded in claims (default the sessions' {@code nodeId()}).
     *
     * @param nodeId the node's name
     * @return this builder
     */
    public Builder nodeId(String nodeId) {
      this.nodeId = Objects.requireNonNull(nodeId, "nodeId");
      return this;
    }

    /**
     * How often {@link #start() started} triggers tick (default 1 s): an occurrence fires within
     * about this much after its (jittered) instant.
     *
     * @param every the period, 10 ms to 1 hour
     * @return this builder
     */
    public Builder tickEvery(Duration every) {
      Objects.requireNonNull(every, "every");
      if (every.compareTo(Duration.ofMillis(10)) < 0 || every.compareTo(Duration.ofHours(1)) > 0) {
        throw new IllegalArgumentException(
            "tickEvery must be between 10 ms and 1 hour but was " + every);
      }
      this.tickEvery = every;
      return this;
    }

    /**
     * How many sessions one store transaction creates (default 1000): smaller batches let nodes
     * share the work of one busy minute.
     *
     * @param size 1 to 50000
     * @return this builder
     */
    public Builder batchSize(int size) {
      if (size < 1 || size > 50_000) {
        throw new IllegalArgumentException("batchSize must be between 1 and 50000 but was " + size);
      }
      this.batchSize = size;
      return this;
    }

    /**
     * How long claims are kept after their scheduled instant (default: a day, or the longest
     * catch-up window plus jitter plus an hour if longer). Idle ticks then delete them in batches
     * ({@link Triggers#pruneClaims()}), except each trigger's last claim. It must exceed every
     * trigger's catch-up reach (the {@code allWithin} window or {@code none} grace, plus jitter),
     * so no node can try an occurrence again once its claim is gone; give every node the same
     * value.
     *
     * @param retention how long to keep a claim, at least a minute
     * @return this builder
     */
    public Builder retainClaims(Duration retention) {
      Objects.requireNonNull(retention, "retention");
      if (retention.compareTo(Duration.ofMinutes(1)) < 0) {
        throw new IllegalArgumentException(
            "retainClaims must be at least 1 minute but was " + retention);
      }
      this.retainClaims = retention;
      return this;
    }

    private Duration retention(Collection<TriggerDefinition> all) {
      if (retainClaims == null) {
        return ClaimPruning.defaultRetention(all);
      }
      for (TriggerDefinition def : all) {
        Duration reach = ClaimPruning.longestReach(List.of(def));
        if (retainClaims.compareTo(reach) <= 0) {
          throw new IllegalArgumentException(
              "retainClaims("
                  + retainClaims
                  + ") must be longer than the catch-up reach of trigger '"
                  + def.id()
                  + "', "
                  + reach
                  + " (its catch-up window plus jitter): a claim pruned sooner could be claimed"
                  + " again. Raise retainClaims or shorten the trigger's catch-up window");
        }
      }
      return retainClaims;
    }

    /**
     * The scheduler {@link Triggers#start()} ticks on (default a daemon thread of its own).
     *
     * @param scheduler the scheduler
     * @return this builder
     */
    public Builder scheduler(ScheduledExecutorService scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
      return this;
    }

    /**
     * The runtime.
     *
     * @return a new runtime, not ticking until {@link Triggers#start()}
     */
    public Triggers build() {
      return new Triggers(this);
    }
  }
}
