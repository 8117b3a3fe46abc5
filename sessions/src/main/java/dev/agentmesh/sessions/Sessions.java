package dev.agentmesh.sessions;

import dev.agentmesh.core.Mesh;
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
import java.util.NoSuchElementException;
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
 * Sessions over a {@link Mesh}: the entry point of {@code agentmesh-sessions}. A session is an
 * append-only event log in a {@link SessionStore}; this class starts sessions, posts messages,
 * runs agent turns on an executor, and recovers sessions whose driver died.
 *
 * <pre>{@code
 * Sessions sessions = Sessions.builder(mesh).store(SqliteSessionStore.open(Path.of("agentmesh.db"))).build();
 * SessionHandle session = sessions.create("triage")
 *     .input("My invoice is wrong").trigger("human:ana")
 *     .participant("ana", ParticipantRole.OWNER).participant("bo", ParticipantRole.MEMBER)
 *     .start();
 * session.awaitCompletion(Duration.ofMinutes(1));
 * session.postTo("bo", "security-reviewer", "Is the attachment safe?").awaitCompletion(Duration.ofMinutes(1));
 * session.post("ana", "Thanks, now draft the reply").awaitCompletion(Duration.ofMinutes(1)); // triage again
 * }</pre>
 *
 * <h2>Guarantees</h2>
 * Every event is in the store before the next step starts; appends carry the expected version
 * and a conflicting append is decided again against the new state, so concurrent writers (threads
 * or processes on one store) never lose or duplicate an event. One process at a time drives a
 * session (its lease), and in this process one thread at a time. After a crash, {@link #tick()}
 * (or the periodic sweep) picks up sessions whose lease expired and continues them from the log;
 * a tool call that is not idempotent and whose result is missing is never repeated: the session
 * waits in {@link SessionStatus#WAITING} with an {@link SessionState.UnknownOutcome} until
 * {@link #resolveUnknownOutcome} or {@link #failUnknownOutcome}. A driver that was overtaken
 * (its lease passed to another node) cannot append any more: the store refuses its appends. A
 * session whose log cannot be decoded is quarantined, not retried, until
 * {@link #retryQuarantined}.
 *
 * <h2>Threading and errors</h2>
 * Immutable and thread-safe; share one instance. Methods that change a session append and
 * return at once; turns run on the executor. A refused change (unknown session, an observer
 * posting, no such wait) throws {@link IllegalArgumentException} or {@link IllegalStateException}
 * naming what was expected; a failing store throws
 * {@link dev.agentmesh.sessions.spi.SessionStoreException}. Close it to stop its sweep and the
 * executor it made; running turns stop after their current step, and {@link #close()} waits
 * for them (at most the lease TTL) so their leases are released.
 */
public final class Sessions implements AutoCloseable {

  private final Mesh mesh;
  private final SessionLog sessionLog;
  private final Drivers drivers;
  private final Clock clock;
  private final Supplier<String> ids;
  private final String nodeId;
  private final Duration leaseTtl;
  private final @Nullable ExecutorService ownedExecutor;
  private final @Nullable ScheduledExecutorService ownedScheduler;
  private final @Nullable ScheduledFuture<?> sweep;
  private final AtomicBoolean closed = new AtomicBoolean();

  private Sessions(Builder b) {
    this.mesh = b.mesh;
    this.clock = b.clock != null ? b.clock : mesh.clock();
    this.ids = b.ids;
    this.nodeId = b.nodeId != null ? b.nodeId : "node-" + UUID.randomUUID().toString().substring(0, 8);
    this.leaseTtl = b.leaseTtl;
    this.sessionLog = new SessionLog(b.store != null ? b.store : new InMemorySessionStore(),
        EventCodec.standard(), b.maxCachedSessions);
    this.ownedExecutor = b.executor == null ? DefaultExecutors.forSessions() : null;
    Executor executor = b.executor != null ? b.executor : ownedExecutor;
    this.ownedScheduler = b.scheduler == null ? DefaultExecutors.sweeper() : null;
    ScheduledExecutorService scheduler = b.scheduler != null ? b.scheduler : ownedScheduler;
    this.drivers = new Drivers(mesh, sessionLog, executor, scheduler, clock, leaseTtl, nodeId, ids, closed);
    if (b.sweepInterval != null) {
      long millis = b.sweepInterval.toMillis();
      this.sweep = scheduler.scheduleWithFixedDelay(this::sweepQuietly, millis, millis, TimeUnit.MILLISECONDS);
    } else {
      this.sweep = null;
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
   * Starts describing a new session whose default agent is {@code agent}.
   *
   * @param agent the name of an agent in the mesh
   * @return a description to fill in and {@link NewSession#start() start}
   */
  public NewSession create(String agent) {
    return new NewSession(agent);
  }

  /**
   * Starts a session of {@code agent} on {@code input}, recording {@code trigger}.
   *
   * @param agent the name of an agent in the mesh
   * @param input the input of the first turn: a record, a map, a JsonNode, or text
   * @param trigger what started the session, such as {@code human:ana}
   * @return a handle on the new session
   */
  public SessionHandle start(String agent, Object input, String trigger) {
    return create(agent).input(input).trigger(trigger).start();
  }

  /**
   * Posts {@code text} by participant {@code author}; the session's current agent answers.
   *
   * @param sessionId the session to post to
   * @param author a participant who may post
   * @param text the message
   * @return a handle whose completion is the answer's turn
   */
  public SessionHandle post(String sessionId, String author, String text) {
    return post(sessionId, author, text, null, false);
  }

  /**
   * Posts {@code text} by {@code author} for {@code agent} to answer, this message only; later
   * messages are answered by the session's default agent again.
   *
   * @param sessionId the session to post to
   * @param author a participant who may post
   * @param agent the name of the mesh agent that answers this message
   * @param text the message
   * @return a handle whose completion is the answer's turn
   */
  public SessionHandle postTo(String sessionId, String author, String agent, String text) {
    mesh.agent(agent);
    return post(sessionId, author, text, agent, false);
  }

  /**
   * Posts {@code text} written by an agent (say, one that ran elsewhere) into the session.
   *
   * @param sessionId the session to post to
   * @param agent the name of the agent that wrote it
   * @param text the message
   * @return a handle whose completion is the answer's turn
   */
  public SessionHandle postAsAgent(String sessionId, String agent, String text) {
    return post(sessionId, agent, text, null, true);
  }

  private SessionHandle post(String id, String author, String text, @Nullable String to,
      boolean fromAgent) {
    Objects.requireNonNull(author, "author");
    Objects.requireNonNull(text, "text");
    SessionFold after = sessionLog.append(id, s -> {
      requireOpen(s, "post to it");
      if (!fromAgent) {
        requirePoster(s, author);
      }
      return List.of(new SessionEvent.MessagePosted(clock.instant(), author, text, to, fromAgent));
    });
    return kickAndHandle(id, after.version());
  }

  /**
   * Adds {@code participant} with {@code role}, or changes their role.
   *
   * @param sessionId the session to join
   * @param participant the participant's name
   * @param role what the participant may do
   * @return the state after the change
   */
  public SessionState join(String sessionId, String participant, ParticipantRole role) {
    return sessionLog.append(sessionId, s -> {
      requireOpen(s, "join it");
      return role == s.participants().get(participant) ? List.of()
          : List.of(new SessionEvent.ParticipantJoined(clock.instant(), participant, role));
    }).snapshot();
  }

  /**
   * Pauses the session: a running turn stops after its current step. Pausing twice is a no-op.
   *
   * @param sessionId the session to pause
   * @param by who pauses it, kept in the log
   * @return the state after the pause
   */
  public SessionState pause(String sessionId, String by) {
    return sessionLog.append(sessionId, s -> {
      requireOpen(s, "pause it");
      return s.status() == SessionStatus.PAUSED ? List.of()
          : List.of(new SessionEvent.Paused(clock.instant(), by));
    }).snapshot();
  }

  /**
   * Resumes a paused session, here or in the process that picks it up.
   *
   * @param sessionId the session to resume
   * @param by who resumes it, kept in the log
   * @return a handle whose completion is the resumed turn
   */
  public SessionHandle resume(String sessionId, String by) {
    SessionFold after = sessionLog.append(sessionId, s -> {
      requireOpen(s, "resume it");
      return s.status() != SessionStatus.PAUSED ? List.of()
          : List.of(new SessionEvent.Resumed(clock.instant(), by));
    });
    return kickAndHandle(sessionId, after.version());
  }

  /**
   * Cancels the session for good; a running turn stops after its current step.
   *
   * @param sessionId the session to cancel
   * @param by who cancels it, kept in the log
   * @param reason why, kept in the log
   * @return the state after the cancel
   */
  public SessionState cancel(String sessionId, String by, String reason) {
    return sessionLog.append(sessionId, s -> {
      requireExists(s);
      return s.cancelled() ? List.of() : List.of(new SessionEvent.Cancelled(clock.instant(), by, reason));
    }).snapshot();
  }

  /**
   * Makes the session wait for the input {@code name} (say, {@code "approval"}): no thread waits;
   * {@link #provideInput} continues it, from any process on the same store.
   *
   * @param sessionId the session that waits
   * @param name the input's name, given again to {@link #provideInput}
   * @param prompt what to ask the human for
   * @return the state, now waiting
   */
  public SessionState awaitInput(String sessionId, String name, String prompt) {
    return sessionLog.append(sessionId, s -> {
      requireOpen(s, "wait for input");
      return List.of(new SessionEvent.WaitingForInput(clock.instant(), name, prompt));
    }).snapshot();
  }

  /**
   * Provides the input {@code name} the session waits for; the agent sees it as a message.
   *
   * @param sessionId the session that waits
   * @param name the name of the input it waits for
   * @param value the input: a record, a map, a JsonNode, or text
   * @param by who provides it, kept in the log
   * @return a handle whose completion is the continued turn
   */
  public SessionHandle provideInput(String sessionId, String name, Object value, String by) {
    JsonNode json = toJson(value);
    SessionFold after = sessionLog.append(sessionId, s -> {
      requireOpen(s, "provide input");
      if (!s.waits().containsKey(name)) {
        throw new IllegalStateException("Session '" + sessionId + "' is not waiting for input '" + name
            + "'; it waits for " + s.waits().keySet() + ". Call awaitInput first");
      }
      return List.of(new SessionEvent.InputReceived(clock.instant(), name, json, by));
    });
    return kickAndHandle(sessionId, after.version());
  }

  /**
   * States what an unknown tool call returned; the session continues with that result.
   *
   * @param sessionId the session that waits
   * @param callId the id of the unknown call
   * @param result what the call returned: a record, a map, a JsonNode, or text
   * @param by who says so, kept in the log
   * @return a handle whose completion is the continued turn
   */
  public SessionHandle resolveUnknownOutcome(String sessionId, String callId, Object result, String by) {
    return resolve(sessionId, callId, toJson(result), null, by);
  }

  /**
   * States that an unknown tool call failed, and how; the model is told so.
   *
   * @param sessionId the session that waits
   * @param callId the id of the unknown call
   * @param failure how the call failed, as the model is told
   * @param by who says so, kept in the log
   * @return a handle whose completion is the continued turn
   */
  public SessionHandle failUnknownOutcome(String sessionId, String callId, String failure, String by) {
    return resolve(sessionId, callId, null, Objects.requireNonNull(failure, "failure"), by);
  }

  private SessionHandle resolve(String id, String callId, @Nullable JsonNode result,
      @Nullable String failure, String by) {
    SessionFold after = sessionLog.append(id, s -> {
      requireOpen(s, "resolve an outcome");
      SessionState.UnknownOutcome unknown = s.unknown().get(callId);
      if (unknown == null) {
        throw new IllegalStateException("Session '" + id + "' has no unknown outcome for tool call '"
            + callId + "'; unknown outcomes: " + s.unknown().keySet());
      }
      return List.of(new SessionEvent.OutcomeResolved(clock.instant(), callId, unknown.tool(),
          result, failure, by));
    });
    return kickAndHandle(id, after.version());
  }

  /**
   * Forks the session at event {@code atVersion} into a new session that shares the log up to
   * there, records its parent, and continues the parent's turn where it stood: a recorded model
   * response is never requested again, tool calls pending at that point whose results the parent
   * recorded later are carried over, and a call that is not idempotent which the parent applied
   * after that point is never repeated silently: when the fork's run asks for it again (same
   * tool, same arguments as canonical JSON) the fork waits with an
   * {@link SessionState.UnknownOutcome} offering the parent's result, for
   * {@link #resolveUnknownOutcome} or {@link #failUnknownOutcome}. See docs/sessions.md, "Forks".
   *
   * @param sessionId the session to fork
   * @param atVersion the version of the last event the fork keeps
   * @return a handle on the new session
   */
  public SessionHandle fork(String sessionId, long atVersion) {
    List<StoredEvent> all = sessionLog.store().load(sessionId, 0);
    if (all.isEmpty()) {
      throw unknownSession(sessionId);
    }
    if (atVersion < 1 || atVersion > all.size()) {
      throw new IllegalArgumentException("Cannot fork session '" + sessionId + "' at version "
          + atVersion + ": its versions are 1 to " + all.size());
    }
    String forkId = ids.get();
    Forks.Fork fork = Forks.of(sessionLog.codec(), sessionId, all, atVersion, forkId, clock.instant());
    sessionLog.create(forkId, fork.events(), fork.fold());
    return kickAndHandle(forkId, 0);
  }

  /**
   * The session's state at the store's current version.
   *
   * @param sessionId the session's id
   * @return the state folded from the whole log
   * @throws NoSuchElementException if there is no such session
   */
  public SessionState state(String sessionId) {
    return find(sessionId).orElseThrow(() -> unknownSession(sessionId));
  }

  /**
   * The session's state, if it exists.
   *
   * @param sessionId the session's id
   * @return the state, or empty if there is no such session
   */
  public Optional<SessionState> find(String sessionId) {
    SessionFold s = sessionLog.current(sessionId);
    return s.exists() ? Optional.of(s.snapshot()) : Optional.empty();
  }

  /**
   * Every event of the session's log, in order.
   *
   * @param sessionId the session's id
   * @return the events in version order
   */
  public List<LoggedEvent> history(String sessionId) {
    return sessionLog.history(sessionId);
  }

  /**
   * One page of sessions by status, agent, participant, trigger and creation time.
   *
   * @param query the filters, page size and cursor
   * @return the matching sessions and the cursor of the next page
   */
  public SessionPage query(SessionQuery query) {
    return sessionLog.store().query(query);
  }

  /**
   * A handle on an existing session.
   *
   * @param sessionId the session's id
   * @return a handle on it
   */
  public SessionHandle handle(String sessionId) {
    requireExists(sessionLog.latest(sessionId));
    return new SessionHandle(this, sessionLog, sessionId, 0);
  }

  /**
   * Claims runnable sessions whose lease expired (their driver died) or that nobody drives, and
   * drives them here. The periodic sweep calls this; tests call it with a fake clock.
   *
   * @return how many sessions this node claimed
   */
  public int tick() {
    if (closed.get()) {
      return 0;
    }
    List<String> claimed = sessionLog.store().claim(nodeId, clock.instant(), leaseTtl, 100);
    claimed.forEach(drivers::kick);
    return claimed.size();
  }

  /**
   * Drives a quarantined session again, after an operator repaired the event row that could not
   * be decoded (or upgraded this release). Reads the whole log afresh, without any cache: when
   * it decodes, the quarantine is cleared and the session continues; when it still does not,
   * the quarantine's reason is updated and the {@link SessionDecodeException} is thrown.
   * Find quarantined sessions with {@code query(SessionQuery.builder().quarantined(true).build())}.
   *
   * @param sessionId the quarantined session
   * @return a handle on the session, driven again
   * @throws SessionDecodeException if an event still cannot be decoded; it names the event
   * @throws NoSuchElementException if there is no such session
   */
  public SessionHandle retryQuarantined(String sessionId) {
    sessionLog.forget(sessionId);
    sessionLog.store().releaseQuarantine(sessionId); // also drops a caching store's copy
    SessionFold state;
    try {
      state = sessionLog.current(sessionId);
    } catch (SessionDecodeException stillBroken) {
      sessionLog.store().quarantine(sessionId, stillBroken.getMessage());
      throw stillBroken;
    }
    requireExists(state);
    return kickAndHandle(sessionId, state.version());
  }

  /**
   * Claims every claimable session now: {@link #tick()} until nothing is left to claim.
   *
   * @return how many sessions this node claimed in all
   */
  public int recover() {
    int total = 0;
    for (int n = tick(); n > 0; n = tick()) {
      total += n;
    }
    return total;
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
   * Stops the sweep, waits (at most the lease TTL) for running turns to stop after their current
   * step and release their leases, so another node can continue those sessions at once, then
   * shuts down the executor and scheduler this instance made. A turn still in a model or tool
   * call after that keeps its lease until it expires. Called from inside a turn, it does not
   * wait for that turn.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    if (sweep != null) {
      sweep.cancel(false);
    }
    try {
      if (!drivers.awaitIdle(leaseTtl)) {
        org.slf4j.LoggerFactory.getLogger(Sessions.class).warn("Closing {}: turns still run after {}; "
            + "their sessions continue elsewhere when their leases expire", nodeId, leaseTtl);
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

  private void sweepQuietly() {
    try {
      tick();
    } catch (RuntimeException e) {
      org.slf4j.LoggerFactory.getLogger(Sessions.class).warn("Session sweep failed; retrying later", e);
    }
  }

  private SessionHandle kickAndHandle(String id, long version) {
    drivers.kick(id);
    return new SessionHandle(this, sessionLog, id, version);
  }

  private SessionHandle startNew(NewSession n) {
    mesh.agent(n.agent);
    if (n.input == null) {
      throw new IllegalArgumentException("A session of agent '" + n.agent
          + "' needs an input: sessions.create(\"" + n.agent + "\").input(...).start()");
    }
    String id = n.id != null ? n.id : ids.get();
    SessionEvent created = new SessionEvent.Created(clock.instant(), n.agent, n.input, n.trigger,
        n.participants);
    sessionLog.append(id, s -> {
      if (s.exists()) {
        throw new IllegalStateException("Session '" + id + "' already exists at version "
            + s.version() + "; choose another id, or leave it unset for a generated one");
      }
      return List.of(created);
    });
    return kickAndHandle(id, 0);
  }

  private static void requireExists(SessionFold s) {
    if (!s.exists()) {
      throw unknownSession(s.id());
    }
  }

  private static void requireOpen(SessionFold s, String what) {
    requireExists(s);
    if (s.cancelled()) {
      throw new IllegalStateException("Session '" + s.id() + "' was cancelled, so nothing can "
          + what + "; fork it to continue from an earlier point");
    }
  }

  private static void requirePoster(SessionFold s, String author) {
    ParticipantRole role = s.participants().get(author);
    if (role == null) {
      throw new IllegalArgumentException("'" + author + "' is not a participant of session '" + s.id()
          + "' (participants: " + s.participants().keySet() + "); add them with join(id, \""
          + author + "\", ParticipantRole.MEMBER) first");
    }
    if (!role.canPost()) {
      throw new IllegalStateException("'" + author + "' is an observer of session '" + s.id()
          + "' and observers cannot post; make them a MEMBER with join() to let them post");
    }
  }

  private static NoSuchElementException unknownSession(String id) {
    return new NoSuchElementException("No session '" + id + "' in the store");
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

  /**
   * Describes a new session; {@link #start()} appends its first event and schedules its first
   * turn. Not thread-safe; {@code start()} may be called once per id.
   */
  public final class NewSession {
    private final String agent;
    private @Nullable JsonNode input;
    private String trigger = "manual";
    private final Map<String, ParticipantRole> participants = new LinkedHashMap<>();
    private @Nullable String id;

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
     * What started the session, such as {@code cron:daily} or {@code human:ana}.
     *
     * @param trigger what started the session
     * @return this description
     */
    public NewSession trigger(String trigger) {
      if (Objects.requireNonNull(trigger, "trigger").isBlank()) {
        throw new IllegalArgumentException("trigger must not be blank; describe what started the session, such as 'human:ana'");
      }
      this.trigger = trigger;
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
     */
    public NewSession id(String id) {
      this.id = Objects.requireNonNull(id, "id");
      return this;
    }

    /**
     * Creates the session and schedules its first turn.
     *
     * @return a handle whose completion is the first turn
     */
    public SessionHandle start() {
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
    private Supplier<String> ids = () -> UUID.randomUUID().toString();
    private long maxCachedSessions = 10_000;

    private Builder(Mesh mesh) {
      this.mesh = Objects.requireNonNull(mesh, "mesh");
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
     * Runs turns (default: virtual threads on JDK 21+, else a bounded pool of daemon threads).
     * Sessions do not shut down an executor passed here.
     *
     * @param executor the executor of turns
     * @return this builder
     */
    public Builder executor(Executor executor) {
      this.executor = Objects.requireNonNull(executor, "executor");
      return this;
    }

    /**
     * Renews the leases of sessions this instance drives, every third of the lease TTL, and runs
     * the sweep (default: one daemon thread). Sessions do not shut down a scheduler passed here.
     *
     * @param scheduler the scheduler of lease renewals and the sweep
     * @return this builder
     */
    public Builder scheduler(ScheduledExecutorService scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
      return this;
    }

    /**
     * How often to {@link Sessions#tick()} for sessions whose driver died (default: never).
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
     * Makes session and run ids (default: random UUIDs).
     *
     * @param ids the source of new ids
     * @return this builder
     */
    public Builder ids(Supplier<String> ids) {
      this.ids = Objects.requireNonNull(ids, "ids");
      return this;
    }

    /**
     * How many sessions' folded state to keep in memory (default 10,000).
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
     * Sessions over the mesh with what was set; starts the sweep when an interval was set.
     *
     * @return new sessions; close them when done
     */
    public Sessions build() {
      return new Sessions(this);
    }
  }
}
