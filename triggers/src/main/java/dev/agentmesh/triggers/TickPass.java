package dev.agentmesh.triggers;

import dev.agentmesh.sessions.SessionStatus;
import dev.agentmesh.sessions.Sessions;
import dev.agentmesh.sessions.StartOutcome;
import dev.agentmesh.sessions.spi.Row;
import dev.agentmesh.sessions.spi.RowConflictException;
import dev.agentmesh.sessions.spi.RowQuery;
import dev.agentmesh.sessions.spi.RowWrite;
import dev.agentmesh.sessions.spi.SessionStore;
import dev.agentmesh.sessions.spi.SessionSummary;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One pass of the runtime at one instant: which occurrences are due (pure functions of the
 * schedules, the policies and what the store says was decided), then the claims, set-based. Not
 * thread-safe: {@link Triggers} runs one pass at a time and keeps the watermarks between passes.
 */
final class TickPass {

  private static final Logger log = LoggerFactory.getLogger(Triggers.class);

  /** A start to make: a new occurrence, or a queued one whose previous session finished. */
  private record Start(
      TriggerDefinition def, Instant scheduledAt, String claimKey, boolean queued) {}

  private final Sessions sessions;
  private final SessionStore store;
  private final List<TriggerDefinition> definitions;
  private final Map<String, Instant> watermarks;
  private final Instant registeredAt;
  private final String node;
  private final int batchSize;
  private final Set<String> warned;
  private final Instant now;
  private final Map<String, Upcoming> upcoming;
  private final FireTimes times;
  private final Duration retention;
  private final Set<String> fired = new HashSet<>();
  private final Map<Instant, String> instantTexts = new HashMap<>();
  private final Map<Instant, String> keyTexts = new HashMap<>();

  private final List<Start> starts = new ArrayList<>();
  private final List<List<RowWrite>> decisions = new ArrayList<>();
  private final Map<String, Instant> nextWatermarks = new HashMap<>();
  private int skipped;
  private int queued;

  TickPass(
      Sessions sessions,
      List<TriggerDefinition> definitions,
      Map<String, Instant> watermarks,
      Instant registeredAt,
      String node,
      int batchSize,
      Set<String> warned,
      Map<String, Upcoming> upcoming,
      FireTimes times,
      Duration retention,
      Instant now) {
    this.sessions = sessions;
    this.store = sessions.store();
    this.definitions = definitions;
    this.watermarks = watermarks;
    this.registeredAt = registeredAt;
    this.node = node;
    this.batchSize = batchSize;
    this.warned = warned;
    this.now = now;
    this.upcoming = upcoming;
    this.times = times;
    this.retention = retention;
  }

  TickReport run() {
    Map<String, Row> states = readAll(ClaimRows.STATE);
    boolean anyQueue = definitions.stream().anyMatch(d -> d.overlap() == OverlapPolicy.QUEUE_ONE);
    Map<String, Row> queue = anyQueue ? readAll(ClaimRows.QUEUE) : Map.of();
    Map<TriggerDefinition, List<Instant>> ready = new HashMap<>();
    Set<TriggerDefinition> needPrevious = new LinkedHashSet<>();
    for (TriggerDefinition def : definitions) {
      List<Instant> due = due(def, states.get(def.id()));
      if (!due.isEmpty()) {
        ready.put(def, due);
      }
      boolean waiting = queue.containsKey(def.id()) && !paused(states.get(def.id()));
      if (def.overlap() != OverlapPolicy.CONCURRENT && (!due.isEmpty() || waiting)) {
        needPrevious.add(def);
      }
    }
    Map<String, Row> last = lastClaims(needPrevious);
    for (TriggerDefinition def : definitions) {
      List<Instant> due = ready.getOrDefault(def, List.of());
      if (def.overlap() == OverlapPolicy.CONCURRENT) {
        due.forEach(t -> starts.add(start(def, t, false)));
      } else if (needPrevious.contains(def)) {
        decide(def, due, last.get(ClaimRows.prefix(def.id())), queue.get(def.id()));
      }
    }
    int[] made = startAll();
    int taken = made[1] + writeDecisions();
    nextWatermarks.forEach((id, mark) -> watermarks.merge(id, mark, TickPass::later));
    return new TickReport(now, made[0] - made[2], skipped, queued + made[2], taken);
  }

  // ---- what is due -------------------------------------------------------------------------

