package dev.agentmesh.sessions;

import dev.agentmesh.core.AgentSpec;
import dev.agentmesh.core.Mesh;
import dev.agentmesh.core.internal.concurrent.DefaultExecutors;
import dev.agentmesh.sessions.spi.Append;
import dev.agentmesh.sessions.spi.RowConflictException;
import dev.agentmesh.sessions.spi.RowWrite;
import dev.agentmesh.sessions.spi.SessionDecodeException;
import dev.agentmesh.sessions.spi.SessionPage;
import dev.agentmesh.sessions.spi.SessionQuery;
import dev.agentmesh.sessions.spi.SessionStore;
import dev.agentmesh.sessions.spi.StoredEvent;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * Sessions over a {@link Mesh}: the entry point of {@code agentmesh-sessions}, in the shape of
 * OkHttp's {@code client.newCall(request)}. It starts sessions, looks them up and queries them, and
 * recovers sessions whose driver died; every command on one session lives on its {@link Session}. A
 * session is an append-only event log in a {@link SessionStore}; turns run on this instance's
 * executor.
 *
 * <pre>{@code
 * Sessions sessions = Sessions.builder(mesh)
 *     .store(SqliteSessionStore.create(Path.of("agentmesh.db"))).build();
 * Session session = sessions.newSession("triage")
 *     .input("My invoice is wrong").origin(Origin.human("ana"))
 *     .participant("ana", ParticipantRole.OWNER).participant("bo", ParticipantRole.MEMBER)
 *     .start();
 * session.awaitFinished(Duration.ofMinutes(1));
 * session.postTo("bo", "security-reviewer", "Is the attachment safe?");
 * session.awaitFinished(Duration.ofMinutes(1));
 * session.post("ana", "Thanks, now draft the reply");  // triage again
 * session.awaitFinished(Duration.ofMinutes(1));
 * }</pre>
 *
 * <h2>Guarantees</h2>
 *
 * Every event is in the store before a step that depends on it: a tool call that is not idempotent
 * before the tool runs, a run's output, failure or wait before anyone is told (a turn without tools
 * is two commits; docs/sessions.md, "What is on disk before each step"). Appends carry the expected
 * version and a conflicting append is decided again against the new state, so concurrent writers
 * (threads or processes on one store) never lose or duplicate an event. One process at a time
 * drives a session (its lease), and in this process one thread at a time. After a crash, {@link
 * #recoverOrphans()} (or the periodic sweep) picks up sessions whose lease expired and continues
 * them from the log; a tool call that is not idempotent and whose result is missing is never
 * repeated: the session waits in {@link SessionStatus#WAITING} with an {@link
 * SessionState.UnknownOutcome} until {@link Session#resolveUnknownOutcome} or {@link
 * Session#failUnknownOutcome}. A driver that was overtaken (its lease passed to another node)
 * cannot append any more: the store refuses its appends. A session whose log cannot be decoded is
 * quarantined, not retried, until {@link #retryQuarantined}.
 *
 * <h2>Review policies</h2>
 *
 * Nothing in this module enforces an agent's {@link dev.agentmesh.core.ReviewPolicy}, so {@link
 * Builder#build()} refuses a mesh holding an agent whose spec says {@code review.required: true}
 * rather than run it unreviewed, unless an extension that enforces them is installed (the review
 * module's, which calls {@link Builder#reviewBound()}). Stateless calls ({@code
 * mesh.agent(name).call(input)}) are not affected.
 *
 * <h2>Extension points</h2>
 *
 * Modules plug in with {@link Builder#extension}: {@link CallGate}s, {@link OutputGate}s, {@link
 * TurnContext}s and {@link Builder#timer timers} on the builder, {@link Session#record} to append
 * their {@link SessionEvent.Custom} events and rows, {@link Session#releaseCall} to let a gated
 * call run. See docs/sessions.md, "Extension points for modules".
 *
 * <h2>Threading and errors</h2>
 *
 * Immutable and thread-safe; share one instance. An unknown session throws {@link
 * SessionNotFoundException}; a failing store throws {@link
 * dev.agentmesh.sessions.spi.SessionStoreException}. Close it to stop its sweep and the executor it
 * made; running turns stop after their current step, and {@link #close()} waits for them (at most
 * the lease TTL) so their leases are released.
 */
public final class Sessions implements AutoCloseable {

  /** How many orphans one claim takes from the store; the sweep claims one batch a time. */
  private static final int ORPHAN_BATCH = 100;

  private final Builder settings;
  private final Mesh mesh;
  private final FoldedLogs sessionLog;
  private final Drivers drivers;
  private final Awaits awaits;
  private final Clock clock;
  private final Supplier<String> ids;
  private final String nodeId;
  private final Duration leaseTtl;
  private final @Nullable ExecutorService ownedExecutor;
  private final @Nullable ScheduledExecutorService ownedScheduler;
  private volatile @Nullable ScheduledFuture<?> sweep;
  private final @Nullable Duration sweepEvery;
  private final ScheduledExecutorService scheduler;
  private final @Nullable RetentionSweep retention;
  private final boolean recoverOnSweep;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final List<ForkRows> forkRows;
  private final Timers timers;

  private Sessions(Builder b) {
    SessionStore store = b.store != null ? b.store : InMemorySessionStore.create();
    this.settings = b.copy().store(store);
    this.mesh = b.mesh;
    this.clock = b.clock != null ? b.clock : mesh.clock();
    this.ids = b.ids != null ? b.ids : new TimeOrderedIds(clock);
    this.nodeId =
        b.nodeId != null ? b.nodeId : "node-" + UUID.randomUUID().toString().substring(0, 8);
    this.leaseTtl = b.leaseTtl;
    this.forkRows = List.copyOf(b.forkRows);
    this.sessionLog = new FoldedLogs(store, EventCodec.standard(), b.maxCachedSessions);
    this.ownedExecutor = b.executor == null ? DefaultExecutors.forSessions() : null;
    Executor executor = b.executor != null ? b.executor : Objects.requireNonNull(ownedExecutor);
    this.ownedScheduler = b.scheduler == null ? DefaultExecutors.sessionScheduler() : null;
    ScheduledExecutorService scheduler =
        b.scheduler != null ? b.scheduler : Objects.requireNonNull(ownedScheduler);
    this.drivers =
        new Drivers(
            mesh,
            sessionLog,
            executor,
            scheduler,
            clock,
            leaseTtl,
            nodeId,
            ids,
            closed,
            new Hooks(b.callGates, b.outputGates, b.contexts));
    this.awaits = new Awaits(sessionLog, executor, scheduler, b.pollInterval);
    this.timers =
        new Timers(sessionLog, b.timerHandlers, clock, nodeId, leaseTtl, drivers::schedule);
    this.retention =
        b.retention == null ? null : new RetentionSweep(sessionLog, b.retention, clock);
    // A sweep that runs for retention alone only purges; one set, or needed by timers, recovers.
    this.recoverOnSweep = b.sweepInterval != null || timers.any();
    Duration every = b.sweepInterval;
    if (every == null && timers.any()) {
      every = Timers.DEFAULT_SWEEP;
    }
    if (every == null && b.retention != null) {
      every = b.retention.checkEvery();
    }
    this.sweepEvery = every;
    this.scheduler = scheduler;
  }

  /** Starts the periodic sweep, if one is set; after the extensions were bound. */
  private void startSweep() {
    Duration every = sweepEvery;
    if (every != null && !closed.get()) {
      long millis = every.toMillis();
      this.sweep =
          scheduler.scheduleWithFixedDelay(
              this::sweepQuietly, millis, millis, TimeUnit.MILLISECONDS);
      if (closed.get()) {
        sweep.cancel(false); // closed meanwhile
      }
    }
  }

  /**
   * A builder of sessions over {@code mesh}.
   *
   * @param mesh the mesh whose agents the sessions run
   * @return a new builder
   */
  public static Builder builder(Mesh mesh) {
    return new Builder(mesh);
  }

  /**
   * A builder with this instance's settings (mesh, store, executor, scheduler, clock, ...), to make
   * another instance like it, say with another node id. The two share the store (also the in-memory
   * one this instance made), and the executor and scheduler only when they were given to the
   * builder.
   *
   * @return a new builder with this instance's settings
   */
  public Builder newBuilder() {
    return settings.copy();
  }

  /**
   * Starts describing a new session whose default agent is {@code agent}.
   *
   * @param agent the name of an agent in the mesh
   * @return a description to fill in and {@link NewSession#start() start}
   */
  public NewSession newSession(String agent) {
    return new NewSession(agent);
  }

  /**
   * A new session id from this instance's id source ({@link Builder#ids}), for a caller that must
   * name a session before starting it, such as a trigger whose claim row records the session it
   * starts: pass it to {@link NewSession#id}.
   *
   * <pre>{@code
   * String id = sessions.newId();
   * sessions.newSession("digest").id(id).input(input).rows(claimNaming(id)).start();
   * }</pre>
   *
   * @return a fresh id
   */
  public String newId() {
    return ids.get();
  }

  /**
   * The store these sessions live in, for modules that keep their own rows beside them (trigger
   * claims, pending reviews), read and written through its row methods.
   *
   * @return the store
   */
  public SessionStore store() {
    return sessionLog.store();
  }

  /**
   * Starts many sessions at once, each created once: its first event, its {@link
   * NewSession#idempotencyKey idempotency key} and its {@link NewSession#rows rows} stored in one
   * transaction, the whole batch through one {@link SessionStore#createAll} (set-based on
   * PostgreSQL and SQLite). A start whose key is taken, by an earlier start or a racing node,
   * creates nothing and the others go on. Used by triggers to claim many occurrences at once.
   *
   * <pre>{@code
   * List<StartOutcome> outcomes = sessions.startAll(List.of(
   *     sessions.newSession("digest").input(a).idempotencyKey("cron:digest@2026-03-02T08:00:00Z"),
   *     sessions.newSession("digest").input(b).idempotencyKey("cron:digest@2026-03-02T09:00:00Z")));
   * }</pre>
   *
   * @param starts the sessions to start, described as for {@link NewSession#start()}
   * @return one outcome per start, in order
   * @throws java.util.NoSuchElementException if the mesh has no such agent
   * @throws IllegalArgumentException if a start has no input, or two starts share an id or a key
   */
  public List<StartOutcome> startAll(List<NewSession> starts) {
    return BatchStart.run(this, sessionLog, starts.stream().map(NewSession::item).toList());
  }

  /**
   * {@link Session#record} in many sessions at once: for each of {@code sessionIds}, {@code decide}
   * chooses the recording given that session's current state, and the appends of all of them go to
   * the store in one {@link dev.agentmesh.sessions.spi.SessionStore#appendAll appendAll} call (on
   * PostgreSQL one transaction); the states it needs and this node has not cached are read in one
   * {@link dev.agentmesh.sessions.spi.SessionStore#loadAll loadAll} call. Each session's append is
   * checked against its own version as a single {@code record} is; one another writer moved on is
   * decided again alone against the newer state (so {@code decide} may be called more than once per
   * session: it must only compute). Then each session is driven as after {@link Session#record}. A
   * session whose {@code decide} throws, that does not exist, or whose append is refused otherwise,
   * is reported with the exception and the others are recorded.
   *
   * <pre>{@code
   * List<RecordOutcome> out =
   *     sessions.recordAll(ids, state -> Recording.of(new SessionEvent.Custom(now, "x.done", data)));
   * }</pre>
   *
   * @param sessionIds the sessions, each at most once
   * @param decide chooses the recording of one session given its state; {@link Recording#none()}
   *     appends nothing to it
   * @return one outcome per session, in order
   * @throws IllegalArgumentException if a session is named twice, or two recordings write one row
   */
  public List<RecordOutcome> recordAll(
      List<String> sessionIds, java.util.function.Function<SessionState, Recording> decide) {
    Objects.requireNonNull(decide, "decide");
    if (new java.util.HashSet<>(sessionIds).size() != sessionIds.size()) {
      throw new IllegalArgumentException(
          "recordAll records once per session but a session is named twice in " + sessionIds);
    }
    List<RecordOutcome> out = new ArrayList<>(sessionIds.size());
    for (FoldedLogs.Recorded r :
        sessionLog.recordAll(
            sessionIds,
            s -> {
              Session.requireExists(s);
              return Objects.requireNonNull(
                  decide.apply(s.snapshot()),
                  "the decision of sessions.recordAll returned null; return Recording.none()");
            })) {
      SessionFold after = r.state();
      if (after == null) {
        out.add(new RecordOutcome(r.id(), null, r.failure()));
        continue;
      }
      if (after.runnable()) {
        drive(r.id());
      }
      out.add(new RecordOutcome(r.id(), after.snapshot(), null));
    }
    return out;
  }

  /**
   * The whole logs of many sessions, read in one {@link
   * dev.agentmesh.sessions.spi.SessionStore#loadAll loadAll} call (instead of one {@link
   * Session#history()} each); each session's state is cached as a read of it would be. An unknown
   * session has an empty log.
   *
   * <pre>{@code
   * Map<String, List<LoggedEvent>> logs = sessions.histories(List.of("s-1", "s-2"));
   * }</pre>
   *
   * @param sessionIds the sessions to read
   * @return each session's events, in version order, keyed by session id
   */
  public Map<String, List<LoggedEvent>> histories(java.util.Collection<String> sessionIds) {
    Objects.requireNonNull(sessionIds, "sessionIds");
    return sessionLog.histories(sessionIds);
  }

  /**
   * The session {@code sessionId}.
   *
   * @param sessionId the session's id
   * @return the session
   * @throws SessionNotFoundException if there is no such session
   * @throws IllegalArgumentException if {@code sessionId} is blank or holds U+0000, which no
   *     session's id can
   */
  public Session session(String sessionId) {
    return find(sessionId).orElseThrow(() -> notFound(sessionId));
  }

  /**
   * The session {@code sessionId}, if it exists.
   *
   * @param sessionId the session's id
   * @return the session, or empty if there is no such session
   * @throws IllegalArgumentException if {@code sessionId} is blank or holds U+0000, which no
   *     session's id can
   */
  public Optional<Session> find(String sessionId) {
    Objects.requireNonNull(sessionId, "sessionId");
    return sessionLog.latest(sessionId).exists()
        ? Optional.of(new Session(this, sessionLog, sessionId))
        : Optional.empty();
  }

  /**
   * One page of sessions by status, agent, participant, origin and creation time.
   *
   * @param query the filters, page size and cursor
   * @return the matching sessions and the cursor of the next page
   */
  public SessionPage query(SessionQuery query) {
    return sessionLog.store().query(query);
  }

  /**
   * Claims every orphaned session: runnable sessions whose lease expired (their driver died) or
   * that nobody drives, and drives them here. The periodic sweep (see {@link
   * Builder#sweepInterval}) claims them a batch at a time; call this after a restart, or in tests
   * with a fake clock.
   *
   * @return how many sessions this node claimed in all
   */
  public int recoverOrphans() {
    int total = 0;
    for (int n = recoverOrphans(ORPHAN_BATCH); n > 0; n = recoverOrphans(ORPHAN_BATCH)) {
      total += n;
    }
    return total;
  }

  /**
   * Claims at most {@code max} orphaned sessions (as {@link #recoverOrphans()}) and drives them
   * here; what is left stays for the next call or another node.
   *
   * @param max the most sessions to claim
   * @return how many sessions this node claimed
   * @throws IllegalArgumentException if {@code max} is not positive
   */
  public int recoverOrphans(int max) {
    if (max < 1) {
      throw new IllegalArgumentException("max must be at least 1 but was " + max);
    }
    if (closed.get()) {
      return 0;
    }
    List<String> claimed = sessionLog.store().claim(nodeId, clock.instant(), leaseTtl, max);
    claimed.forEach(drivers::schedule);
    return claimed.size();
  }

  /**
   * Fires the durable timers due by this instance's clock ({@link Session#schedule}) that no live
   * claim of another node holds, at most 100 a call: each once across all nodes, with its {@link
   * SessionEvent.TimerFired} and its handler's events. The sweep calls this (every second once a
   * {@link Builder#timer timer handler} is registered); tests call it with a fake clock.
   *
   * @return how many timers this node fired
   */
  public int fireDueTimers() {
    return closed.get() ? 0 : timers.fireDue();
  }

  /**
   * Drives a quarantined session again, after an operator repaired the event row that could not be
   * decoded (or upgraded this release). Reads the whole log afresh, without any cache: when it
   * decodes, the quarantine is cleared and the session continues; when it still does not, the
   * quarantine's reason is updated and the {@link SessionDecodeException} is thrown. Find
   * quarantined sessions with {@code query(SessionQuery.builder().quarantined(true).build())}.
   *
   * @param sessionId the quarantined session
   * @return the session's state, now driven again
   * @throws SessionDecodeException if an event still cannot be decoded; it names the event
   * @throws SessionNotFoundException if there is no such session
   */
  public SessionState retryQuarantined(String sessionId) {
    sessionLog.forget(sessionId);
    sessionLog.store().releaseQuarantine(sessionId); // also drops a caching store's copy
    SessionFold state;
    try {
      state = sessionLog.current(sessionId);
    } catch (SessionDecodeException stillBroken) {
      sessionLog.store().quarantine(sessionId, String.valueOf(stillBroken.getMessage()));
      throw stillBroken;
    }
    Session.requireExists(state);
    drive(sessionId);
    return state.snapshot();
  }

  // ---- retention -----------------------------------------------------------------------------

  /**
   * Erases a session, for an erasure request: its whole log, summary and lease are deleted from the
   * store, whatever its status, and dropped from this instance's cache. A turn running it stops at
   * its next append (which the store refuses); commands on it afterwards find no session. Forks and
   * child sessions are separate sessions (their summaries name this one in {@code forkedFrom} or
   * {@code origin}): erase them too when they hold the same data. The id is not remembered: a
   * session created later with the same id is a new session.
   *
   * @param sessionId the session to erase
   * @return true if the session existed
   * @throws IllegalArgumentException if the id is blank
   */
  public boolean delete(String sessionId) {
    boolean existed = sessionLog.store().delete(sessionId);
    sessionLog.forget(sessionId);
    return existed;
  }

  /**
   * Applies the {@link Builder#retention retention} policy now, whatever its interval: purges
   * (archiving first, when the policy says so) every finished session older than its window. The
   * periodic sweep calls this at most once per {@link Retention#checkEvery}.
   *
   * @return how many sessions were deleted
   * @throws IllegalStateException if no retention policy was set
   */
  public int purge() {
    if (retention == null) {
      throw new IllegalStateException(
          "No retention policy is set, so nothing is purged; set "
              + "one with Sessions.builder(mesh).retention(Retention.purgeFinishedAfter(...))");
    }
    return retention.run();
  }

  /**
   * This node's name in leases.
   *
   * @return the node id given to the builder, or the random one
   */
  public String nodeId() {
    return nodeId;
  }

  /**
   * Stops the sweep, ends its change feed subscription and polling (awaits after this see only what
   * this instance folds), waits (at most the lease TTL) for running turns to stop after their
   * current step and release their leases, so another node can continue those sessions at once,
   * then shuts down the executor and scheduler this instance made. A turn still in a model or tool
   * call after that keeps its lease until it expires. Called from inside a turn, it does not wait
   * for that turn.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    ScheduledFuture<?> running = sweep;
    if (running != null) {
      running.cancel(false);
    }
    awaits.close();
    try {
      if (!drivers.awaitIdle(leaseTtl)) {
        org.slf4j.LoggerFactory.getLogger(Sessions.class)
            .warn(
                "Closing {}: turns still run "
                    + "after {}; their sessions continue elsewhere when their leases expire",
                nodeId,
                leaseTtl);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (ownedScheduler != null) {
      ownedScheduler.shutdownNow();
    }
    if (ownedExecutor != null) {
      ownedExecutor.shutdown();
    }
  }

  @Override
  public String toString() {
    return "Sessions{node=" + nodeId + ", store=" + sessionLog.store() + "}";
  }

  /**
   * The mesh these sessions run agents of, for modules that check an input before they start a
   * session (a webhook answering 400 rather than starting a run that fails).
   *
   * @return the mesh given to the builder
   */
  public Mesh mesh() {
    return mesh;
  }

  Clock clock() {
    return clock;
  }

  Timers timers() {
    return timers;
  }

  /** Schedules a turn of {@code id} here (a no-op when nothing is due or it runs already). */
  void drive(String id) {
    drivers.schedule(id);
  }

  Session fork(String sessionId, long atVersion) {
    List<StoredEvent> all = sessionLog.store().load(sessionId, 0);
    if (all.isEmpty()) {
      throw notFound(sessionId);
    }
    if (atVersion < 1 || atVersion > all.size()) {
      throw new IllegalArgumentException(
          "Cannot fork session '"
              + sessionId
              + "' at version "
              + atVersion
              + ": its versions are 1 to "
              + all.size());
    }
    String forkId = ids.get();
    Forks.Fork fork =
        Forks.of(sessionLog.codec(), sessionId, all, atVersion, forkId, clock.instant());
    List<RowWrite> rows = new java.util.ArrayList<>();
    for (ForkRows f : forkRows) {
      rows.addAll(f.rows(forkId, fork.decoded()));
    }
    sessionLog.create(forkId, fork.events(), fork.fold(), rows);
    drive(forkId);
    return new Session(this, sessionLog, forkId);
  }

  /** What sessions' futures and awaits wait through. */
  Awaits awaits() {
    return awaits;
  }

  private void sweepQuietly() {
    try {
      if (recoverOnSweep) {
        recoverOrphans(ORPHAN_BATCH);
      }
      fireDueTimers();
      if (retention != null && !closed.get()) {
        retention.runIfDue();
      }
    } catch (RuntimeException e) {
      org.slf4j.LoggerFactory.getLogger(Sessions.class)
          .warn("Session sweep failed; retrying " + "later", e);
    }
  }

  private Session startNew(NewSession n) {
    mesh.agent(n.agent);
    if (n.input == null) {
      throw new IllegalArgumentException(
          "A session of agent '"
              + n.agent
              + "' needs an input: sessions.newSession(\""
              + n.agent
              + "\").input(...).start()");
    }
    String id = n.id != null ? n.id : ids.get();
    SessionEvent created =
        new SessionEvent.Created(clock.instant(), n.agent, n.input, n.origin, n.participants);
    List<RowWrite> once = List.of();
    if (n.idempotencyKey != null) {
      Optional<String> existing = CreateOnce.find(sessionLog.store(), n.idempotencyKey);
      if (existing.isPresent()) {
        return new Session(this, sessionLog, existing.get());
      }
      once = List.of(CreateOnce.claim(n.idempotencyKey, id, n.agent, clock.instant()));
    }
    List<RowWrite> rows = n.rows.isEmpty() ? once : concat(once, n.rows);
    // The session is created with this node's lease (one commit, not two): this node drives it.
    dev.agentmesh.sessions.spi.@Nullable Lease[] lease = {null};
    sessionLog.hold(id); // from its creation until its drive holds it (see FoldedLogs.held)
    try {
      try {
        sessionLog.recordNew(
            id,
            s -> {
              if (s.exists()) {
                throw new IllegalStateException(
                    "Session '"
                        + id
                        + "' already exists at version "
                        + s.version()
                        + "; choose another id, or leave it unset for a generated one");
              }
              return Recording.runtime(List.of(created)).withRows(rows);
            },
            (append, after) -> {
              Append leased = append.leasedTo(nodeId, clock.instant().plus(leaseTtl));
              lease[0] = leased.grantedLease();
              return leased;
            });
      } catch (RowConflictException taken) {
        boolean own = n.rows.stream().anyMatch(w -> w.key().equals(taken.key()));
        return new Session(
            this,
            sessionLog,
            own && taken.existingSessionId() != null
                ? taken.existingSessionId()
                : CreateOnce.winner(taken, n.idempotencyKey));
      }
      drivers.schedule(id, Objects.requireNonNull(lease[0]));
      return new Session(this, sessionLog, id);
    } finally {
      sessionLog.release(id);
    }
  }

  private static List<RowWrite> concat(List<RowWrite> a, List<RowWrite> b) {
    List<RowWrite> all = new java.util.ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  static SessionNotFoundException notFound(String id) {
    return new SessionNotFoundException(
        id,
        "the store",
        "list sessions with "
            + "sessions.query(SessionQuery.builder().build()), or find(id) to check first");
  }

  static JsonNode toJson(Object value) {
    Objects.requireNonNull(value, "value");
    if (value instanceof JsonNode) {
      return (JsonNode) value;
    }
    if (value instanceof CharSequence) {
      return JsonNodeFactory.instance.stringNode(value.toString());
    }
    return EventCodec.MAPPER.valueToTree(value);
  }

  /** Refuses a mesh whose agents ask for a review nothing enforces yet, naming every one. */
  private static void refuseUnenforcedReview(Mesh mesh) {
    List<AgentSpec> required = mesh.specs().stream().filter(s -> s.review().required()).toList();
    if (required.isEmpty()) {
      return;
    }
    AgentSpec spec = required.get(0);
    String others =
        required.stream()
            .skip(1)
            .map(Sessions::named)
            .collect(java.util.stream.Collectors.joining(", "));
    throw new IllegalStateException(
        "Agent "
            + named(spec)
            + " declares review.required: true, but nothing reads review policies until "
            + "agentmesh-review is bound to these sessions, so its output would take effect "
            + "unreviewed. Install the review module (Sessions.builder(mesh).extension("
            + "Reviews.builder()...build()), from agentmesh-review), or set review.required: false in its spec to run it in sessions "
            + "without review, or call the agent statelessly (mesh.agent(\""
            + spec.name()
            + "\").call(input)), which sessions do not govern"
            + (others.isEmpty() ? "" : ". Agents that declare it too: " + others));
  }

  private static String named(AgentSpec spec) {
    return "'" + spec.name() + "'" + (spec.source() == null ? "" : " (" + spec.source() + ")");
  }

  /**
   * Describes a new session; {@link #start()} appends its first event and schedules its first turn.
   * Not thread-safe; {@code start()} may be called once per id.
   *
   * <pre>{@code
   * Session session = sessions.newSession("triage").input(ticket)
   *     .origin(Origin.human("ana")).participant("ana", ParticipantRole.OWNER).start();
   * }</pre>
   */
  public final class NewSession {
    private final String agent;
    private @Nullable JsonNode input;
    private Origin origin = Origin.api("unspecified");
    private final Map<String, ParticipantRole> participants = new LinkedHashMap<>();
    private @Nullable String id;
    private @Nullable String idempotencyKey;
    private List<RowWrite> rows = List.of();

    private NewSession(String agent) {
      this.agent = Objects.requireNonNull(agent, "agent");
    }

    /**
     * The input of the first turn: a record, a map, a JsonNode, or text.
     *
     * @param input the input of the first turn
     * @return this description
     */
    public NewSession input(Object input) {
      this.input = toJson(input);
      return this;
    }

    /**
     * What started the session (default: {@code Origin.api("unspecified")}), such as {@code
     * Origin.human("ana")} or {@code Origin.cron("daily", scheduledAt)}.
     *
     * @param origin what started the session
     * @return this description
     */
    public NewSession origin(Origin origin) {
      this.origin = Objects.requireNonNull(origin, "origin");
      return this;
    }

    /**
     * A participant and their role.
     *
     * @param name the participant's name
     * @param role what the participant may do
     * @return this description
     */
    public NewSession participant(String name, ParticipantRole role) {
      participants.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(role, "role"));
      return this;
    }

    /**
     * The session's id (default: generated).
     *
     * @param id the id of the new session
     * @return this description
     * @throws IllegalArgumentException if {@code id} is blank or holds U+0000
     */
    public NewSession id(String id) {
      if (Objects.requireNonNull(id, "id").isBlank() || id.indexOf('\0') >= 0) {
        throw new IllegalArgumentException(
            "id must name the new session, without U+0000, but "
                + "was '"
                + id.replace("\0", "\\0")
                + "'; leave it unset for a generated one");
      }
      this.id = id;
      return this;
    }

    /**
     * Creates the session at most once per {@code key} (a cron occurrence, a webhook delivery id, a
     * broker message id): when a session was already started under the key, by this or any node
     * sharing the store, {@link #start()} returns that session and creates nothing. The key is
     * stored with the session's first event in one transaction, so of racing starts exactly one
     * creates a session.
     *
     * @param key the idempotency key: non-blank, at most 512 characters, without U+0000
     * @return this description
     * @throws IllegalArgumentException if the key is blank or too long
     */
    public NewSession idempotencyKey(String key) {
      this.idempotencyKey = CreateOnce.checkKey(key);
      return this;
    }

    /**
     * Rows of another module stored in the same transaction as the session's first event, such as a
     * trigger's occurrence claim: inserts (refused if the key exists) and deletes. When an insert
     * finds its key taken, nothing is created: {@link #start()} returns the session its row names
     * (or throws the {@link RowConflictException} when it names none), {@link Sessions#startAll}
     * skips this start.
     *
     * @param writes the row writes, inserts or deletes
     * @return this description
     * @throws IllegalArgumentException if a write is an upsert or a conditional delete
     */
    public NewSession rows(RowWrite... writes) {
      for (RowWrite w : writes) {
        if (w.kind() != RowWrite.Kind.INSERT && w.kind() != RowWrite.Kind.DELETE) {
          throw new IllegalArgumentException(
              "A new session's rows are inserts or deletes but got " + w);
        }
      }
      this.rows = RowWrite.checked(List.of(writes));
      return this;
    }

    /** This start, ready to store (for {@link Sessions#startAll}). */
    BatchStart.Item item() {
      mesh.agent(agent);
      if (input == null) {
        throw new IllegalArgumentException(
            "A session of agent '"
                + agent
                + "' needs an input: newSession(\""
                + agent
                + "\").input(...)");
      }
      String sid = id != null ? id : ids.get();
      List<RowWrite> writes = rows;
      if (idempotencyKey != null) {
        writes =
            concat(List.of(CreateOnce.claim(idempotencyKey, sid, agent, clock.instant())), rows);
      }
      return new BatchStart.Item(
          sid,
          new SessionEvent.Created(clock.instant(), agent, input, origin, participants),
          writes);
    }

    /**
     * Creates the session and schedules its first turn; with an {@link #idempotencyKey idempotency
     * key} already used, returns the session started under it and creates nothing.
     *
     * @return the new session, running
     * @throws java.util.NoSuchElementException if the mesh has no such agent
     * @throws IllegalArgumentException if no input was given
     * @throws IllegalStateException if a session with the given id exists already
     */
    public Session start() {
      return startNew(this);
    }
  }

  /** Builds {@link Sessions}. Not thread-safe; {@link #build()} may be called again. */
  public static final class Builder {
    private final Mesh mesh;
    private @Nullable SessionStore store;
    private @Nullable Executor executor;
    private @Nullable ScheduledExecutorService scheduler;
    private @Nullable Duration sweepInterval;
    private @Nullable Clock clock;
    private Duration leaseTtl = Duration.ofSeconds(30);
    private @Nullable String nodeId;
    private @Nullable Supplier<String> ids;
    private long maxCachedSessions = 10_000;
    private final Map<String, TimerHandler> timerHandlers = new LinkedHashMap<>();
    private Duration pollInterval = Duration.ofSeconds(1);
    private @Nullable Retention retention;
    private final List<CallGate> callGates = new java.util.ArrayList<>();
    private final List<OutputGate> outputGates = new java.util.ArrayList<>();
    private final List<TurnContext> contexts = new java.util.ArrayList<>();
    private final List<ForkRows> forkRows = new java.util.ArrayList<>();
    private final List<SessionsExtension> extensions = new java.util.ArrayList<>();
    private boolean reviewBound;

    private Builder(Mesh mesh) {
      this.mesh = Objects.requireNonNull(mesh, "mesh");
    }

    private Builder copy() {
      Builder b = new Builder(mesh);
      b.store = store;
      b.executor = executor;
      b.scheduler = scheduler;
      b.sweepInterval = sweepInterval;
      b.clock = clock;
      b.leaseTtl = leaseTtl;
      b.nodeId = nodeId;
      b.ids = ids;
      b.maxCachedSessions = maxCachedSessions;
      b.timerHandlers.putAll(timerHandlers);
      b.pollInterval = pollInterval;
      b.retention = retention;
      b.callGates.addAll(callGates);
      b.outputGates.addAll(outputGates);
      b.contexts.addAll(contexts);
      b.forkRows.addAll(forkRows);
      b.extensions.addAll(extensions);
      b.reviewBound = reviewBound;
      return b;
    }

    /**
     * Where sessions live (default: an {@link InMemorySessionStore}).
     *
     * @param store the store of the sessions' logs
     * @return this builder
     */
    public Builder store(SessionStore store) {
      this.store = Objects.requireNonNull(store, "store");
      return this;
    }

    /**
     * Runs turns (default: virtual threads on JDK 21+, else a pool of up to 1,024 daemon threads,
     * made on demand and ended after a minute idle). A turn holds its thread while it waits on its
     * model, so on JDK 17 the pool's size is how many sessions wait on models at once; later turns
     * queue. For more, pass a larger pool (each waiting turn holds one thread and, with an HTTP
     * model, one socket):
     *
     * <pre>{@code
     * ExecutorService turns = Executors.newFixedThreadPool(4_000); // JDK 17: 4,000 turns at once
     * Sessions many = Sessions.builder(mesh).executor(turns).build();
     * }</pre>
     *
     * <p>To bound the calls a burst makes to a provider instead, limit the model alias in the mesh
     * ({@link Mesh.Builder#modelConcurrency}). Sessions do not shut down an executor passed here.
     *
     * @param executor the executor of turns
     * @return this builder
     */
    public Builder executor(Executor executor) {
      this.executor = Objects.requireNonNull(executor, "executor");
      return this;
    }

    /**
     * Renews the leases of sessions this instance drives (one task looking at them every sixth of
     * the lease TTL, renewing each one a third of its TTL old), runs the sweep, and polls for
     * awaits while the store cannot tell about changes (see {@link #pollInterval}) (default: one
     * daemon thread). Sessions do not shut down a scheduler passed here.
     *
     * @param scheduler the scheduler of lease renewals and the sweep
     * @return this builder
     */
    public Builder scheduler(ScheduledExecutorService scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
      return this;
    }

    /**
     * How often to claim a batch of orphaned sessions (see {@link Sessions#recoverOrphans()}),
     * whose driver died, and fire due timers ({@link Sessions#fireDueTimers()}) (default: never;
     * every second once a {@link #timer timer handler} is registered).
     *
     * @param interval the time between sweeps
     * @return this builder
     */
    public Builder sweepInterval(Duration interval) {
      if (interval.isNegative() || interval.isZero()) {
        throw new IllegalArgumentException("sweepInterval must be positive but was " + interval);
      }
      this.sweepInterval = interval;
      return this;
    }

    /**
     * How often awaits re-read the store for progress made by another node, when the store has no
     * change feed ({@link SessionStore#supportsChanges()}: SQLite) or its feed is down (PostgreSQL
     * while its listening connection is lost): one task on the {@link #scheduler scheduler}
     * re-reads each session someone awaits (default: 1 s). With a live feed nothing polls; progress
     * this instance makes completes awaits at once either way.
     *
     * @param interval the time between re-reads while the store cannot tell about changes
     * @return this builder
     */
    public Builder pollInterval(Duration interval) {
      Objects.requireNonNull(interval, "interval");
      if (interval.toMillis() < 1) {
        throw new IllegalArgumentException("pollInterval must be at least 1ms but was " + interval);
      }
      this.pollInterval = interval;
      return this;
    }

    /**
     * Stamps session events and leases (default: the mesh's clock).
     *
     * @param clock the clock of events and leases
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * How long a lease lasts without renewal; a dead driver's sessions wait this long.
     *
     * @param ttl the lease's time to live
     * @return this builder
     */
    public Builder leaseTtl(Duration ttl) {
      if (ttl.compareTo(Duration.ofMillis(100)) < 0) {
        throw new IllegalArgumentException("leaseTtl must be at least 100ms but was " + ttl);
      }
      this.leaseTtl = ttl;
      return this;
    }

    /**
     * This process's name in leases (default: random); unique per running instance.
     *
     * @param nodeId this process's name in leases
     * @return this builder
     */
    public Builder nodeId(String nodeId) {
      if (Objects.requireNonNull(nodeId, "nodeId").isBlank()) {
        throw new IllegalArgumentException("nodeId must not be blank");
      }
      this.nodeId = nodeId;
      return this;
    }

    /**
     * Makes session and run ids (default: time-ordered UUIDs, version 7 of RFC 9562, whose first
     * bits are the {@link #clock clock}'s milliseconds and the rest random: they keep the stores'
     * indexes appending at their end instead of touching a random page per new session).
     *
     * @param ids the source of new ids
     * @return this builder
     */
    public Builder ids(Supplier<String> ids) {
      this.ids = Objects.requireNonNull(ids, "ids");
      return this;
    }

    /**
     * How many sessions' folded state to keep in memory (default 10,000), besides the sessions this
     * instance is starting, has a drive queued or running for, or that someone awaits (a {@code
     * finished()} or {@code idle()} future not yet complete): those are kept until that ends,
     * however many, since every step reads their state (a burst of new sessions would otherwise
     * lose its place in the cache to older, often-read ones, and fold its logs again from the store
     * at every step). Beyond the bound, the least useful states are dropped and read again from the
     * store when needed.
     *
     * @param max the most sessions kept folded in memory
     * @return this builder
     */
    public Builder maxCachedSessions(long max) {
      if (max < 1) {
        throw new IllegalArgumentException("maxCachedSessions must be at least 1 but was " + max);
      }
      this.maxCachedSessions = max;
      return this;
    }

    /**
     * Fires durable timers of {@code kind} ({@link Session#schedule}) with {@code handler}. Every
     * node that should fire them registers the same handlers; with any handler registered the sweep
     * runs every second unless {@link #sweepInterval} says otherwise.
     *
     * @param kind the timers' kind, such as {@code review.expiry}
     * @param handler chooses the events a firing adds; see {@link TimerHandler}'s contract
     * @return this builder
     * @throws IllegalArgumentException if the kind is blank
     */
    public Builder timer(String kind, TimerHandler handler) {
      if (Objects.requireNonNull(kind, "kind").isBlank()) {
        throw new IllegalArgumentException(
            "timer kind must not be blank; name it, such as 'review.expiry'");
      }
      timerHandlers.put(kind, Objects.requireNonNull(handler, "handler"));
      return this;
    }

    /**
     * How long finished sessions are kept (default: forever). The periodic sweep applies it at most
     * once per {@link Retention#checkEvery}; without a {@link #sweepInterval} or a {@link #timer
     * timer handler}, the sweep runs at that interval and only purges.
     *
     * @param retention the policy
     * @return this builder
     */
    public Builder retention(Retention retention) {
      this.retention = Objects.requireNonNull(retention, "retention");
      return this;
    }

    /**
     * Adds a gate of tool calls that take their result from outside the run (default: none): the
     * run stops before such a call runs, the session waits with a {@link
     * SessionState.SuspendedCall}, and {@link Session#completeCall}, {@link Session#failCall} or
     * {@link Session#releaseCall} ends the wait, on any node. Gates added by several calls (or
     * extensions) are asked in order; the first that suspends a call wins. See {@link CallGate} and
     * docs/sessions.md, "Suspend on an outside result".
     *
     * @param gate decides, per call, whether it waits and why
     * @return this builder
     */
    public Builder suspendCalls(CallGate gate) {
      callGates.add(Objects.requireNonNull(gate, "gate"));
      return this;
    }

    /**
     * Adds a gate that may hold an agent's output instead of completing the session (review). Gates
     * are asked in the order added; the first that holds wins. See {@link OutputGate}.
     *
     * <pre>{@code
     * Sessions.builder(mesh).outputGate((state, agent, output) -> Optional.empty()).build();
     * }</pre>
     *
     * @param gate asked when a run's output would complete the session
     * @return this builder
     */
    public Builder outputGate(OutputGate gate) {
      outputGates.add(Objects.requireNonNull(gate, "gate"));
      return this;
    }

    /**
     * Adds text to the system prompt of each turn of the sessions' agents, recorded in the log. The
     * texts of several contexts concatenate in the order added. See {@link TurnContext}.
     *
     * <pre>{@code
     * Sessions.builder(mesh).context((state, agent) -> Optional.of("Cite invoice numbers.")).build();
     * }</pre>
     *
     * @param context asked before each turn of an agent starts
     * @return this builder
     */
    public Builder context(TurnContext context) {
      contexts.add(Objects.requireNonNull(context, "context"));
      return this;
    }

    /**
     * Adds rows to every new fork's creating append: a module's index of what the fork copied (the
     * review module lists a copied pending review in the queue). See {@link ForkRows}.
     *
     * <pre>{@code
     * Sessions.builder(mesh).forkRows((forkId, events) -> List.of()).build();
     * }</pre>
     *
     * @param rows asked once per fork, before it is stored
     * @return this builder
     */
    public Builder forkRows(ForkRows rows) {
      forkRows.add(Objects.requireNonNull(rows, "rows"));
      return this;
    }

    /**
     * Installs a module: calls its {@link SessionsExtension#configure configure} with this builder
     * now, and its {@link SessionsExtension#bind bind} with each instance {@link #build()} makes.
     *
     * <pre>{@code
     * Sessions sessions = Sessions.builder(mesh).extension(reviews).build();
     * }</pre>
     *
     * @param extension the module
     * @return this builder
     */
    public Builder extension(SessionsExtension extension) {
      Objects.requireNonNull(extension, "extension");
      extension.configure(this);
      extensions.add(extension);
      return this;
    }

    /**
     * Says that a gate installed here enforces the agents' review policies (the review module's
     * extension calls it from {@code configure}), so {@link #build()} no longer refuses agents that
     * declare {@code review.required: true}. Call it only from a module that reads those policies.
     *
     * @return this builder
     */
    public Builder reviewBound() {
      this.reviewBound = true;
      return this;
    }

    /**
     * Suspends every call of the named tools ({@link CallGate#tools}): their results come from
     * outside the run.
     *
     * @param tools the tools whose results come from outside
     * @return this builder
     * @throws IllegalArgumentException if no tool is named, or a name is blank
     */
    public Builder suspendCalls(String... tools) {
      return suspendCalls(CallGate.tools(tools));
    }

    /**
     * Sessions over the mesh with what was set: binds each {@link #extension extension} to the new
     * instance, then starts the sweep when one is due.
     *
     * @return new sessions; close them when done
     * @throws IllegalStateException if an agent of the mesh declares {@code review.required: true}
     *     and no extension said it enforces review ({@link #reviewBound()}); the message names
     *     every such agent, its spec file, and how to proceed
     * @throws RuntimeException what an extension's {@link SessionsExtension#bind bind} threw; the
     *     new instance is closed
     */
    public Sessions build() {
      if (!reviewBound) {
        refuseUnenforcedReview(mesh);
      }
      Sessions sessions = new Sessions(this);
      try {
        for (SessionsExtension extension : extensions) {
          extension.bind(sessions);
        }
      } catch (RuntimeException | Error e) {
        sessions.close();
        throw e;
      }
      sessions.startSweep();
      return sessions;
    }
  }
}
