package dev.agentmesh.sessions;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.agentmesh.sessions.spi.Append;
import dev.agentmesh.sessions.spi.Lease;
import dev.agentmesh.sessions.spi.NewEvent;
import dev.agentmesh.sessions.spi.PurgeRequest;
import dev.agentmesh.sessions.spi.Row;
import dev.agentmesh.sessions.spi.RowQuery;
import dev.agentmesh.sessions.spi.RowWrite;
import dev.agentmesh.sessions.spi.SessionPage;
import dev.agentmesh.sessions.spi.SessionQuery;
import dev.agentmesh.sessions.spi.SessionStore;
import dev.agentmesh.sessions.spi.SessionSummary;
import dev.agentmesh.sessions.spi.StoredEvent;
import dev.agentmesh.sessions.spi.VersionConflictException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A bounded Caffeine cache of hot session logs in front of any {@link SessionStore}.
 *
 * <pre>{@code
 * SessionStore store = CachingSessionStore.builder(PostgresSessionStore.create(dataSource))
 *     .maximumEvents(100_000)
 *     .build();
 * }</pre>
 *
 * <p>A {@link #load load} asks the delegate only for the session's current version ({@link
 * SessionStore#find find}, one indexed row) and serves the events from the cache when the cached
 * log is at that version; when another node appended meanwhile, it loads just the missing tail. A
 * successful {@link #append append} through this store extends the cached log; a {@link
 * VersionConflictException} or any other failure evicts it. So the cache never serves a stale log,
 * also with several nodes on one database. Queries, leases and other modules' rows ({@link
 * #findRow}, {@link #writeRows}, ...) pass through uncached; {@link #quarantine quarantine} and
 * {@link #releaseQuarantine releaseQuarantine} drop the session's cached log, so a row repaired in
 * the database is read again. {@link #delete delete} and {@link #purge purge} drop the cached logs
 * of the sessions they delete; a session deleted through another node is dropped by the next {@link
 * #load load}, which finds it gone.
 */
public final class CachingSessionStore implements SessionStore {

  /** A session's log from version 1 to {@code events.size()}, immutable. */
  private record CachedLog(List<StoredEvent> events) {
    long version() {
      return events.size();
    }

    CachedLog plus(List<StoredEvent> tail) {
      List<StoredEvent> all = new ArrayList<>(events.size() + tail.size());
      all.addAll(events);
      all.addAll(tail);
      return new CachedLog(List.copyOf(all));
    }
  }

  private final SessionStore delegate;
  private final long maximumEvents;
  private final Cache<String, CachedLog> logs;

  private CachingSessionStore(Builder b) {
    this.delegate = b.delegate;
    this.maximumEvents = b.maximumEvents;
    this.logs =
        Caffeine.newBuilder()
            .maximumWeight(b.maximumEvents)
            .weigher((String id, CachedLog log) -> Math.max(1, log.events().size()))
            .build();
  }

  /**
   * A cache of at most 10,000 events in front of {@code delegate}.
   *
   * @param delegate the store that holds the data; every write goes through to it
   * @return a caching store over {@code delegate} with the default limits
   */
  public static CachingSessionStore create(SessionStore delegate) {
    return builder(delegate).build();
  }

  /**
   * A builder of a caching store over {@code delegate}, to set its limits.
   *
   * @param delegate the store that holds the data; every write goes through to it
   * @return a new builder
   */
  public static Builder builder(SessionStore delegate) {
    return new Builder(delegate);
  }

  /**
   * A builder with this store's delegate and limits, to make another cache over the same store.
   *
   * @return a new builder with this store's settings
   */
  public Builder newBuilder() {
    return builder(delegate).maximumEvents(maximumEvents);
  }

  @Override
  public long append(Append append) {
    Objects.requireNonNull(append, "append");
    String sessionId = append.sessionId();
    long expectedVersion = append.expectedVersion();
    List<StoredEvent> tail = new ArrayList<>(append.events().size());
    for (NewEvent e : append.events()) {
      NewEvent copy = new NewEvent(e.type(), e.typeVersion(), e.payload().deepCopy(), e.at());
      tail.add(StoredEvent.of(sessionId, expectedVersion + tail.size() + 1, copy));
    }
    long version;
    try {
      version = delegate.append(append);
    } catch (RuntimeException e) {
      logs.invalidate(sessionId);
      throw e;
    }
    extend(sessionId, expectedVersion, tail);
    return version;
  }

  /** Appends {@code tail} to the cached log if it ends at {@code from}; else drops the entry. */
  private void extend(String sessionId, long from, List<StoredEvent> tail) {
    if (from == 0) {
      logs.put(sessionId, new CachedLog(List.copyOf(tail)));
      return;
    }
    logs.asMap()
        .computeIfPresent(sessionId, (id, log) -> log.version() == from ? log.plus(tail) : null);
  }

  @Override
  public List<StoredEvent> load(String sessionId, long afterVersion, int limit) {
    StoreArgs.load(sessionId, afterVersion, limit);
    Optional<SessionSummary> summary = delegate.find(sessionId);
    if (summary.isEmpty()) {
      logs.invalidate(sessionId);
      return List.of();
    }
    CachedLog log = current(sessionId, summary.get().version());
    int from = (int) Math.min(afterVersion, log.version());
    int to = (int) Math.min((long) from + limit, log.version());
    return log.events().subList(from, to);
  }

  /** The log at {@code version}, from the cache, topped up, or loaded whole. */
  private CachedLog current(String sessionId, long version) {
    CachedLog cached = logs.getIfPresent(sessionId);
    if (cached != null && cached.version() == version) {
      return cached;
    }
    long from = cached != null && cached.version() < version ? cached.version() : 0;
    List<StoredEvent> tail = delegate.load(sessionId, from);
    CachedLog fresh = from == 0 ? new CachedLog(tail) : cached(cached).plus(tail);
    logs.asMap()
        .merge(sessionId, fresh, (old, loaded) -> loaded.version() >= old.version() ? loaded : old);
    return fresh;
  }

  private static CachedLog cached(@Nullable CachedLog log) {
    return Objects.requireNonNull(log);
  }

  @Override
  public Optional<SessionSummary> find(String sessionId) {
    return delegate.find(sessionId);
  }

  @Override
  public SessionPage query(SessionQuery query) {
    return delegate.query(query);
  }

  @Override
  public Optional<Lease> tryAcquireLease(
      String sessionId, String owner, Instant now, Duration ttl) {
    return delegate.tryAcquireLease(sessionId, owner, now, ttl);
  }

  @Override
  public boolean releaseLease(String sessionId, String owner) {
    return delegate.releaseLease(sessionId, owner);
  }

  @Override
  public List<String> claim(String owner, Instant now, Duration ttl, int limit) {
    return delegate.claim(owner, now, ttl, limit);
  }

  /** Marks the session in the delegate and drops its cached log, which may hold the broken row. */
  @Override
  public boolean quarantine(String sessionId, String reason) {
    logs.invalidate(sessionId);
    return delegate.quarantine(sessionId, reason);
  }

  /** Clears the mark in the delegate and drops the cached log, so a repaired row is read again. */
  @Override
  public boolean releaseQuarantine(String sessionId) {
    logs.invalidate(sessionId);
    return delegate.releaseQuarantine(sessionId);
  }

  // ---- other modules' rows: never cached --------------------------------------------------

  /** {@inheritDoc} Passed through; the new sessions are cached when first loaded. */
  @Override
  public List<dev.agentmesh.sessions.spi.CreateOutcome> createAll(
      dev.agentmesh.sessions.spi.CreateBatch batch) {
    return delegate.createAll(batch);
  }

  @Override
  public java.util.Map<String, Row> lastRows(
      String namespace, java.util.Collection<String> keyPrefixes) {
    return delegate.lastRows(namespace, keyPrefixes);
  }

  @Override
  public java.util.Set<String> existingKeys(String namespace, java.util.Collection<String> keys) {
    return delegate.existingKeys(namespace, keys);
  }

  @Override
  public Optional<Row> findRow(String namespace, String key) {
    return delegate.findRow(namespace, key);
  }

  @Override
  public List<Row> queryRows(RowQuery query) {
    return delegate.queryRows(query);
  }

  @Override
  public void writeRows(List<RowWrite> writes) {
    delegate.writeRows(writes);
  }

  @Override
  public List<Row> claimRows(String namespace, String owner, Instant now, Duration ttl, int limit) {
    return delegate.claimRows(namespace, owner, now, ttl, limit);
  }

  /** The delegate's: whether it has a change feed. */
  @Override
  public boolean supportsChanges() {
    return delegate.supportsChanges();
  }

  /**
   * The delegate's feed. Every load checks the delegate's version anyway, so a change never needs
   * to evict the cached log.
   */
  @Override
  public Subscription subscribe(ChangeListener listener) {
    return delegate.subscribe(listener);
  }

  // ---- retention -----------------------------------------------------------------------------

  /** Deletes the session in the delegate and drops its cached log, also when the delete fails. */
  @Override
  public boolean delete(String sessionId) {
    try {
      return delegate.delete(sessionId);
    } finally {
      logs.invalidate(sessionId);
    }
  }

  /** Purges in the delegate and drops the cached logs of the sessions it deleted. */
  @Override
  public List<SessionSummary> purge(PurgeRequest request) {
    List<SessionSummary> deleted = delegate.purge(request);
    if (!request.dryRun()) {
      deleted.forEach(s -> logs.invalidate(s.id()));
    }
    return deleted;
  }

  /**
   * How many sessions' logs are cached now (approximate); for tests and metrics.
   *
   * @return the number of sessions whose events are cached now
   */
  public long cachedSessions() {
    logs.cleanUp();
    return logs.estimatedSize();
  }

  @Override
  public String toString() {
    return "CachingSessionStore{" + delegate + "}";
  }

  /** Configures a {@link CachingSessionStore}; reusable, not thread-safe. */
  public static final class Builder {
    private final SessionStore delegate;
    private long maximumEvents = 10_000;

    private Builder(SessionStore delegate) {
      this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    /**
     * The most events the cache holds over all sessions; least recently used go first.
     *
     * @param maximumEvents the most events, summed over all sessions, kept in memory
     * @return this builder
     */
    public Builder maximumEvents(long maximumEvents) {
      if (maximumEvents < 1) {
        throw new IllegalArgumentException(
            "maximumEvents must be at least 1 but was " + maximumEvents);
      }
      this.maximumEvents = maximumEvents;
      return this;
    }

    /**
     * The caching store, over the delegate, with the limits set.
     *
     * @return a new caching store
     */
    public CachingSessionStore build() {
      return new CachingSessionStore(this);
    }
  }
}