  /** The occurrences of {@code def} to decide now; records its next watermark. */
  private List<Instant> due(TriggerDefinition def, @Nullable Row state) {
    Instant handled = watermarks.getOrDefault(def.id(), registeredAt);
    if (state != null && !paused(state)) {
      handled = later(handled, Instant.parse(state.value().get("at").asString())); // resumed
    }
    Upcoming next = upcoming.get(def.id());
    if (next == null || !next.after().equals(handled)) {
      next = Upcoming.after(times.of(def.schedule()), handled);
      upcoming.put(def.id(), next);
    }
    Instant first = next.first();
    if (first == null || def.jitter().apply(def.id(), first).isAfter(now)) {
      return List.of(); // the common case: nothing due, no schedule computed
    }
    Instant second = next.second(times.of(def.schedule()));
    if (!paused(state) && (second == null || second.isAfter(now))) {
      nextWatermarks.put(def.id(), first); // one due: the policy's answer, without a search
      fired.add(def.id());
      return accepts(def.catchUp(), first) ? List.of(first) : List.of();
    }
    DueOccurrences due = def.catchUp().due(times.of(def.schedule()), handled, now);
    Instant mark = due.watermark();
    List<Instant> fire = new ArrayList<>();
    if (!paused(state)) {
      for (Instant t : due.fire()) {
        if (def.jitter().apply(def.id(), t).isAfter(now)) {
          mark = t.minusNanos(1); // not yet: looked at again next tick
          break;
        }
        fire.add(t);
      }
    }
    if (mark != null) {
      nextWatermarks.put(def.id(), later(handled, mark));
    }
    return fire;
  }

  /** What {@link CatchUpPolicy#due} answers when {@code only} is the one occurrence due. */
  private boolean accepts(CatchUpPolicy policy, Instant only) {
    if (policy instanceof CatchUpPolicy.AllWithin within) {
      return !only.isBefore(now.minus(within.window()));
    }
    if (policy instanceof CatchUpPolicy.None none) {
      return !only.isBefore(now.minus(none.grace()));
    }
    return true; // latest
  }

  /** The triggers whose watermark this pass moved on by one occurrence (to prefetch). */
  Set<String> movedOn() {
    return fired;
  }

  /**
   * Before a pass: the following occurrence of each trigger that the last pass moved on by one, so
   * a due minute finds it ready (ticks run every second, so this runs long before the next one
   * falls due, and never between an occurrence and its claim).
   */
  static void prefetch(
      Collection<String> ids,
      Map<String, TriggerDefinition> defs,
      Map<String, Upcoming> upcoming,
      Map<String, Instant> watermarks,
      FireTimes times) {
    for (String id : ids) {
      Upcoming next = upcoming.get(id);
      Instant mark = watermarks.get(id);
      TriggerDefinition def = defs.get(id);
      if (next != null && def != null && mark != null && mark.equals(next.first())) {
        Upcoming moved = next.movedOn();
        moved.second(times.of(def.schedule()));
        upcoming.put(id, moved);
      }
    }
  }

  private static boolean paused(@Nullable Row state) {
    return state != null && state.value().get("paused").asBoolean();
  }

  // ---- overlap -----------------------------------------------------------------------------

  /** Decides the due occurrences of a trigger whose overlap policy reads the previous session. */
  private void decide(
      TriggerDefinition def, List<Instant> due, @Nullable Row lastClaim, @Nullable Row queueRow) {
    String previous = previousSession(def, lastClaim, queueRow != null);
    boolean running = previous != null && running(previous);
    boolean waiting = queueRow != null;
    if (queueRow != null && !running && def.overlap() == OverlapPolicy.QUEUE_ONE) {
      Instant at = Instant.parse(queueRow.value().get("scheduledAt").asString());
      starts.add(start(def, at, true));
      running = true;
      waiting = false;
    }
    for (Instant t : due) {
      if (!running) {
        starts.add(start(def, t, false));
        running = true;
      } else if (def.overlap() == OverlapPolicy.QUEUE_ONE && !waiting) {
        decisions.add(
            List.of(
                RowWrite.insert(claim(def, t, TriggerClaim.Outcome.QUEUED, previous)),
                RowWrite.insert(ClaimRows.queued(def, t))));
        waiting = true;
      } else {
        decisions.add(
            List.of(RowWrite.insert(claim(def, t, TriggerClaim.Outcome.SKIPPED, previous))));
      }
    }
  }

  /** The session of the last decided occurrence, or the one that was running then. */
  private @Nullable String previousSession(
      TriggerDefinition def, @Nullable Row lastClaim, boolean stillQueued) {
    if (lastClaim == null) {
      return null;
    }
    TriggerClaim claim = ClaimRows.read(lastClaim);
    warnOnOtherVersion(def, claim);
    watermarks.merge(def.id(), claim.scheduledAt(), TickPass::later);
    if (claim.outcome() == TriggerClaim.Outcome.QUEUED && !stillQueued) {
      return store
          .findRow("sessions.once", ClaimRows.queuedStartKey(lastClaim.key()))
          .map(Row::sessionId)
          .orElse(claim.sessionId());
    }
    return claim.sessionId();
  }

