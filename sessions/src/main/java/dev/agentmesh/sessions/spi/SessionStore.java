package dev.agentmesh.sessions.spi;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where sessions live: one append-only event log per session, a summary row per session for
 * queries, and leases so that one node at a time drives a session.
 *
 * <pre>{@code
 * SessionStore store = SqliteSessionStore.create(Path.of("agentmesh.db"));
 * long v = store.append(Append.of("s-1", 0, List.of(created), summary));   // creates s-1 at version 1
 * Lease lease = store.tryAcquireLease("s-1", "node-a", now, ttl).orElseThrow();
 * v = store.append(Append.of("s-1", v, List.of(step), next).fencedBy(lease)); // the driver's step
 * List<StoredEvent> log = store.load("s-1", 0);                           // both events, in order
 * }</pre>
 *
 * <h2>Contract</h2>
 *
 * <ul>
 *   <li><b>Versions.</b> A session's version is the number of events in its log; event {@code n}
 *       has version {@code n}, starting at 1. An append names the version it expects and either
 *       stores all its events at the next versions together with the summary, or nothing at all and
 *       throws {@link VersionConflictException}. Two appends at the same expected version never
 *       both succeed, also across processes sharing one database.
 *   <li><b>Summary.</b> The summary row is replaced by each append's summary, with {@code version}
 *       set by the store. {@code createdAt} and {@code forkedFrom} are fixed by the creating
 *       append; later values are ignored.
 *   <li><b>Leases</b> are advisory: they decide which node drives a session, while versions keep
 *       the log safe even if two nodes believe they hold it. A lease held by {@code owner} is live
 *       while {@code now < expiresAt}. The caller passes the time (from its {@code Clock}); stores
 *       never read a database clock, so nodes need reasonably synchronized clocks and a TTL far
 *       larger than their skew.
 *   <li><b>Fencing.</b> Each lease has an epoch that grows whenever the lease passes to another
 *       holder (another owner, anyone after a release, every {@link #claim claim}); a holder's
 *       renewal keeps it. An append {@link Append#fencedBy fenced by} a lease is stored only if the
 *       session's epoch still is the lease's, checked in the same transaction as the insert;
 *       otherwise nothing is stored and it throws {@link LeaseLostException}. Appends without a
 *       lease (commands from any node) are checked by version alone.
 *   <li><b>Quarantine.</b> A session whose log the runtime cannot read is marked with a reason
 *       ({@link #quarantine}); {@link #claim claim} skips it and queries can find it ({@link
 *       SessionQuery.Builder#quarantined}) until {@link #releaseQuarantine} clears it. Appends
 *       leave the mark as it is.
 *   <li><b>Rows.</b> Other modules keep rows here ({@link Row}: namespace, key, session, JSON
 *       value, due instant), unique by {@code (namespace, key)}, written with an append's events in
 *       one transaction ({@link Append#withRows}) or alone ({@link #writeRows}). The version and
 *       lease checks come first; then each {@link RowWrite} in order; if one's condition fails,
 *       nothing of the request is stored and it throws {@link RowConflictException}. Of two
 *       requests inserting one key, or deleting one existing row, exactly one succeeds, also across
 *       processes. Rows due by a time are handed out by {@link #claimRows} under a claim (owner,
 *       until) that, like a lease, passes on once expired.
 *   <li><b>Retention.</b> {@link #delete delete} erases one session, whatever its state: its
 *       events, summary, lease, quarantine mark and every row whose session id is its; afterwards
 *       nothing of it can be loaded, found, queried, leased or claimed, and an append expecting any
 *       version but 0 is refused. Ids are not remembered: a later append at version 0 creates a new
 *       session under the same id. {@link #purge purge} deletes, one page at a time, the finished
 *       sessions a {@link PurgeRequest} selects, with their rows except those of the namespaces the
 *       request {@link PurgeRequest#keepRows keeps}; a session that an append moved on (to another
 *       version or status) after the purge selected it is kept, checked in the same transaction as
 *       the delete. An append racing a delete or purge either lands first (and a purge then keeps
 *       the session) or is refused with {@link VersionConflictException}; it is never stored and
 *       then lost.
 *   <li><b>Data.</b> Stores keep event type, type version and payload unchanged (JSON object key
 *       order aside) and instants at microsecond precision.
 *   <li><b>Change feed</b> (optional). A store that {@link #supportsChanges() supports changes}
 *       tells {@link #subscribe subscribers} about every append committed to its data, by any
 *       instance or node, as a {@link SessionChange}; see {@link ChangeListener} for what is
 *       promised. Deletes and purges are not appends: the feed does not report them. Stores without
 *       one (the default) leave readers to poll.
 * </ul>
 *
 * <h2>Threading and errors</h2>
 *
 * Implementations are thread-safe; every method may be called from any thread. Arguments that break
 * the contract throw {@link IllegalArgumentException}; a version mismatch throws {@link
 * VersionConflictException}; a fenced append whose lease was lost throws {@link
 * LeaseLostException}; a row write whose condition fails throws {@link RowConflictException}; an
 * event row that cannot be read (say, its payload is not JSON) throws {@link
 * SessionDecodeException}; a lease on an unknown session throws {@link
 * dev.agentmesh.sessions.SessionNotFoundException}; a failing database throws {@link
 * SessionStoreException}. Implementations should pass {@code SessionStoreCompatibilityKit} from
 * agentmesh-sessions-testing.
 */
public interface SessionStore {

  /**
   * Appends the request's events to the log of its session if the session is at the expected
   * version (0 creates it) and, when the append is {@link Append#fencedBy fenced}, its lease epoch
   * is still the lease's; replaces its summary (keeping {@code createdAt}, {@code forkedFrom} and
   * the quarantine mark), atomically. In the same transaction, a creation {@link Append#leasedTo
   * leased to} a node stores the session with that node's lease at epoch 1, and an append {@link
   * Append#releasingLease releasing} its lease clears the lease's owner and expiry (keeping the
   * epoch, as {@link #releaseLease} does); a refused append does neither.
   *
   * @param append the events, expected version, summary and optional lease
   * @return the session's new version, {@link Append#newVersion()}
   * @throws VersionConflictException if the session is not at the expected version; nothing was
   *     stored
   * @throws LeaseLostException if the append is fenced and the lease passed to another holder;
   *     nothing was stored
   */
  long append(Append append);

  /**
   * {@code append(Append.of(sessionId, expectedVersion, events, summary))}: a command.
   *
   * @param sessionId the session to append to
   * @param expectedVersion the version the session must be at; 0 creates it
   * @param events the events to store, at least one
   * @param summary the session's summary after these events
   * @return the session's new version
   */
  default long append(
      String sessionId, long expectedVersion, List<NewEvent> events, SessionSummary summary) {
    return append(Append.of(sessionId, expectedVersion, events, summary));
  }

  /**
   * Up to {@code limit} events of {@code sessionId} with version greater than {@code afterVersion},
   * in version order; empty for an unknown session.
   *
   * @param sessionId the session to read
   * @param afterVersion the version to read after; 0 reads from the start
   * @param limit the most events to return
   * @return the events, in version order
   * @throws SessionDecodeException if a row cannot be read as an event (its payload is not JSON)
   */
  List<StoredEvent> load(String sessionId, long afterVersion, int limit);

  /**
   * All events of {@code sessionId} after {@code afterVersion} (0: the whole log).
   *
   * @param sessionId the session to read
   * @param afterVersion the version to read after; 0 reads from the start
   * @return the events, in version order
   */
  default List<StoredEvent> load(String sessionId, long afterVersion) {
    return load(sessionId, afterVersion, Integer.MAX_VALUE);
  }

  /**
   * The events of many sessions at once: for each entry of {@code afterVersions}, every event of
   * that session with a version greater than the entry's value (0: the whole log), in version
   * order, as {@link #load(String, long) load} would return them; an unknown session maps to an
   * empty list. Each session's list is consistent on its own (no event missing before a version
   * returned); the sessions are not read as one snapshot.
   *
   * <p>The default calls {@link #load(String, long) load} per session; stores over a database
   * answer with one query.
   *
   * <pre>{@code
   * Map<String, List<StoredEvent>> logs = store.loadAll(Map.of("s-1", 0L, "s-2", 4L));
   * }</pre>
   *
   * @param afterVersions the sessions to read, each with the version to read after
   * @return the events per session, with a key for every session asked for
   * @throws SessionDecodeException if a row cannot be read as an event
   */
  default java.util.Map<String, List<StoredEvent>> loadAll(
      java.util.Map<String, Long> afterVersions) {
    java.util.Map<String, List<StoredEvent>> logs = new java.util.LinkedHashMap<>();
    afterVersions.forEach((id, after) -> logs.put(id, load(id, after)));
    return logs;
  }

  /**
   * Appends each of {@code appends} as {@link #append(Append) append} would, independently: each is
   * stored, or refused on its own (its outcome carries the {@link VersionConflictException}, {@link
   * LeaseLostException} or {@link RowConflictException} {@code append} would throw) and nothing of
   * it is stored. At most one append per session. Row writes of different appends must not touch
   * the same {@code (namespace, key)}.
   *
   * <p>The default appends them one by one. Stores over a database write them in one transaction
   * (one commit, a few statements whatever their number) when none is refused, and fall back to one
   * by one otherwise. A failure of the store part way ({@link SessionStoreException}) may leave
   * some of them stored: read the logs again to know which.
   *
   * <pre>{@code
   * List<AppendOutcome> outcomes = store.appendAll(List.of(toS1, toS2));
   * }</pre>
   *
   * @param appends the appends, each of another session
   * @return one outcome per append, in order
   * @throws IllegalArgumentException if two appends are of one session, or write one row
   */
  default List<AppendOutcome> appendAll(List<Append> appends) {
    AppendOutcome.checkDistinct(appends);
    List<AppendOutcome> outcomes = new java.util.ArrayList<>(appends.size());
    for (Append a : appends) {
      try {
        append(a);
        outcomes.add(AppendOutcome.stored(a));
      } catch (VersionConflictException | LeaseLostException | RowConflictException refused) {
        outcomes.add(AppendOutcome.refused(a, refused));
      }
    }
    return outcomes;
  }

  /**
   * The summary of {@code sessionId} at its current version, if the session exists.
   *
   * @param sessionId the session to look up
   * @return its summary, or empty for an unknown session
   */
  Optional<SessionSummary> find(String sessionId);

  /**
   * One page of the sessions that match {@code query}, in creation order.
   *
   * @param query the filters, page size and cursor
   * @return the page, with the cursor of the next one
   */
  SessionPage query(SessionQuery query);

  /**
   * Takes or renews the lease of {@code sessionId} for {@code owner} until {@code now + ttl}, if it
   * is free, expired at {@code now}, or already held by {@code owner}. The epoch stays when {@code
   * owner} held it already, else it grows by one.
   *
   * @param sessionId the session to lease
   * @param owner the node that asks
   * @param now the caller's time, against which expiry is judged
   * @param ttl how long the lease lasts from {@code now}
   * @return the lease {@code owner} now holds, or empty when another owner holds a live one
   * @throws dev.agentmesh.sessions.SessionNotFoundException if the session does not exist
   */
  Optional<Lease> tryAcquireLease(String sessionId, String owner, Instant now, Duration ttl);

  /**
   * Gives up the lease of {@code sessionId} if {@code owner} holds it.
   *
   * @param sessionId the leased session
   * @param owner the node that gives it up
   * @return true if {@code owner} held it (live or expired) and it is now free
   */
  boolean releaseLease(String sessionId, String owner);

  /**
   * Takes the leases of up to {@code limit} {@link SessionSummary#runnable() runnable}, not
   * quarantined sessions whose lease is free or expired at {@code now}, for {@code owner} until
   * {@code now + ttl}, each under a new epoch: how a node picks up sessions whose driver died.
   * Least recently updated first. Concurrent claims never hand one session to two owners.
   *
   * @param owner the node that claims
   * @param now the caller's time, against which expiry is judged
   * @param ttl how long each lease lasts from {@code now}
   * @param limit the most sessions to claim
   * @return the ids of the sessions now leased to {@code owner}
   */
  List<String> claim(String owner, Instant now, Duration ttl, int limit);

  /**
   * Marks {@code sessionId} as quarantined because of {@code reason} (replacing an earlier reason):
   * {@link #claim claim} skips it until {@link #releaseQuarantine} is called.
   *
   * @param sessionId the session whose log cannot be read
   * @param reason why, for an operator; stored in the summary
   * @return true if it was not quarantined before; false also for an unknown session
   */
  boolean quarantine(String sessionId, String reason);

  /**
   * Clears the quarantine of {@code sessionId}, so it is claimed again when runnable.
   *
   * @param sessionId the quarantined session
   * @return true if it was quarantined
   */
  boolean releaseQuarantine(String sessionId);

  // ---- retention -----------------------------------------------------------------------------

  /**
   * Erases {@code sessionId}: its events, summary, lease, quarantine mark and other modules' rows
   * of it (every namespace), in one transaction, whatever its status (an erasure request does not
   * wait for a session to finish; its driver's next append is refused). Other sessions are
   * untouched, forks included: a fork holds its own copy of the parent's events.
   *
   * @param sessionId the session to erase
   * @return true if the session existed
   * @throws IllegalArgumentException if the id is blank
   */
  boolean delete(String sessionId);

  /**
   * Deletes, as {@link #delete delete} does (but keeping rows of the namespaces in {@link
   * PurgeRequest#keepRows()}), up to {@link PurgeRequest#limit()} sessions that match {@code
   * request} (in a {@link PurgeRequest#dryRun() dry run}, deletes nothing), least recently updated
   * first. Each session is checked against the request in the same transaction that deletes it, so
   * a session an append moved on meanwhile is kept.
   *
   * @param request which finished sessions to delete, and how many
   * @return the summaries of the sessions deleted (or that a dry run would delete), in the order
   *     chosen; fewer than the limit when no more match
   */
  List<SessionSummary> purge(PurgeRequest request);

  // ---- other modules' rows (create-once keys, trigger claims, pending reviews, timers) -------

  /**
   * The row {@code (namespace, key)}, if it exists.
   *
   * @param namespace the row's namespace
   * @param key the row's key
   * @return the row, or empty
   * @throws IllegalArgumentException if the namespace or key is malformed
   */
  Optional<Row> findRow(String namespace, String key);

  /**
   * Up to {@link RowQuery#limit()} rows of a namespace that match {@code query}, ordered by key in
   * Unicode code point order.
   *
   * @param query the namespace, filters, page start and size
   * @return the rows, in key order
   */
  List<Row> queryRows(RowQuery query);

  /**
   * Applies {@code writes} atomically, without events: all of them, or none and a {@link
   * RowConflictException} naming the first write whose condition failed. For rows that belong to no
   * event, such as cancelling a timer.
   *
   * @param writes the writes, each {@code (namespace, key)} at most once; may be empty
   * @throws RowConflictException if a write's condition failed; nothing was stored
   * @throws IllegalArgumentException if a row is written twice
   */
  void writeRows(List<RowWrite> writes);

  /**
   * Claims up to {@code limit} rows of {@code namespace} that are due at {@code now} ({@code due <=
   * now}) and not claimed, or whose claim expired at {@code now}, for {@code owner} until {@code
   * now + ttl}: earliest due first, then by key. Concurrent claims never hand one row to two owners
   * while its claim lives; a claimant that dies loses its rows when the claim expires. Claiming
   * does not change the row otherwise: whoever acts on it deletes it with {@link
   * RowWrite#deleteExisting deleteExisting}{@code .}{@link RowWrite#claimedBy claimedBy(owner)}, in
   * the same append as the events it causes, so it acts once.
   *
   * @param namespace the rows' namespace
   * @param owner the claimant, such as a node id
   * @param now the caller's time, against which due instants and claims are judged
   * @param ttl how long each claim lasts from {@code now}
   * @param limit the most rows to claim
   * @return the rows now claimed by {@code owner}, earliest due first
   */
  List<Row> claimRows(String namespace, String owner, Instant now, Duration ttl, int limit);

  /**
   * Creates the sessions of {@code batch}, each with its rows in the same transaction as its first
   * events; an item one of whose inserted keys is taken is skipped (nothing of it is stored), the
   * others are created. Of two batches (or a batch and an append) inserting one key, on any node,
   * exactly one stores it, as for single appends.
   *
   * <p>The default creates the items one by one with {@link #append}, skipping those refused with
   * {@link RowConflictException}. Stores over a database do it set-based: the inserts of every item
   * in one statement, then the sessions and events of the items whose keys were all free, in one
   * transaction. The whole batch is not atomic: a failure part way may leave earlier items created
   * (each item always with its rows). A session id that exists already throws {@link
   * VersionConflictException}.
   *
   * @param batch the sessions to create
   * @return one outcome per item, in the batch's order
   * @throws VersionConflictException if a session of the batch exists already
   */
  default List<CreateOutcome> createAll(CreateBatch batch) {
    List<CreateOutcome> outcomes = new java.util.ArrayList<>(batch.items().size());
    for (Append item : batch.items()) {
      try {
        append(item);
        outcomes.add(CreateOutcome.created(item.sessionId()));
      } catch (RowConflictException taken) {
        outcomes.add(CreateOutcome.skipped(item.sessionId(), taken));
      }
    }
    return outcomes;
  }

  /**
   * For each of {@code keyPrefixes}, the row of {@code namespace} with the greatest key (code point
   * order) that starts with it: say, the last claimed occurrence of every trigger, with keys {@code
   * <trigger>@<instant>} that sort by instant. Prefixes with no such row are absent from the map.
   *
   * <p>The default pages through {@link #queryRows} per prefix; stores over a database answer with
   * one query (an index lookup per prefix).
   *
   * @param namespace the rows' namespace
   * @param keyPrefixes the prefixes, each non-empty
   * @return the last row per prefix
   */
  default java.util.Map<String, Row> lastRows(
      String namespace, java.util.Collection<String> keyPrefixes) {
    java.util.Map<String, Row> last = new java.util.HashMap<>();
    for (String prefix : keyPrefixes) {
      RowQuery.Builder query = RowQuery.builder(namespace).keyPrefix(prefix).limit(1000);
      List<Row> page = queryRows(query.build());
      while (!page.isEmpty()) {
        Row tail = page.get(page.size() - 1);
        last.put(prefix, tail);
        page = queryRows(query.afterKey(tail.key()).build());
      }
    }
    return last;
  }

  /**
   * Which of {@code keys} have a row in {@code namespace}, without reading the rows: say, which of
   * a batch's trigger claims another node has committed already.
   *
   * <pre>{@code
   * Set<String> taken = store.existingKeys("triggers.claim", List.of(
   *     "daily@2026-03-02T08:00:00.000000000Z", "hourly@2026-03-02T08:00:00.000000000Z"));
   * }</pre>
   *
   * <p>The default asks {@link #findRow} once per key; stores over a database answer with one
   * query.
   *
   * @param namespace the rows' namespace
   * @param keys the keys to look for
   * @return the keys among {@code keys} that have a row
   */
  default java.util.Set<String> existingKeys(String namespace, java.util.Collection<String> keys) {
    java.util.Set<String> found = new java.util.HashSet<>();
    for (String key : keys) {
      if (findRow(namespace, key).isPresent()) {
        found.add(key);
      }
    }
    return found;
  }

  /**
   * Whether this store has a change feed, so {@link #subscribe} may be called. The default is
   * false: readers that wait for progress poll the store instead.
   *
   * @return true if {@link #subscribe} is supported
   */
  default boolean supportsChanges() {
    return false;
  }

  /**
   * Starts telling {@code listener} about appends committed to this store's data, by this instance
   * or any other (another node on the same database), until the returned subscription is closed.
   * The listener hears {@link ChangeListener#connected()} once the feed is live (possibly before
   * this method returns), then one {@link ChangeListener#changed changed} per append committed
   * after that; see {@link ChangeListener} for the rest of the contract.
   *
   * @param listener told about changes; it must return quickly
   * @return the subscription; close it to stop the calls
   * @throws UnsupportedOperationException if the store has no feed ({@link #supportsChanges()} is
   *     false), the default
   */
  default Subscription subscribe(ChangeListener listener) {
    throw new UnsupportedOperationException(
        getClass().getSimpleName()
            + " has no change feed; "
            + "check supportsChanges() before subscribing, and poll the store when it is false");
  }

  /**
   * Hears a store's change feed ({@link SessionStore#subscribe}).
   *
   * <pre>{@code
   * try (SessionStore.Subscription feed = store.subscribe(change -> wake(change.sessionId()))) {
   *   ...
   * }
   * }</pre>
   *
   * <h2>Contract</h2>
   *
   * <ul>
   *   <li>While the feed is live (after {@link #connected()}), every append committed to the
   *       store's data, by any instance or node, is reported once by {@link #changed}, after it
   *       committed, with the session's version right after it; the changes of one session come in
   *       version order. A refused append (a version conflict, a lost lease, a failure) is never
   *       reported.
   *   <li>A feed that loses its source (PostgreSQL: its listening connection) calls {@link
   *       #disconnected()}, and {@link #connected()} again once it is back. Appends committed
   *       before a {@code connected()} may never be reported: on {@code connected()}, re-read the
   *       store for whatever you wait on.
   * </ul>
   *
   * <h2>Threading and errors</h2>
   *
   * A subscription's calls never overlap and come in the order the store made them; the store
   * chooses the thread (PostgreSQL: mostly its listening thread; in memory: the thread that
   * appended, once the append released its locks; either: possibly the thread that subscribes).
   * Return quickly and do not block on the store's appends: hand work to an executor. A listener
   * that throws is logged by the store and keeps its subscription.
   */
  @FunctionalInterface
  interface ChangeListener {

    /**
     * An append was committed: {@code change.sessionId()} is now at {@code change.version()}.
     *
     * @param change the session and its new version
     */
    void changed(SessionChange change);

    /**
     * The feed is live, for the first time or again after {@link #disconnected()}: appends from now
     * on are reported, earlier ones may not have been. The default does nothing.
     */
    default void connected() {}

    /**
     * The feed lost its source; appends are not reported until {@link #connected()} is called
     * again. The default does nothing.
     */
    default void disconnected() {}
  }

  /**
   * A subscription to a store's change feed; {@link #close()} ends it.
   *
   * <pre>{@code
   * SessionStore.Subscription feed = store.subscribe(listener);
   * feed.close(); // no more calls, except one already under way
   * }</pre>
   */
  interface Subscription extends AutoCloseable {

    /**
     * Stops the calls to the listener (one already under way on another thread may finish). Closing
     * twice does nothing. Never throws.
     */
    @Override
    void close();
  }
}
