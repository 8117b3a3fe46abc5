package dev.agentmesh.sessions;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.agentmesh.core.AgentMeshException;
import dev.agentmesh.sessions.spi.Append;
import dev.agentmesh.sessions.spi.Lease;
import dev.agentmesh.sessions.spi.LeaseLostException;
import dev.agentmesh.sessions.spi.NewEvent;
import dev.agentmesh.sessions.spi.RowWrite;
import dev.agentmesh.sessions.spi.SessionStore;
import dev.agentmesh.sessions.spi.SessionStoreException;
import dev.agentmesh.sessions.spi.StoredEvent;
import dev.agentmesh.sessions.spi.VersionConflictException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * The session logs in the store, read as folds and appended by decision: the runtime's one way to
 * the store's logs. Reads fold a session's log into its {@link SessionFold} (a bounded cache of
 * folds, extended by the log's newer events on every fresh read); an append asks a {@link Decision}
 * for the events given the latest fold, appends them with the expected version and, on a conflict,
 * decides again against the new fold. Every fold it reaches and the events that led there go to its
 * {@link LogWatchers}. Thread-safe; folds are immutable values, and the cache only ever moves to a
 * later version.
 */
final class FoldedLogs {

  private static final Logger log = LoggerFactory.getLogger(FoldedLogs.class);

  /**
   * Equal JSON values, numbers by value: a store may read back {@code 1} as another numeric node
   * type than the one appended (object key order never matters to JsonNode equality).
   */
  private static final Comparator<JsonNode> SAME_VALUE =
      (a, b) ->
          a.equals(b)
                  || (a.isNumber()
                      && b.isNumber()
                      && a.decimalValue().compareTo(b.decimalValue()) == 0)
              ? 0
              : 1;

  /** How often one append is retried against a newer state before giving up. */
  static final int MAX_ATTEMPTS = 1000;

  /** Chooses the events to append given the latest state; may throw to refuse. */
  @FunctionalInterface
  interface Decision {
    List<SessionEvent> decide(SessionFold current);
  }

  private final SessionStore store;
  private final EventCodec codec;
  private final Cache<String, SessionFold> folds;

  /**
   * The folds of sessions held by a start, a drive or an await on this node, kept here rather than
   * in {@link #folds}: that cache admits by frequency, so a burst of new sessions loses its place
   * to older, often-read ones, and every step of a new session would fold its log again from the
   * store. Held entries are bounded by the starts, drives and awaits under way here; released ones
   * go to the cache.
   */
  private final ConcurrentHashMap<String, Held> held = new ConcurrentHashMap<>();

  private final LogWatchers watchers = new LogWatchers();

  FoldedLogs(SessionStore store, EventCodec codec, long maxCachedSessions) {
    this.store = store;
    this.codec = codec;
    // Maintenance (evictions, buffer drains) on the writing thread, amortized by the cache: on
    // its default executor, every append that publishes a fold would wake a pool thread for it.
    this.folds =
        Caffeine.newBuilder().maximumSize(maxCachedSessions).executor(Runnable::run).build();
  }

  SessionStore store() {
    return store;
  }

  EventCodec codec() {
    return codec;
  }

  /** {@return who is told about the events this instance sees} */
  LogWatchers watchers() {
    return watchers;
  }

  /** The cached state of a session, possibly behind the log; null when none is cached. */
  @Nullable SessionFold cached(String id) {
    // The later of the two: a forgotten held state is null, and a release moves the held state to
    // the cache before the hold ends, so that no read finds neither
    Held h = held.get(id);
    SessionFold kept = h == null ? null : h.fold;
    SessionFold cached = folds.getIfPresent(id);
    return kept == null || (cached != null && cached.version() > kept.version()) ? cached : kept;
  }

  /**
   * Keeps the session's state out of the bounded cache's reach until as many {@link #release}s: for
   * a session being started, a drive queued or running, or an await, which read it at every step.
   */
  void hold(String id) {
    held.compute(
        id,
        (k, h) -> {
          Held now = h != null ? h : new Held(folds.getIfPresent(id));
          now.count++;
          return now;
        });
  }

  /** Ends one {@link #hold}; after the last, the state goes to the bounded cache. */
  void release(String id) {
    held.computeIfPresent(
        id,
        (k, h) -> {
          if (--h.count > 0) {
            return h;
          }
          SessionFold last = h.fold;
          if (last != null) {
            cache(last); // before the hold ends, so that no read finds neither
          }
          return null;
        });
  }

  /** A held session's state; its count and its changes are guarded by {@link #held}'s bin lock. */
  private static final class Held {
    int count;
    volatile @Nullable SessionFold fold;

    Held(@Nullable SessionFold fold) {
      this.fold = fold;
    }
  }

  /** The session's state at the log's current version (version 0 when it does not exist). */
  SessionFold current(String id) {
    SessionFold cached = cached(id);
    long after = cached == null ? 0 : cached.version();
    List<StoredEvent> more = store.load(id, after);
    if (more.isEmpty()) {
      return cached != null ? cached : SessionFold.empty(id);
    }
    List<LoggedEvent> logged = new ArrayList<>(more.size());
    SessionFold next = foldOnto(cached == null ? SessionFold.empty(id) : cached, more, logged);
    publish(next, logged);
    return next;
  }

  /**
   * Folds {@code stored} (the events right after {@code from}, in order) onto {@code from}, adding
   * each decoded event to {@code logged}.
   */
  private SessionFold foldOnto(
      SessionFold from, List<StoredEvent> stored, List<LoggedEvent> logged) {
    SessionFold next = from;
    for (StoredEvent e : stored) {
      if (e.version() != next.version() + 1) {
        throw new IllegalStateException(
            "Store returned event "
                + e.version()
                + " of session '"
                + from.id()
                + "' after version "
                + next.version()
                + "; a store must return events in order");
      }
      SessionEvent event = codec.decode(e);
      next = next.apply(event);
      logged.add(new LoggedEvent(from.id(), e.version(), event));
    }
    return next;
  }

  /** Drops the cached state of a session, so the next read folds its whole log again. */
  void forget(String id) {
    // On the hold's bin lock, as a hold's start is: a hold cannot copy the cache's state between
    // the held state's end and the cache's
    held.compute(
        id,
        (k, h) -> {
          folds.invalidate(id);
          if (h != null) {
            h.fold = null;
          }
          return h;
        });
  }

  /** The cached state when there is one (optimistic), else the log's current state. */
  SessionFold latest(String id) {
    SessionFold cached = cached(id);
    return cached != null ? cached : current(id);
  }

  /**
   * Appends the events {@code decision} chooses, expecting the version of the state it chose them
   * from; on a conflict, reloads and decides again. Returns the state after the append (the
   * unchanged state when the decision chose nothing).
   */
  SessionFold append(String id, Decision decision) {
    return append(id, null, decision);
  }

  /**
   * As {@link #append(String, Decision)}, for the session's driver: every append is fenced by
   * {@code lease} (when not null), so the store refuses it with {@link LeaseLostException} once
   * another node holds the session.
   */
  SessionFold append(String id, @Nullable Lease lease, Decision decision) {
    return append(id, lease, List.of(), decision);
  }

  /**
   * As {@link #append(String, Lease, Decision)}, also applying {@code rows} in the same transaction
   * as the chosen events (none when the decision chooses none). A failed row condition throws
   * {@link dev.agentmesh.sessions.spi.RowConflictException}: nothing was stored.
   */
  SessionFold append(String id, @Nullable Lease lease, List<RowWrite> rows, Decision decision) {
    return record(
        id,
        lease,
        state -> {
          List<SessionEvent> events = decision.decide(state);
          return events.isEmpty() ? Recording.none() : Recording.runtime(events).withRows(rows);
        });
  }

  /** Chooses the events and the rows to store with them given the latest state; may throw. */
  @FunctionalInterface
  interface Recorder {
    Recording decide(SessionFold current);

    /**
     * The state after {@code chosen} is applied to {@code current}, when this recorder has it
     * already (a driver folds each step as it decides it); null to have it folded here. Only asked
     * right after {@link #decide} returned {@code chosen} for {@code current}.
     */
    default @Nullable SessionFold folded(SessionFold current, Recording chosen) {
      return null;
    }
  }

  /**
   * Appends what {@code recorder} chooses, events and rows in one transaction, fenced by {@code
   * lease} when not null; on a version conflict, reloads and decides again (rows included). A
   * failed row condition throws {@link dev.agentmesh.sessions.spi.RowConflictException}: nothing
   * was stored.
   */
  SessionFold record(String id, @Nullable Lease lease, Recorder recorder) {
    return record(id, lease, recorder, (append, after) -> append);
  }

  /**
   * What an append carries beyond its events, given the state after them: a lease granted with a
   * creation ({@link Append#leasedTo}), a lease released with the drive's last events ({@link
   * Append#releasingLease}). Asked again for every attempt; the last answer is what was stored.
   */
  @FunctionalInterface
  interface Shape {
    Append shape(Append append, SessionFold after);
  }

  /**
   * As {@link #record(String, Lease, Recorder)}, with each attempt's append shaped by {@code shape}
   * (the append is fenced by {@code lease} first).
   */
  SessionFold record(String id, @Nullable Lease lease, Recorder recorder, Shape shape) {
    return record(id, lease, recorder, shape, latest(id));
  }

  /**
   * Records what {@code recorder} chooses for a session expected not to exist yet (a new id): the
   * first attempt decides against the empty log without reading it, and a conflict (the id was
   * taken) reads the log and decides again.
   */
  SessionFold recordNew(String id, Recorder recorder, Shape shape) {
    SessionFold cached = cached(id);
    return record(id, null, recorder, shape, cached != null ? cached : SessionFold.empty(id));
  }

  private SessionFold record(
      String id, @Nullable Lease lease, Recorder recorder, Shape shape, SessionFold first) {
    SessionFold base = first;
    for (int attempt = 1; ; attempt++) {
      Recording recording = recorder.decide(base);
      List<SessionEvent> events = recording.events();
      List<RowWrite> rows = recording.rows();
      if (events.isEmpty()) {
        return base;
      }
      SessionFold folded = recorder.folded(base, recording);
      SessionFold next = folded != null ? folded : base.applyAll(events);
      List<NewEvent> encoded = new ArrayList<>(events.size());
      for (SessionEvent event : events) {
        encoded.add(codec.encode(event));
      }
      try {
        Append append = Append.of(id, base.version(), encoded, next.summary());
        if (!rows.isEmpty()) {
          append = append.withRows(rows);
        }
        store.append(shape.shape(lease == null ? append : append.fencedBy(lease), next));
      } catch (VersionConflictException conflict) {
        if (conflict.actualVersion() == 0 && base.version() > 0) {
          forget(id); // deleted (erased or purged) meanwhile: never re-create it from a decision
          throw new SessionNotFoundException(
              id,
              "the store (it was deleted while appending "
                  + "to it at version "
                  + base.version()
                  + "; nothing was appended)",
              "a deleted session cannot be changed; start a new one");
        }
        if (attempt >= MAX_ATTEMPTS) {
          throw new AgentMeshException(
              "Gave up appending to session '"
                  + id
                  + "' after "
                  + attempt
                  + " version conflicts; more writers append to it than can make progress",
              conflict);
        }
        backoff(attempt);
        base = current(id);
        continue;
      } catch (SessionStoreException failure) {
        if (!stored(id, base.version(), encoded)) {
          throw failure;
        }
        log.debug("Append to session {} failed while committing but was stored", id, failure);
      }
      List<LoggedEvent> logged = new ArrayList<>(events.size());
      for (int i = 0; i < events.size(); i++) {
        logged.add(new LoggedEvent(id, base.version() + 1 + i, events.get(i)));
      }
      publish(next, logged);
      return next;
    }
  }

  /** One session of {@link #recordAll}: the state after its append, or what failed. */
  record Recorded(String id, @Nullable SessionFold state, @Nullable RuntimeException failure) {}

  /**
   * As {@link #record} for each of {@code ids} (distinct, each at most once), with the appends in
   * one {@link SessionStore#appendAll} call: states not cached are read in one {@link
   * SessionStore#loadAll} call, each recording is chosen against its session's state, and an append
   * refused by a version conflict is done again alone by {@link #record} (which reloads and decides
   * again). A session whose recorder throws, or whose append is refused otherwise, is reported with
   * the exception; the others are recorded.
   */
  List<Recorded> recordAll(List<String> ids, Recorder recorder) {
    Map<String, SessionFold> bases = latestAll(ids);
    Map<String, Recorded> done = new HashMap<>();
    List<Append> appends = new ArrayList<>();
    Map<String, List<SessionEvent>> chosen = new HashMap<>();
    Map<String, SessionFold> nexts = new HashMap<>();
    for (String id : ids) {
      SessionFold base = java.util.Objects.requireNonNull(bases.get(id), id);
      try {
        Recording recording = recorder.decide(base);
        if (recording.events().isEmpty()) {
          done.put(id, new Recorded(id, base, null));
          continue;
        }
        SessionFold next = base.applyAll(recording.events());
        List<NewEvent> encoded = new ArrayList<>(recording.events().size());
        recording.events().forEach(e -> encoded.add(codec.encode(e)));
        appends.add(
            Append.of(id, base.version(), encoded, next.summary()).withRows(recording.rows()));
        chosen.put(id, recording.events());
        nexts.put(id, next);
      } catch (RuntimeException e) {
        done.put(id, new Recorded(id, null, e));
      }
    }
    for (Recorded r : appendAll(appends, chosen, nexts, recorder)) {
      done.put(r.id(), r);
    }
    List<Recorded> out = new ArrayList<>(ids.size());
    ids.forEach(id -> out.add(java.util.Objects.requireNonNull(done.get(id), id)));
    return out;
  }

  private List<Recorded> appendAll(
      List<Append> appends,
      Map<String, List<SessionEvent>> chosen,
      Map<String, SessionFold> nexts,
      Recorder recorder) {
    List<Recorded> out = new ArrayList<>(appends.size());
    List<dev.agentmesh.sessions.spi.AppendOutcome> outcomes;
    try {
      outcomes = appends.isEmpty() ? List.of() : store.appendAll(appends);
    } catch (SessionStoreException failure) {
      for (Append a : appends) {
        boolean stored = stored(a.sessionId(), a.expectedVersion(), a.events());
        out.add(stored ? published(a, chosen, nexts) : new Recorded(a.sessionId(), null, failure));
      }
      return out;
    }
    for (dev.agentmesh.sessions.spi.AppendOutcome o : outcomes) {
      Append a = o.append();
      RuntimeException refusal = o.refusal();
      if (refusal == null) {
        out.add(published(a, chosen, nexts));
      } else if (refusal instanceof VersionConflictException) {
        try {
          out.add(new Recorded(a.sessionId(), record(a.sessionId(), null, recorder), null));
        } catch (RuntimeException e) {
          out.add(new Recorded(a.sessionId(), null, e));
        }
      } else {
        out.add(new Recorded(a.sessionId(), null, refusal));
      }
    }
    return out;
  }

  private Recorded published(
      Append a, Map<String, List<SessionEvent>> chosen, Map<String, SessionFold> nexts) {
    String id = a.sessionId();
    List<SessionEvent> events = java.util.Objects.requireNonNull(chosen.get(id), id);
    List<LoggedEvent> logged = new ArrayList<>(events.size());
    for (int i = 0; i < events.size(); i++) {
      logged.add(new LoggedEvent(id, a.expectedVersion() + 1 + i, events.get(i)));
    }
    SessionFold next = java.util.Objects.requireNonNull(nexts.get(id), id);
    publish(next, logged);
    return new Recorded(id, next, null);
  }

  /** The cached states of {@code ids}, and the others read in one store call. */
  private Map<String, SessionFold> latestAll(List<String> ids) {
    Map<String, SessionFold> states = new HashMap<>();
    Map<String, Long> missing = new LinkedHashMap<>();
    for (String id : ids) {
      SessionFold cached = cached(id);
      if (cached != null) {
        states.put(id, cached);
      } else {
        missing.put(id, 0L);
      }
    }
    if (!missing.isEmpty()) {
      histories(missing.keySet()).keySet().forEach(id -> states.put(id, latestOrEmpty(id)));
    }
    return states;
  }

  private SessionFold latestOrEmpty(String id) {
    SessionFold cached = cached(id);
    return cached != null ? cached : current(id); // evicted meanwhile: read it alone
  }

  /**
   * The whole logs of {@code ids}, read in one {@link SessionStore#loadAll} call and decoded; each
   * session's state is cached (and its watchers told of the events the cache lacked) as a read of
   * it would.
   */
  Map<String, List<LoggedEvent>> histories(java.util.Collection<String> ids) {
    Map<String, Long> all = new LinkedHashMap<>();
    ids.forEach(id -> all.put(id, 0L));
    Map<String, List<LoggedEvent>> out = new LinkedHashMap<>();
    store
        .loadAll(all)
        .forEach(
            (id, stored) -> {
              List<LoggedEvent> history = new ArrayList<>(stored.size());
              SessionFold next = foldOnto(SessionFold.empty(id), stored, history);
              SessionFold cached = cached(id);
              long seen = cached == null ? 0 : cached.version();
              if (next.version() > seen) {
                publish(
                    next, history.subList((int) Math.min(seen, history.size()), history.size()));
              }
              out.put(id, List.copyOf(history));
            });
    return out;
  }

  /**
   * A short pause after a conflict, jittered and growing with the attempt up to about a thousand
   * spin-waits, so writers that keep colliding on one session spread out.
   */
  static void backoff(int attempt) {
    int spins = ThreadLocalRandom.current().nextInt(1 << Math.min(attempt, 10));
    for (int i = 0; i < spins; i++) {
      Thread.onSpinWait();
    }
  }

  /**
   * Whether the log holds {@code encoded} right after {@code version}: a commit that failed late.
   */
  private boolean stored(String id, long version, List<NewEvent> encoded) {
    List<StoredEvent> tail;
    try {
      tail = store.load(id, version, encoded.size());
    } catch (SessionStoreException stillDown) {
      return false;
    }
    if (tail.size() < encoded.size()) {
      return false;
    }
    for (int i = 0; i < encoded.size(); i++) {
      NewEvent mine = encoded.get(i);
      StoredEvent theirs = tail.get(i);
      if (!mine.type().equals(theirs.type())
          || !mine.at().equals(theirs.at())
          || mine.typeVersion() != theirs.typeVersion()
          || !mine.payload().equals(SAME_VALUE, theirs.payload())) {
        return false; // another writer's event, maybe of the same type at the same instant
      }
    }
    current(id);
    return true;
  }

  /** Appends raw events (a fork's copied prefix) to a new session, with {@code rows}. */
  SessionFold create(String id, List<NewEvent> encoded, SessionFold folded, List<RowWrite> rows) {
    store.append(Append.of(id, 0, encoded, folded.summary()).withRows(rows));
    List<LoggedEvent> none = List.of();
    publish(folded, none);
    return folded;
  }

  /** Tells watchers and the cache about a session a batch created (its events were stored). */
  void created(SessionFold state, List<LoggedEvent> events) {
    publish(state, events);
  }

  private void publish(SessionFold state, List<LoggedEvent> events) {
    // On the hold's bin lock, held or not: a hold that starts now copies the cache after this
    // state went in, so that no held state is older than one published before it was read.
    held.compute(
        state.id(),
        (k, h) -> {
          if (h == null) {
            cache(state);
            return null;
          }
          SessionFold fold = h.fold;
          if (fold == null || fold.version() < state.version()) {
            h.fold = state;
          }
          return h;
        });
    watchers.tell(state, events);
  }

  /** Puts {@code state} in the bounded cache unless it holds a later one. */
  private void cache(SessionFold state) {
    folds
        .asMap()
        .merge(state.id(), state, (old, now) -> old.version() >= now.version() ? old : now);
  }

  /** Every event of a session, decoded. */
  List<LoggedEvent> history(String id) {
    List<LoggedEvent> all = new ArrayList<>();
    for (StoredEvent stored : store.load(id, 0)) {
      all.add(new LoggedEvent(id, stored.version(), codec.decode(stored)));
    }
    return all;
  }

  /** Events after {@code version}, decoded, for a watcher that missed some. */
  void replayTo(String id, long version, Consumer<LoggedEvent> sink) {
    for (StoredEvent stored : store.load(id, version)) {
      sink.accept(new LoggedEvent(id, stored.version(), codec.decode(stored)));
    }
  }
}