  /** Whether a session has not finished (a deleted one has). */
  private boolean running(String sessionId) {
    return store
        .find(sessionId)
        .map(SessionSummary::status)
        .map(s -> !SessionStatus.valueOf(s.toUpperCase(Locale.ROOT)).isFinished())
        .orElse(false);
  }

  void warnOnOtherVersion(TriggerDefinition def, TriggerClaim claim) {
    if (!claim.fingerprint().equals(def.fingerprint())
        && warned.add(def.id() + "/" + claim.fingerprint())) {
      log.warn(
          "Trigger '{}' occurrence {} was {} by node {} under definition {}; this node ({}) runs"
              + " definition {}. Nodes run different versions of this trigger (a rolling deploy?):"
              + " each occurrence is still decided once, by the first node to claim it",
          def.id(),
          claim.scheduledAt(),
          claim.outcome().name().toLowerCase(Locale.ROOT),
          claim.node(),
          claim.fingerprint(),
          node,
          def.fingerprint());
    }
  }

  // ---- claims ------------------------------------------------------------------------------

  private Start start(TriggerDefinition def, Instant t, boolean wasQueued) {
    return new Start(def, t, key(def, t), wasQueued);
  }

  /** {@link ClaimRows#key}, its instant's text memoized: a busy minute's keys share it. */
  private String key(TriggerDefinition def, Instant t) {
    return ClaimRows.prefix(def.id()) + keyTexts.computeIfAbsent(t, ClaimRows::fixedWidth);
  }

  /** {@link Instant#toString}, memoized: a busy minute's claims share their instants. */
  private String text(Instant at) {
    return instantTexts.computeIfAbsent(at, Instant::toString);
  }

  private Row claim(
      TriggerDefinition def, Instant t, TriggerClaim.Outcome outcome, @Nullable String session) {
    return ClaimRows.claim(key(def, t), def, t, outcome, node, now, session, retention, this::text);
  }

  /**
   * Starts the planned sessions in batches of keys in code point order (each transaction inserts
   * its claims in that order, so no two transactions wait for each other in a cycle). Every node
   * cuts the same due occurrences into the same batches but visits them in an order of its own
   * (shuffled by node and instant), so nodes ticking together mostly work on different batches.
   * With more than one batch, a node marks each batch before it starts it ({@link ClaimRows#MARKS},
   * one small insert) and leaves a batch another node marked for last: a claim another node has
   * inserted but not committed is invisible until it commits, and inserting the same keys meanwhile
   * waits for that commit (up to 630 ms seen with 10,000 due on three nodes). A batch this node
   * marked is started as planned (no node began it before; a node whose batches are cut otherwise,
   * running another version of some trigger, is refused by the claims' unique key). Before a batch
   * another node marked, a node drops the occurrences already claimed (one index lookup each, keys
   * only: {@link SessionStore#existingKeys}), so a batch another node committed costs it one read
   * instead of building and inserting it again. Returns {created, taken, queued among created}.
   */
  private int[] startAll() {
    starts.sort(Comparator.comparing(Start::claimKey));
    List<List<Start>> batches = new ArrayList<>();
    for (int from = 0; from < starts.size(); from += batchSize) {
      batches.add(starts.subList(from, Math.min(starts.size(), from + batchSize)));
    }
    if (batches.size() > 1) {
      Collections.shuffle(batches, new Random(node.hashCode() * 31L + now.hashCode()));
    }
    int[] counts = new int[3];
    List<List<Start>> marked = new ArrayList<>();
    for (List<Start> planned : batches) {
      if (batches.size() > 1 && !mark(planned)) {
        marked.add(planned); // another node began it: start it last, after it has likely committed
        continue;
      }
      startBatch(planned, planned.size(), counts); // no node began it before this mark
    }
    for (List<Start> planned : marked) {
      startBatch(unclaimed(planned), planned.size(), counts);
    }
    return counts;
  }

  /**
   * Marks {@code planned} as begun by this node; false when another node (or this one, in an
   * earlier tick) marked it first. Only a hint: a node that finds a batch marked still starts it,
   * last, so a node that died after marking delays that batch's sessions by the rest of a tick.
   */
  private boolean mark(List<Start> planned) {
    try {
      store.writeRows(
          List.of(
              RowWrite.insert(ClaimRows.mark(planned.get(0).claimKey(), node, now, retention))));
      return true;
    } catch (RowConflictException marked) {
      return false;
    }
  }

