package dev.agentmesh.sessions;

import dev.agentmesh.sessions.spi.Append;
import dev.agentmesh.sessions.spi.Lease;
import dev.agentmesh.sessions.spi.LeaseLostException;
import dev.agentmesh.sessions.spi.NewEvent;
import dev.agentmesh.sessions.spi.PurgeRequest;
import dev.agentmesh.sessions.spi.Row;
import dev.agentmesh.sessions.spi.RowConflictException;
import dev.agentmesh.sessions.spi.RowQuery;
import dev.agentmesh.sessions.spi.RowWrite;
import dev.agentmesh.sessions.spi.SessionChange;
import dev.agentmesh.sessions.spi.SessionPage;
import dev.agentmesh.sessions.spi.SessionQuery;
import dev.agentmesh.sessions.spi.SessionStore;
import dev.agentmesh.sessions.spi.SessionStoreException;
import dev.agentmesh.sessions.spi.SessionSummary;
import dev.agentmesh.sessions.spi.StoredEvent;
import dev.agentmesh.sessions.spi.VersionConflictException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * A {@link SessionStore} in the heap, for tests and throwaway use: nothing survives the JVM.
 * Thread-safe; appends to different sessions do not block each other. Its change feed is live at
 * once and reports each append to every subscriber in this JVM (several {@code Sessions} over one
 * instance behave as nodes sharing a database), on the appending thread after the append released
 * its lock.
 *
 * <pre>{@code
 * SessionStore store = InMemorySessionStore.create();
 * SessionStore bounded = InMemorySessionStore.builder().maximumSessions(10_000).build();
 * }</pre>
 *
 * <p>Unbounded by default, so a long-running process fills its heap with finished sessions unless
 * it {@link #purge purges} them. With {@link Builder#maximumSessions maximumSessions}, the creation
 * of a session beyond the maximum first evicts the least recently updated finished session
 * (completed, failed or cancelled, not runnable, not quarantined, not leased); when every session
 * is live, the creation is refused with a {@link SessionStoreException} and nothing is stored,
 * because dropping a live session would lose work. Appends to existing sessions are never refused
 * for space. An evicted session's rows stay: an idempotency key keeps refusing a second start, and
 * a timer of it is dropped when it falls due. The evictable sessions are kept in that order as they
 * change, so making room costs O(log n) in the sessions held (amortized: an entry that no longer
 * holds is dropped once); a creation that is refused still looks through every session.
 */
public final class InMemorySessionStore implements SessionStore {

  private final ConcurrentMap<String, Log> sessions = new ConcurrentHashMap<>();
  private final ChangeFeed feed =
      new ChangeFeed(
          "InMemorySessionStore",
          true,
          new ChangeFeed.Source() {
            @Override
            public void start() {}

            @Override
            public void stop() {}
          });
  private final long maximumSessions;

  /** Serializes creations (and their evictions) when the store is bounded. */
  private final Object capacity = new Object();

  /**
   * When the store is bounded, the sessions that were evictable when they last changed, least
   * recently updated first: eviction takes the first that still is, instead of looking through
   * every session on every creation (with 10,000 held, that look made a burst of 10,000 creations
   * take 3 s instead of 0.2 s). A log has at most one entry ({@link Log#queued}), replaced when it
   * changes; an entry whose log is no longer evictable is dropped when reached, and the log is
   * offered again when it becomes evictable.
   */
  private final ConcurrentSkipListSet<Candidate> evictable =
      new ConcurrentSkipListSet<>(
          Comparator.comparing(Candidate::summary, EVICTION_ORDER)
              .thenComparingLong(Candidate::sequence));

  private final AtomicLong candidates = new AtomicLong();

  /** How many creations looked through every session (see {@link #evictOne}); for tests. */
  private final AtomicLong fullScans = new AtomicLong();

  /** {@return how many creations looked through every session to find one to evict} */
  long fullScans() {
    return fullScans.get();
  }

  /** A session offered for eviction, with its summary when offered. */
  private record Candidate(SessionSummary summary, Log log, long sequence) {}

  private InMemorySessionStore(long maximumSessions) {
    this.maximumSessions = maximumSessions;
  }

  /**
   * An empty, unbounded store.
   *
   * @return a new store that holds nothing yet
   */
  public static InMemorySessionStore create() {
    return new InMemorySessionStore(Long.MAX_VALUE);
  }

  /** One session; every field is guarded by the instance's monitor. */
  private static final class Log {
    final List<StoredEvent> events = new ArrayList<>();
    SessionSummary summary;
    @Nullable String leaseOwner;
    @Nullable Instant leaseExpiresAt;
    long leaseEpoch;

    /** Set once the log was removed from the map; later writes treat it as absent. */
    boolean deleted;

    /** Its entry among the evictable sessions, if it has one (bounded stores only). */
    @Nullable Candidate queued;

    Log(SessionSummary summary) {
      this.summary = summary;
    }

    boolean leaseFreeFor(String owner, Instant now) {
      return leaseOwner == null || leaseOwner.equals(owner) || !now.isBefore(leaseExpiresAt);
    }
  }

  @Override
  public long append(Append append) {
    Objects.requireNonNull(append, "append");
    long version;
    if (!append.rows().isEmpty()) {
      synchronized (rowsLock) {
        version = appendLocked(append);
      }
    } else {
      version = appendLocked(append);
    }
    feed.drain();
    return version;
  }

  /**
   * Appends under the session's lock and queues its change there, so changes keep order; when the
   * append has row writes, the caller holds {@link #rowsLock}.
   */
  private long appendLocked(Append append) {
    String sessionId = append.sessionId();
    long expectedVersion = append.expectedVersion();
    if (expectedVersion == 0 && maximumSessions != Long.MAX_VALUE) {
      synchronized (capacity) {
        return create(append);
      }
    }
    if (expectedVersion == 0) {
      return create(append);
    }
    Log log = sessions.get(sessionId);
    if (log == null) {
      throw new VersionConflictException(sessionId, expectedVersion, 0);
    }
    synchronized (log) {
      if (log.deleted) {
        throw new VersionConflictException(sessionId, expectedVersion, 0);
      }
      Lease lease = append.lease();
      if (lease != null && lease.epoch() != log.leaseEpoch) {
        throw new LeaseLostException(
            sessionId, lease.owner(), lease.epoch(), log.leaseEpoch, log.leaseOwner);
      }
      if (log.events.size() != expectedVersion) {
        throw new VersionConflictException(sessionId, expectedVersion, log.events.size());
      }
      checkRows(append.rows());
      long version = appendTo(log, append.events(), append.summary());
      applyRows(append.rows());
      if (append.releasesLease()) {
        log.leaseOwner = null;
        log.leaseExpiresAt = null;
      }
      offerForEviction(log);
      return version;
    }
  }

  /**
   * Creates the append's session, after making room for it when the store is bounded; when the
   * append has row writes, the caller holds {@link #rowsLock}.
   */
  private long create(Append append) {
    String sessionId = append.sessionId();
    Log fresh = new Log(append.summary().withVersion(0));
    synchronized (fresh) {
      Log existing = sessions.get(sessionId);
      if (existing != null) {
        throw new VersionConflictException(sessionId, 0, versionOf(existing));
      }
      checkRows(append.rows());
      if (sessions.size() >= maximumSessions) {
        evictOne(sessionId);
      }
      existing = sessions.putIfAbsent(sessionId, fresh);
      if (existing != null) {
        throw new VersionConflictException(sessionId, 0, versionOf(existing));
      }
      long version = appendTo(fresh, append.events(), append.summary());
      applyRows(append.rows());
      Lease granted = append.grantedLease();
      if (granted != null) {
        fresh.leaseOwner = granted.owner();
        fresh.leaseExpiresAt = granted.expiresAt();
        fresh.leaseEpoch = granted.epoch();
      }
      offerForEviction(fresh);
      return version;
    }
  }

  private static long versionOf(Log log) {
    synchronized (log) {
      return log.events.size();
    }
  }

  private long appendTo(Log log, List<NewEvent> events, SessionSummary summary) {
    String id = summary.id();
    for (NewEvent event : events) {
      // A copy, so a caller that changes its tree afterwards changes nothing here; a tree the
      // runtime's codec has just written (no one else holds it) is kept as it is. Made as a
      // StoredEvent at once (the event was checked when it was made, its copy needs no check).
      JsonNode payload = event.payload();
      log.events.add(
          new StoredEvent(
              id,
              log.events.size() + 1L,
              event.type(),
              event.typeVersion(),
              payload instanceof WrittenTree ? payload : payload.deepCopy(),
              event.at()));
    }
    SessionSummary first = log.summary;
    boolean created = log.events.size() == events.size();
    Instant createdAt = created ? summary.createdAt() : first.createdAt();
    String forkedFrom = created ? summary.forkedFrom() : first.forkedFrom();
    if (summary.version() == log.events.size()
        && summary.createdAt().equals(createdAt)
        && Objects.equals(summary.forkedFrom(), forkedFrom)
        && Objects.equals(summary.quarantine(), first.quarantine())) {
      log.summary = summary; // already what it would be rebuilt as (an immutable value)
    } else {
      log.summary =
          summary
              .newBuilder()
              .createdAt(createdAt)
              .forkedFrom(forkedFrom)
              .version(log.events.size())
              .quarantine(first.quarantine())
              .build();
    }
    if (feed.hasSubscribers()) {
      feed.queue(new SessionChange(id, log.events.size()));
    }
    return log.events.size();
  }

  @Override
  public List<StoredEvent> load(String sessionId, long afterVersion, int limit) {
    StoreArgs.load(sessionId, afterVersion, limit);
    Log log = sessions.get(sessionId);
    if (log == null) {
      return List.of();
    }
    synchronized (log) {
      int from = (int) Math.min(afterVersion, log.events.size());
      int to = (int) Math.min((long) from + limit, log.events.size());
      return List.copyOf(log.events.subList(from, to));
    }
  }

  @Override
  public Optional<SessionSummary> find(String sessionId) {
    StoreArgs.sessionId(sessionId);
    return Optional.ofNullable(sessions.get(sessionId))
        .map(InMemorySessionStore::summaryOf)
        .filter(s -> s.version() > 0);
  }

  private static SessionSummary summaryOf(Log log) {
    synchronized (log) {
      return log.summary;
    }
  }

  @Override
  public SessionPage query(SessionQuery query) {
    Objects.requireNonNull(query, "query");
    SessionQuery.Position after = query.after();
    List<SessionSummary> fetched =
        sessions.values().stream()
            .map(InMemorySessionStore::summaryOf)
            .filter(s -> s.version() > 0 && query.matches(s))
            .filter(s -> after == null || StoreArgs.QUERY_ORDER.compare(s, position(after)) > 0)
            .sorted(StoreArgs.QUERY_ORDER)
            .limit(query.limit() + 1L)
            .toList();
    return SessionPage.of(query, fetched);
  }

  private static SessionSummary position(SessionQuery.Position after) {
    return SessionSummary.builder(after.id()).createdAt(after.createdAt()).build();
  }

  @Override
  public Optional<Lease> tryAcquireLease(
      String sessionId, String owner, Instant now, Duration ttl) {
    StoreArgs.lease(sessionId, owner, ttl);
    Objects.requireNonNull(now, "now");
    Log log = sessions.get(sessionId);
    if (log == null) {
      throw new SessionNotFoundException(sessionId);
    }
    synchronized (log) {
      if (log.summary.version() == 0 || log.deleted) {
        throw new SessionNotFoundException(sessionId);
      }
      if (!log.leaseFreeFor(owner, now)) {
        return Optional.empty();
      }
      return Optional.of(acquire(log, owner, now, ttl, !owner.equals(log.leaseOwner)));
    }
  }

  private static Lease acquire(Log log, String owner, Instant now, Duration ttl, boolean newEpoch) {
    if (newEpoch) {
      log.leaseEpoch++;
    }
    log.leaseOwner = owner;
    log.leaseExpiresAt = now.plus(ttl);
    return new Lease(log.summary.id(), owner, log.leaseEpoch, log.leaseExpiresAt);
  }

  @Override
  public boolean releaseLease(String sessionId, String owner) {
    StoreArgs.sessionId(sessionId);
    StoreArgs.owner(owner);
    Log log = sessions.get(sessionId);
    if (log == null) {
      return false;
    }
    synchronized (log) {
      if (!owner.equals(log.leaseOwner)) {
        return false;
      }
      log.leaseOwner = null;
      log.leaseExpiresAt = null;
      offerForEviction(log);
      return true;
    }
  }

  @Override
  public List<String> claim(String owner, Instant now, Duration ttl, int limit) {
    StoreArgs.claim(owner, now, ttl, limit);
    // Only runnable sessions can be claimed: read each summary once and sort only those (sorting
    // every session, reading summaries under their locks at each comparison, cost O(n log n)
    // locked reads a claim).
    List<Seen> runnable = new ArrayList<>();
    for (Log log : sessions.values()) {
      SessionSummary summary = summaryOf(log);
      if (summary.runnable() && !summary.quarantined()) runnable.add(new Seen(log, summary));
    }
    runnable.sort(
        Comparator.comparing((Seen seen) -> seen.summary().updatedAt())
            .thenComparing(seen -> seen.summary().id(), StoreArgs::compareCodePoints));
    List<String> claimed = new ArrayList<>();
    for (Seen seen : runnable) {
      Log log = seen.log();
      if (claimed.size() == limit) {
        break;
      }
      synchronized (log) {
        boolean free = log.leaseOwner == null || !now.isBefore(log.leaseExpiresAt);
        if (log.summary.version() > 0
            && log.summary.runnable()
            && !log.summary.quarantined()
            && free
            && !log.deleted) {
          acquire(log, owner, now, ttl, true);
          claimed.add(log.summary.id());
        }
      }
    }
    return List.copyOf(claimed);
  }

  @Override
  public boolean quarantine(String sessionId, String reason) {
    StoreArgs.quarantine(sessionId, reason);
    Log log = sessions.get(sessionId);
    if (log == null) {
      return false;
    }
    synchronized (log) {
      boolean fresh = !log.summary.quarantined();
      log.summary = log.summary.newBuilder().quarantine(StoreArgs.reason(reason)).build();
      return fresh && log.summary.version() > 0 && !log.deleted;
    }
  }

  @Override
  public boolean releaseQuarantine(String sessionId) {
    StoreArgs.sessionId(sessionId);
    Log log = sessions.get(sessionId);
    if (log == null) {
      return false;
    }
    synchronized (log) {
      boolean was = log.summary.quarantined();
      log.summary = log.summary.newBuilder().quarantine(null).build();
      offerForEviction(log);
      return was;
    }
  }

  /** True: the feed is live at once and reports the appends of this instance. */
  @Override
  public boolean supportsChanges() {
    return true;
  }

  @Override
  public Subscription subscribe(ChangeListener listener) {
    return feed.subscribe(listener);
  }

  // ---- retention -----------------------------------------------------------------------------

  /**
   * A builder of a store, to bound how many sessions it holds.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /** Also erases the session's rows when the session itself is gone (a purge kept them). */
  @Override
  public boolean delete(String sessionId) {
    StoreArgs.sessionId(sessionId);
    synchronized (rowsLock) {
      removeRows(Set.of(sessionId), Set.of());
      Log log = sessions.get(sessionId);
      if (log == null) {
        return false;
      }
      synchronized (log) {
        if (log.deleted) {
          return false;
        }
        remove(log);
        return log.summary.version() > 0;
      }
    }
  }

  /** Removes the rows of {@code sessionIds} outside {@code keep}; the caller holds rowsLock. */
  private void removeRows(Set<String> sessionIds, Set<String> keep) {
    rows.forEach(
        (namespace, byKey) -> {
          if (!keep.contains(namespace)) {
            byKey
                .values()
                .removeIf(
                    held -> {
                      String owner = held.row().sessionId();
                      return owner != null && sessionIds.contains(owner);
                    });
          }
        });
  }

  /** Removes {@code log} (whose monitor the caller holds) so later writes see it as absent. */
  private void remove(Log log) {
    log.deleted = true;
    sessions.remove(log.summary.id(), log);
    Candidate queued = log.queued;
    if (queued != null) {
      evictable.remove(queued);
      log.queued = null;
    }
  }

  /**
   * After a change to {@code log} (whose monitor the caller holds): in a bounded store, replaces
   * its entry among the evictable sessions by one for its summary now, or drops it when it is not
   * evictable now.
   */
  private void offerForEviction(Log log) {
    if (maximumSessions == Long.MAX_VALUE) return;
    Candidate queued = log.queued;
    if (queued != null) {
      if (queued.summary() == log.summary && evictable(log)) return; // already there, as it is
      evictable.remove(queued);
      log.queued = null;
    }
    if (evictable(log)) {
      Candidate fresh = new Candidate(log.summary, log, candidates.incrementAndGet());
      log.queued = fresh;
      evictable.add(fresh);
    }
  }

  @Override
  public List<SessionSummary> purge(PurgeRequest request) {
    Objects.requireNonNull(request, "request");
    synchronized (rowsLock) {
      List<SessionSummary> chosen = choose(request);
      if (!request.dryRun()) {
        Set<String> ids = new HashSet<>();
        chosen.forEach(s -> ids.add(s.id()));
        removeRows(ids, request.keepRows());
      }
      return chosen;
    }
  }

  /** Picks (and unless a dry run, removes) the sessions; the caller holds rowsLock. */
  private List<SessionSummary> choose(PurgeRequest request) {
    List<SessionSummary> chosen = new ArrayList<>();
    for (Log log : candidates(request)) {
      if (chosen.size() == request.limit()) {
        break;
      }
      synchronized (log) {
        boolean leaseLive = log.leaseOwner != null && request.now().isBefore(log.leaseExpiresAt);
        if (!log.deleted && request.matches(log.summary, leaseLive)) {
          chosen.add(log.summary);
          if (!request.dryRun()) {
            remove(log);
          }
        }
      }
    }
    return List.copyOf(chosen);
  }

  /** A session and its summary when it was read, so sorting sees values that hold still. */
  private record Seen(Log log, SessionSummary summary) {}

  /** The sessions that matched {@code request} (leases aside) as read now, oldest first. */
  private List<Log> candidates(PurgeRequest request) {
    List<Seen> seen = new ArrayList<>();
    for (Log log : sessions.values()) {
      SessionSummary summary = summaryOf(log);
      if (request.matches(summary, false)) {
        seen.add(new Seen(log, summary));
      }
    }
    seen.sort(Comparator.comparing(Seen::summary, EVICTION_ORDER));
    return seen.stream().map(Seen::log).toList();
  }

  /**
   * Evicts the least recently updated finished session not leased; the caller holds {@link
   * #capacity}. The first of {@link #evictable} that still is evictable is the one; only when none
   * is does it look through every session, in one pass, for one that became evictable some way that
   * did not offer it (none is known), before it refuses the creation.
   */
  private void evictOne(String creating) {
    for (Candidate first; (first = evictable.pollFirst()) != null; ) {
      Log log = first.log();
      synchronized (log) {
        if (log.queued == first) log.queued = null;
        if (!log.deleted && evictable(log) && log.summary == first.summary()) {
          remove(log);
          return;
        }
        offerForEviction(log); // changed since it was offered: queued again if it still qualifies
      }
    }
    fullScans.incrementAndGet();
    while (true) {
      @Nullable Log oldest = null;
      @Nullable SessionSummary oldestSummary = null;
      for (Log log : sessions.values()) {
        synchronized (log) {
          if (evictable(log)
              && (oldestSummary == null
                  || EVICTION_ORDER.compare(log.summary, oldestSummary) < 0)) {
            oldest = log;
            oldestSummary = log.summary;
          }
        }
      }
      if (oldest == null) {
        break;
      }
      synchronized (oldest) {
        if (evictable(oldest)) {
          remove(oldest);
          return;
        }
      }
    }
    throw new SessionStoreException(
        "InMemorySessionStore holds its maximum of "
            + maximumSessions
            + " sessions and none is finished (completed, failed or cancelled, "
            + "not leased), so it cannot make room for session '"
            + creating
            + "'; nothing was "
            + "stored. Raise InMemorySessionStore.builder().maximumSessions(...), finish or delete "
            + "sessions, or use SqliteSessionStore",
        null);
  }

  private static boolean evictable(Log log) {
    SessionSummary s = log.summary;
    return !log.deleted
        && log.leaseOwner == null
        && !s.runnable()
        && !s.quarantined()
        && PurgeRequest.FINISHED_STATUSES.contains(s.status());
  }

  /** Least recently updated first, ties by id: the order of purge and eviction. */
  private static final Comparator<SessionSummary> EVICTION_ORDER =
      Comparator.comparing(SessionSummary::updatedAt)
          .thenComparing(SessionSummary::id, StoreArgs::compareCodePoints);

  /**
   * A builder with this store's settings, to make another, empty store like it.
   *
   * @return a new builder with this store's maximum
   */
  public Builder newBuilder() {
    Builder b = builder();
    b.maximumSessions = maximumSessions;
    return b;
  }

  /**
   * The most sessions this store holds.
   *
   * @return the maximum, or {@link Long#MAX_VALUE} when unbounded
   */
  public long maximumSessions() {
    return maximumSessions;
  }

  /**
   * How many sessions the store holds now.
   *
   * @return the number of sessions
   */
  public int size() {
    return sessions.size();
  }

  @Override
  public String toString() {
    return "InMemorySessionStore{sessions="
        + sessions.size()
        + (maximumSessions == Long.MAX_VALUE ? "" : ", maximumSessions=" + maximumSessions)
        + "}";
  }

  /** Configures an {@link InMemorySessionStore}; reusable, not thread-safe. */
  public static final class Builder {
    private long maximumSessions = Long.MAX_VALUE;

    private Builder() {}

    /**
     * The most sessions the store holds (default: unbounded). Creating one more evicts the least
     * recently updated finished session that is not leased; when there is none, the creation is
     * refused with a {@link SessionStoreException}.
     *
     * @param maximumSessions at least 1
     * @return this builder
     * @throws IllegalArgumentException if {@code maximumSessions} is below 1
     */
    public Builder maximumSessions(long maximumSessions) {
      if (maximumSessions < 1) {
        throw new IllegalArgumentException(
            "maximumSessions must be at least 1 but was " + maximumSessions);
      }
      this.maximumSessions = maximumSessions;
      return this;
    }

    /**
     * A new, empty store with the settings so far.
     *
     * @return the store
     */
    public InMemorySessionStore build() {
      return new InMemorySessionStore(maximumSessions);
    }
  }

  // ---- other modules' rows -------------------------------------------------------------------

  /** A stored row and its claim. */
  private record Held(Row row, @Nullable String owner, @Nullable Instant until) {}

  /** Guards {@link #rows}; taken before a session's monitor (an append with rows), never after. */
  private final Object rowsLock = new Object();

  /** Rows by namespace, then key in code point order; guarded by {@link #rowsLock}. */
  private final Map<String, NavigableMap<String, Held>> rows = new HashMap<>();

  /** Throws for the first write whose condition fails; the caller holds {@link #rowsLock}. */
  private void checkRows(List<RowWrite> writes) {
    for (RowWrite w : writes) {
      Held held = rowsOf(w.namespace()).get(w.key());
      switch (w.kind()) {
        case INSERT -> {
          if (held != null) {
            throw new RowConflictException(
                w.namespace(), w.key(), RowConflictException.Reason.EXISTS, held.row().sessionId());
          }
        }
        case DELETE_EXISTING -> {
          if (held == null) {
            throw new RowConflictException(
                w.namespace(), w.key(), RowConflictException.Reason.ABSENT, null);
          }
          if (w.claimOwner() != null && !w.claimOwner().equals(held.owner())) {
            throw new RowConflictException(
                w.namespace(), w.key(), RowConflictException.Reason.NOT_CLAIMED, null);
          }
        }
        default -> {}
      }
    }
  }

  /** Applies checked writes; the caller holds {@link #rowsLock}. */
  private void applyRows(List<RowWrite> writes) {
    for (RowWrite w : writes) {
      Row row = w.row();
      if (row == null) {
        rowsOf(w.namespace()).remove(w.key());
      } else {
        rowsOf(w.namespace()).put(w.key(), new Held(copy(row), null, null));
      }
    }
  }

  private NavigableMap<String, Held> rowsOf(String namespace) {
    return rows.computeIfAbsent(namespace, n -> new TreeMap<>(RowQuery::compareKeys));
  }

  private static Row copy(Row row) {
    return new Row(row.namespace(), row.key(), row.sessionId(), row.value().deepCopy(), row.due());
  }

  @Override
  public Optional<Row> findRow(String namespace, String key) {
    StoreArgs.row(namespace, key);
    synchronized (rowsLock) {
      Held held = rowsOf(namespace).get(key);
      return held == null ? Optional.empty() : Optional.of(copy(held.row()));
    }
  }

  @Override
  public List<Row> queryRows(RowQuery query) {
    Objects.requireNonNull(query, "query");
    synchronized (rowsLock) {
      NavigableMap<String, Held> all = rowsOf(query.namespace());
      String prefix = query.keyPrefix();
      String after = query.afterKey();
      // Start at the prefix or after the page's last key, whichever is later, and stop where the
      // prefix ends: a page costs its rows, not the namespace's.
      NavigableMap<String, Held> from = prefix == null ? all : all.tailMap(prefix, true);
      if (after != null && (prefix == null || RowQuery.compareKeys(after, prefix) >= 0)) {
        from = all.tailMap(after, false);
      }
      return from.values().stream()
          .map(Held::row)
          .takeWhile(row -> prefix == null || row.key().startsWith(prefix))
          .filter(query::matches)
          .limit(query.limit())
          .map(InMemorySessionStore::copy)
          .toList();
    }
  }

  @Override
  public Map<String, Row> lastRows(String namespace, java.util.Collection<String> keyPrefixes) {
    StoreArgs.lastRows(namespace, keyPrefixes);
    Map<String, Row> last = new HashMap<>();
    synchronized (rowsLock) {
      NavigableMap<String, Held> all = rowsOf(namespace);
      for (String prefix : keyPrefixes) {
        Map.Entry<String, Held> floor = all.lowerEntry(JdbcRows.upperBound(prefix));
        if (floor != null && floor.getKey().startsWith(prefix)) {
          last.put(prefix, copy(floor.getValue().row()));
        }
      }
    }
    return last;
  }

  @Override
  public void writeRows(List<RowWrite> writes) {
    List<RowWrite> checked = RowWrite.checked(writes);
    synchronized (rowsLock) {
      checkRows(checked);
      applyRows(checked);
    }
  }

  @Override
  public List<Row> claimRows(String namespace, String owner, Instant now, Duration ttl, int limit) {
    StoreArgs.claimRows(namespace, owner, now, ttl, limit);
    synchronized (rowsLock) {
      NavigableMap<String, Held> all = rowsOf(namespace);
      List<Held> due =
          all.values().stream()
              .filter(h -> h.row().due() != null && !h.row().due().isAfter(now))
              .filter(h -> h.owner() == null || !now.isBefore(h.until()))
              .sorted(Comparator.comparing(Held::row, StoreArgs.DUE_ORDER))
              .limit(limit)
              .toList();
      List<Row> claimed = new ArrayList<>(due.size());
      for (Held h : due) {
        all.put(h.row().key(), new Held(h.row(), owner, now.plus(ttl)));
        claimed.add(copy(h.row()));
      }
      return List.copyOf(claimed);
    }
  }
}