  /**
   * Starts the sessions of {@code chunk}, what is left unclaimed of a batch of {@code plannedSize};
   * adds to {@code counts} {created, taken, queued among created}.
   */
  private void startBatch(List<Start> chunk, int plannedSize, int[] counts) {
    counts[1] += plannedSize - chunk.size();
    if (chunk.isEmpty()) {
      return;
    }
    List<Sessions.NewSession> batch = new ArrayList<>(chunk.size());
    List<Start> kept = new ArrayList<>(chunk.size());
    for (Start s : chunk) {
      try {
        batch.add(newSession(s));
        kept.add(s);
      } catch (RuntimeException badInput) {
        nextWatermarks.remove(s.def().id()); // tried again next tick
        log.warn(
            "Trigger '{}' could not build the input of occurrence {}; it is tried again at the"
                + " next tick",
            s.def().id(),
            s.scheduledAt(),
            badInput);
      }
    }
    chunk = kept;
    List<StartOutcome> outcomes = sessions.startAll(batch);
    for (int i = 0; i < outcomes.size(); i++) {
      StartOutcome o = outcomes.get(i);
      if (o.created()) {
        counts[0]++;
        counts[2] += chunk.get(i).queued() ? 1 : 0;
        if (log.isDebugEnabled()) { // else no arguments array per created session
          log.debug(
              "Trigger '{}' fired occurrence {} on node {} (definition {}): session {}",
              chunk.get(i).def().id(),
              chunk.get(i).scheduledAt(),
              node,
              chunk.get(i).def().fingerprint(),
              o.session() == null ? "?" : o.session().id());
        }
      } else {
        counts[1]++;
      }
    }
  }

  /**
   * The planned starts whose claim no node has committed yet (a queued start has no claim of its
   * own and is always kept: its idempotency key decides). Only an optimization: a claim committed
   * after this read is still refused by the unique key.
   */
  private List<Start> unclaimed(List<Start> planned) {
    List<String> keys = new ArrayList<>(planned.size());
    for (Start s : planned) {
      if (!s.queued()) {
        keys.add(s.claimKey());
      }
    }
    Set<String> claimed = keys.isEmpty() ? Set.of() : store.existingKeys(ClaimRows.CLAIMS, keys);
    if (claimed.isEmpty()) {
      return planned;
    }
    List<Start> free = new ArrayList<>(planned.size());
    for (Start s : planned) {
      if (s.queued() || !claimed.contains(s.claimKey())) {
        free.add(s);
      }
    }
    return free;
  }

  private Sessions.NewSession newSession(Start s) {
    TriggerDefinition def = s.def();
    String id = sessions.newId();
    Sessions.NewSession start =
        sessions
            .newSession(def.agent())
            .id(id)
            .input(def.input().input(new Occurrence(def.id(), s.scheduledAt())))
            .origin(def.origin(s.scheduledAt()));
    if (s.queued()) {
      return start
          .idempotencyKey(ClaimRows.queuedStartKey(s.claimKey()))
          .rows(RowWrite.delete(ClaimRows.QUEUE, def.id()));
    }
    return start.rows(
        RowWrite.insert(claim(def, s.scheduledAt(), TriggerClaim.Outcome.STARTED, id)));
  }

  /** Writes skip and queue claims, each alone; returns how many were decided elsewhere first. */
  private int writeDecisions() {
    int taken = 0;
    for (List<RowWrite> writes : decisions) {
      try {
        store.writeRows(writes);
        if (writes.size() > 1) {
          queued++;
        } else {
          skipped++;
        }
      } catch (RowConflictException elsewhere) {
        taken++;
      }
    }
    return taken;
  }

  // ---- reads -------------------------------------------------------------------------------

  /** The last claim of each trigger, one query. */
  private Map<String, Row> lastClaims(Collection<TriggerDefinition> defs) {
    if (defs.isEmpty()) {
      return Map.of();
    }
    Set<String> prefixes = new HashSet<>();
    defs.forEach(d -> prefixes.add(ClaimRows.prefix(d.id())));
    return store.lastRows(ClaimRows.CLAIMS, prefixes);
  }

  /** Every row of a small namespace (pause states, queued occurrences), by key. */
  private Map<String, Row> readAll(String namespace) {
    Map<String, Row> all = new HashMap<>();
    RowQuery.Builder query = RowQuery.builder(namespace).limit(RowQuery.MAX_LIMIT);
    for (List<Row> page = store.queryRows(query.build());
        !page.isEmpty();
        page = store.queryRows(query.afterKey(page.get(page.size() - 1).key()).build())) {
      page.forEach(r -> all.put(r.key(), r));
    }
    return all;
  }

  static Instant later(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }
}
