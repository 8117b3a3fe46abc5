package dev.agentmesh.sessions;

import dev.agentmesh.core.Agent;
import dev.agentmesh.core.AgentEvent;
import dev.agentmesh.core.AgentListener;
import dev.agentmesh.core.AgentRequest;
import dev.agentmesh.core.AgentTool;
import dev.agentmesh.core.Mesh;
import dev.agentmesh.core.internal.turn.StopRun;
import dev.agentmesh.core.spi.ChatMessage;
import dev.agentmesh.core.spi.ToolCall;
import dev.agentmesh.sessions.spi.LeaseLostException;
import dev.agentmesh.sessions.spi.SessionDecodeException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * Runs agent turns: one serial queue per session in this process, and the session's lease in the
 * store so that one process at a time drives it. A turn appends every agent event (inside the
 * {@link AgentListener}, so before the run's next step) and decides, before running, which pending
 * tool calls may be repeated. While a session is driven its lease is renewed once a third of its
 * TTL has passed, after steps and by one task on the scheduler that looks at every driven lease
 * each sixth of the TTL (so by the time half of it has passed) while any drive runs, so a long
 * model or tool call keeps it; a drive does not schedule and cancel a task of its own, which would
 * wake the scheduler's thread at every turn. A driver that lost it anyway is fenced by the store:
 * every append of the drive carries its lease, and the store refuses it once the lease has passed
 * to another node. A session whose log cannot be decoded is quarantined (one log line) instead of
 * being retried.
 */
final class Drivers {

  private static final Logger log = LoggerFactory.getLogger(Drivers.class);

  private static final int IDLE = 0;
  private static final int RUNNING = 1;
  private static final int DIRTY = 2;

  private final Mesh mesh;
  private final FoldedLogs sessionLog;
  private final Executor executor;
  private final ScheduledExecutorService scheduler;
  private final Clock clock;
  private final Duration leaseTtl;

  /** A third of the lease's TTL: when a step renews it (computed once, not at every step). */
  private final Duration renewAfter;

  private final String nodeId;
  private final Supplier<String> ids;
  private final AtomicBoolean closed;
  private final Hooks hooks;
  private final Map<String, AtomicInteger> queues = new ConcurrentHashMap<>();

  /** Leases granted with a session's creation, for its first drive here (no separate acquire). */
  private final Map<String, dev.agentmesh.sessions.spi.Lease> handed = new ConcurrentHashMap<>();

  private final Set<Thread> driving = ConcurrentHashMap.newKeySet();

  /** The leases of the drives running here: what the renewal task renews. */
  private final Set<Lease> leases = ConcurrentHashMap.newKeySet();

  /** Guards {@link #renewals}. */
  private final Object renewalLock = new Object();

  /**
   * The renewal task: started by a drive when none runs, ended by itself when it finds no drive (so
   * at most one scheduling per sixth of the TTL, however many drives come and go meanwhile).
   */
  private @Nullable ScheduledFuture<?> renewals;

  private final Object idle = new Object();

  Drivers(
      Mesh mesh,
      FoldedLogs sessionLog,
      Executor executor,
      ScheduledExecutorService scheduler,
      Clock clock,
      Duration leaseTtl,
      String nodeId,
      Supplier<String> ids,
      AtomicBoolean closed,
      Hooks hooks) {
    this.mesh = mesh;
    this.sessionLog = sessionLog;
    this.executor = executor;
    this.scheduler = scheduler;
    this.clock = clock;
    this.leaseTtl = leaseTtl;
    this.renewAfter = leaseTtl.dividedBy(3);
    this.nodeId = nodeId;
    this.ids = ids;
    this.closed = closed;
    this.hooks = hooks;
  }

  /**
   * Schedules the session to be driven on the executor; coalesces with a drive already queued or
   * running (which then reads the log once more before it ends).
   */
  void schedule(String id) {
    if (closed.get()) {
      return;
    }
    boolean[] submit = {false};
    AtomicInteger queue =
        queues.compute(
            id,
            (k, q) -> {
              AtomicInteger state = q != null ? q : new AtomicInteger(IDLE);
              submit[0] = state.getAndSet(DIRTY) == IDLE;
              return state;
            });
    if (submit[0]) {
      sessionLog.hold(id); // released when the task ends: a drive reads the state at every step
      try {
        executor.execute(() -> serve(id, queue));
      } catch (RejectedExecutionException e) {
        queues.remove(id, queue);
        sessionLog.release(id);
        log.warn("Executor refused to drive session {}; a sweep will pick it up", id, e);
      }
    }
  }

  /**
   * Schedules the first drive of a session this node just created with its lease: the drive starts
   * from that lease (and from the fold the creation cached) instead of acquiring and reading again.
   * When the drive cannot be scheduled (closing, the executor refused), the lease is given back.
   */
  void schedule(String id, dev.agentmesh.sessions.spi.Lease lease) {
    handed.put(id, lease);
    schedule(id);
    if ((closed.get() || !queues.containsKey(id)) && handed.remove(id, lease)) {
      try {
        sessionLog.store().releaseLease(id, nodeId);
      } catch (RuntimeException e) {
        log.warn("Releasing the lease of session {} failed; it expires on its own", id, e);
      }
    }
  }

  /**
   * Waits until no drive runs on another thread (they stop at their next step once closed, and
   * release their leases), at most {@code timeout}; false when some still ran then.
   */
  boolean awaitIdle(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (idle) {
      while (driving.stream().anyMatch(t -> t != Thread.currentThread())) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        TimeUnit.NANOSECONDS.timedWait(idle, left);
      }
    }
    return true;
  }

  private void serve(String id, AtomicInteger queue) {
    Thread me = Thread.currentThread();
    boolean outermost = driving.add(me);
    try {
      serveQueue(id, queue);
    } finally {
      sessionLog.release(id);
      if (outermost) {
        driving.remove(me);
        synchronized (idle) {
          idle.notifyAll();
        }
      }
    }
  }

  private void serveQueue(String id, AtomicInteger queue) {
    while (true) {
      queue.set(RUNNING);
      try {
        drive(id);
      } catch (SessionDecodeException broken) {
        quarantine(id, broken);
      } catch (LeaseLostException overtaken) {
        log.info("Stopped driving session {}: {}", id, overtaken.getMessage());
      } catch (RuntimeException e) {
        log.warn("Driving session {} failed; it stays runnable and a sweep retries it", id, e);
      }
      boolean[] done = {false};
      queues.computeIfPresent(
          id,
          (k, q) -> {
            if (q == queue && queue.compareAndSet(RUNNING, IDLE)) {
              done[0] = true;
              return null;
            }
            return q;
          });
      if (done[0]) {
        return;
      }
    }
  }

  /**
   * Marks a session whose log cannot be decoded, so no sweep claims it again; logs one line the
   * first time (no stack trace: the message names the session, version, type and the fix).
   */
  private void quarantine(String id, SessionDecodeException broken) {
    sessionLog.forget(id);
    try {
      if (sessionLog.store().quarantine(id, String.valueOf(broken.getMessage()))) {
        log.warn(
            "Quarantined session {}; it is not driven until retried: {}", id, broken.getMessage());
      }
    } catch (RuntimeException e) {
      log.warn(
          "Session {} cannot be decoded ({}) and quarantining it failed; a sweep retries it",
          id,
          broken.getMessage(),
          e);
    }
  }

  private void drive(String id) {
    dev.agentmesh.sessions.spi.Lease given = handed.remove(id);
    Optional<dev.agentmesh.sessions.spi.Lease> acquired;
    try {
      acquired =
          given != null
              ? Optional.of(given)
              : sessionLog.store().tryAcquireLease(id, nodeId, clock.instant(), leaseTtl);
    } catch (SessionNotFoundException gone) {
      return;
    }
    if (acquired.isEmpty()) {
      return;
    }
    long seen = 0;
    boolean release = true;
    Lease lease = new Lease(acquired.get());
    renewInBackground(lease);
    // A session created here with its lease is read from the fold its creation cached: a writer
    // that came between is caught by the version of the turn's first append.
    boolean fresh = given != null;
    try {
      while (!closed.get() && !lease.lost) {
        SessionFold state = fresh ? sessionLog.latest(id) : sessionLog.current(id);
        fresh = false;
        seen = state.version();
        if (!state.runnable()) {
          break;
        }
        if (!state.unsafeToRepeat().isEmpty()) {
          sessionLog.append(id, lease.token, this::unknownOutcomes);
        } else if (!runTurn(id, state, lease) || lease.releasedWithAppend()) {
          break;
        }
      }
    } catch (Error fatal) {
      release = false; // the process is in trouble: leave the lease to expire, as a crash would
      throw fatal;
    } finally {
      leases.remove(lease);
      if (release) {
        lease.release();
      }
    }
    if (lease.releasedWithAppend()) {
      // The turn's last append released the lease in its transaction, after deciding against the
      // log at its version: a writer that came before it was seen (the session would still be
      // runnable, and the lease kept); one that came after found the lease free and drives.
      return;
    }
    SessionFold after = sessionLog.current(id);
    if (after.version() > seen && after.runnable()) {
      schedule(id);
    }
  }

  /**
   * Has the renewal task renew {@code lease} until its drive ends, starting the task when none
   * runs: one task for all the drives, so that a drive neither schedules nor cancels one of its
   * own.
   */
  private void renewInBackground(Lease lease) {
    leases.add(lease);
    synchronized (renewalLock) {
      if (renewals != null) {
        return;
      }
      long period = Math.max(1, leaseTtl.toMillis() / 6);
      try {
        renewals =
            scheduler.scheduleWithFixedDelay(this::renewAll, period, period, TimeUnit.MILLISECONDS);
      } catch (RejectedExecutionException e) {
        log.warn(
            "Scheduler refused to renew the lease of session {}; steps still renew it",
            lease.sessionId,
            e);
      }
    }
  }

  /** Renews every driven lease that is due; ends the task when no drive runs. */
  private void renewAll() {
    synchronized (renewalLock) {
      if (leases.isEmpty()) { // a drive adds its lease before it looks at the task
        if (renewals != null) {
          renewals.cancel(false);
          renewals = null;
        }
        return;
      }
    }
    for (Lease lease : leases) {
      lease.renewQuietly();
    }
  }

  private List<SessionEvent> unknownOutcomes(SessionFold state) {
    List<SessionEvent> events = new ArrayList<>();
    Instant now = clock.instant();
    for (AgentEvent.ToolCalled called : state.unsafeToRepeat()) {
      events.add(
          new SessionEvent.ToolOutcomeUnknown(
              now,
              called.runId(),
              called.call().id(),
              called.call().name(),
              called.call().arguments()));
    }
    return events;
  }

  /**
   * Runs one agent call and answers, from the phase its turn ended in, whether driving goes on:
   * false when the store failed, the lease was lost, or another driver's run overtook this one.
   */
  private boolean runTurn(String id, SessionFold state, Lease lease) {
    String agentName = state.currentAgent();
    Optional<Agent> agent = mesh.findAgent(agentName);
    List<ChatMessage> history = state.history();
    if (agent.isEmpty()) {
      fail(
          id,
          lease,
          "NoSuchElementException",
          "No agent named '"
              + agentName
              + "' in this mesh; the "
              + "session needs it. Register the agent in the Mesh and post again");
      return true;
    }
    Optional<SessionEvent.ContextAdded> context;
    try {
      context = turnContext(state, agentName);
    } catch (RuntimeException e) {
      log.warn(
          "A turn context of session {} failed before the turn of agent '{}'; the session stays"
              + " runnable and a sweep retries it",
          id,
          agentName,
          e);
      return false;
    }
    Turn turn = new Turn(id, ids.get(), history, lease, state);
    context.filter(c -> c != state.turnContext()).ifPresent(turn::recordContext);
    JsonNode input = agentName.equals(state.agent()) ? state.input() : lastUserText(history);
    RuntimeException failure = null;
    try {
      AgentRequest.Builder request =
          AgentRequest.builder(input).history(history).runId(turn.runId).listener(turn);
      context.ifPresent(c -> request.systemContext(c.text()));
      agent.get().call(request.build());
    } catch (RuntimeException e) {
      failure = e;
    }
    turn.storeRest();
    if (failure != null && lease.lost) {
      turn.become(TurnPhase.LEASE_LOST); // a renewal found it lost while the run failed
    }
    TurnPhase phase = turn.phase();
    if (phase.endsDrive()) {
      RuntimeException broken = turn.storeFailure;
      log.warn(
          "Session {} stopped: {}",
          id,
          phase == TurnPhase.STORE_FAILED && broken != null
              ? "the store failed ("
                  + broken.getClass().getSimpleName()
                  + ": "
                  + broken.getMessage()
                  + ")"
              : "another node drives it now");
      return false;
    }
    if (failure != null && phase == TurnPhase.RUNNING) {
      fail(id, lease, failure.getClass().getSimpleName(), String.valueOf(failure.getMessage()));
    }
    return true;
  }

  /**
   * The turn context of this turn of {@code agent}: the one recorded for it (a continued turn), or
   * the hooks' text as a new event, which the turn stores with its first append (a crash before
   * that asks the hooks again, for a turn that starts again); empty when there is none.
   */
  private Optional<SessionEvent.ContextAdded> turnContext(SessionFold state, String agent) {
    SessionEvent.ContextAdded recorded = state.turnContext();
    if (recorded != null && recorded.agent().equals(agent)) {
      return Optional.of(recorded);
    }
    if (!hooks.hasContext()) {
      return Optional.empty();
    }
    return hooks
        .context(state.snapshot(), agent)
        .map(text -> new SessionEvent.ContextAdded(clock.instant(), agent, text));
  }

  private void fail(String id, Lease lease, String error, String message) {
    sessionLog.append(
        id,
        lease.token,
        s ->
            s.runnable()
                ? List.of(
                    new SessionEvent.Failed(clock.instant(), error, Texts.clip(message, 1000)))
                : List.of());
  }

  private static JsonNode lastUserText(List<ChatMessage> history) {
    for (int i = history.size() - 1; i >= 0; i--) {
      if (history.get(i).role() == ChatMessage.Role.USER) {
        return JsonNodeFactory.instance.stringNode(history.get(i).textOrEmpty());
      }
    }
    return JsonNodeFactory.instance.stringNode("");
  }

  /**
   * The lease of one session while this node drives it: renewed when a third of its TTL has passed,
   * by steps of the turn and by a task on the scheduler; thread-safe.
   */
  private final class Lease {
    final String sessionId;
    final AtomicReference<Instant> renewed;

    /** The lease as the store granted it; every append of the drive is fenced by its epoch. */
    volatile dev.agentmesh.sessions.spi.Lease token;

    volatile boolean lost;
    private boolean released;

    /** An append that may release the lease is being stored: renewals wait until it is done. */
    private boolean releasing;

    /** The lease was released by the transaction of the drive's last append. */
    private volatile boolean releasedWithAppend;

    /**
     * When a renewal is due: {@link #renewed} plus a third of the TTL, so that a step that comes
     * before it answers without the lock, an allocated duration and a comparison of it.
     */
    private volatile Instant renewDue;

    Lease(dev.agentmesh.sessions.spi.Lease token) {
      this.sessionId = token.sessionId();
      this.token = token;
      Instant now = clock.instant();
      this.renewed = new AtomicReference<>(now);
      this.renewDue = now.plus(renewAfter);
    }

    void renewQuietly() {
      try {
        renew();
      } catch (RuntimeException e) {
        log.warn("Renewing the lease of session {} failed; retrying", sessionId, e);
      }
    }

    /**
     * Renews when due; false once the lease is lost to another node. A renewal is synchronized with
     * {@link #release()}: a renewal already running when the drive ends must not take the lease
     * back after it was released, or this node would hold a lease nobody drives.
     */
    boolean renew() {
      Instant now = clock.instant();
      if (now.isBefore(renewDue)) {
        return !lost; // not due: what the lock would answer, released or not
      }
      return renewIfDue(now);
    }

    /** {@link #renew()} once {@link #renewDue} has come, on the lock. */
    private synchronized boolean renewIfDue(Instant now) {
      Instant last = renewed.get();
      if (released
          || releasing
          || lost
          || Duration.between(last, now).compareTo(renewAfter) < 0
          || !renewed.compareAndSet(last, now)) {
        return !lost; // released, not due, or another thread renews it now
      }
      Optional<dev.agentmesh.sessions.spi.Lease> renewedLease =
          sessionLog.store().tryAcquireLease(sessionId, nodeId, now, leaseTtl);
      if (renewedLease.isEmpty() || renewedLease.get().epoch() != token.epoch()) {
        lost = true; // another holder came between: the drive's state may be behind the log
      } else {
        token = renewedLease.get();
      }
      renewDue = now.plus(renewAfter);
      return !lost;
    }

    /** Gives the lease back; no renewal takes it again afterwards. */
    synchronized void release() {
      if (!released) {
        released = true;
        sessionLog.store().releaseLease(sessionId, nodeId);
      }
    }

    /**
     * Holds renewals while an append that may release the lease is stored (a renewal after it would
     * take the released lease back for a drive that ends).
     */
    synchronized void holdRenewals() {
      releasing = true;
    }

    /** Ends {@link #holdRenewals}: the append released the lease, or it did not. */
    synchronized void appended(boolean releasedIt) {
      releasing = false;
      if (releasedIt) {
        released = true;
        releasedWithAppend = true;
      }
    }

    boolean releasedWithAppend() {
      return releasedWithAppend;
    }
  }

  /**
   * One agent call in a session: the run's listener, which decides each of its events (and its
   * child runs') against the session's latest state and stores them in as few appends as the
   * durability rules allow (docs/sessions.md, "What is on disk before each step"): a decided step
   * waits in the turn's buffer until a step that depends on it, and the buffer is appended in one
   * transaction before a tool call that is not idempotent runs, when the run ends (its output or
   * failure, releasing the lease when the session stops being runnable), when it suspends or asks a
   * human, and when another writer moved the log meanwhile. The turn tells the run to stop by
   * refusing a step with a {@link StopRun}; refused before {@code model.called}, the run stops
   * cleanly. Its one state is a {@link TurnPhase}, moved only by {@link #stop}.
   */
  private final class Turn implements AgentListener {
    final String sessionId;
    final String runId;
    final List<ChatMessage> history;
    private final Lease lease;
    private final AtomicReference<TurnPhase> phase = new AtomicReference<>(TurnPhase.RUNNING);

    /** What failed when the turn is {@link TurnPhase#STORE_FAILED}, for the messages. */
    volatile @Nullable RuntimeException storeFailure;

    /** Guards the buffer: events come from the run's thread and its child runs' threads. */
    private final Object buffer = new Object();

    /** The session as the store has it, as far as this turn knows: what the buffer goes after. */
    private SessionFold stored;

    /** {@link #stored} with the buffered steps applied: what the next step is decided against. */
    private SessionFold pending;

    /** The decided steps not yet stored, in order. */
    private final List<Step> steps = new ArrayList<>();

    Turn(
        String sessionId, String runId, List<ChatMessage> history, Lease lease, SessionFold state) {
      this.sessionId = sessionId;
      this.runId = runId;
      this.history = history;
      this.lease = lease;
      this.stored = state;
      this.pending = state;
    }

    TurnPhase phase() {
      return Objects.requireNonNull(phase.get());
    }

    /** Moves the turn to {@code next} where {@link TurnPhase#canBecome} allows. */
    void become(TurnPhase next) {
      phase.updateAndGet(p -> p.then(next));
    }

    /** Moves the turn to {@code next} (see {@link #become}); the stop to throw. */
    StopRun stop(TurnPhase next, String message, @Nullable Throwable cause) {
      become(next);
      return new StopRun(message, cause);
    }

    /**
     * Buffers the turn's new context text as its first step: stored with the run's first append,
     * and only if the session did not change before (else the drive reads it and asks again).
     */
    void recordContext(SessionEvent.ContextAdded added) {
      long version = stored.version();
      Redo redo =
          (s, again) -> {
            if (s.version() != version) {
              throw stop(
                  TurnPhase.RESTART,
                  "Session '" + sessionId + "' changed before its turn context was stored; rerun",
                  null);
            }
            return Recording.runtime(List.of(added));
          };
      synchronized (buffer) {
        buffer(redo, redo.decide(pending, false));
      }
    }

    /**
     * Decides the event against the latest state and buffers it; stores the buffer first when
     * another writer moved the log, and with the event when a later step depends on it. Once this
     * turn has stopped recording (the store failed, the lease was lost, the run was told to stop),
     * every later event of the run and of its child runs, on whatever thread, is refused with a
     * {@link StopRun}, so no step runs unrecorded.
     */
    @Override
    public void onEvent(AgentEvent event) {
      refuseIfStopped(event);
      boolean mine = event.runId().equals(runId);
      TurnPhase[] after = {TurnPhase.RUNNING};
      synchronized (buffer) {
        SessionFold moved = sessionLog.cached(sessionId);
        if (moved != null && moved.version() > stored.version()) {
          store(false); // a command of this node (a pause, a post) is decided against first
        }
        // Asked outside the decision, so a gate that throws fails the run like a failing listener.
        Hooks.Suspension gated =
            mine && event instanceof AgentEvent.ToolCalled called
                ? hooks.suspend(pending, called.agent(), pending.pendingCalls())
                : Hooks.Suspension.NONE;
        Optional<Recording> held =
            mine && event instanceof AgentEvent.OutputProduced produced
                ? askOutputGate(produced)
                : Optional.empty();
        Redo redo =
            (state, again) -> {
              after[0] = TurnPhase.RUNNING;
              return decide(state, event, mine, gated, held, after, again);
            };
        buffer(redo, redo.decide(pending, false));
        boolean last =
            mine && (event instanceof AgentEvent.OutputProduced || after[0] != TurnPhase.RUNNING);
        if (last || dependedOn(event) || !pending.runnable()) {
          store(last);
        }
      }
      renewLease();
      if (after[0] == TurnPhase.SUSPENDED) {
        throw stop(
            TurnPhase.SUSPENDED,
            "Session '"
                + sessionId
                + "' waits: run "
                + runId
                + " asked for calls whose results come from outside; completeCall or failCall"
                + " gives them, and the run continues",
            null);
      }
      if (after[0] == TurnPhase.ASKED_HUMAN) {
        throw stop(
            TurnPhase.ASKED_HUMAN,
            "Session '"
                + sessionId
                + "' waits: run "
                + runId
                + " asked for calls its parent session already applied; a human states their outcome"
                + " before it continues",
            null);
      }
      become(after[0]); // RUNNING, or the run's failure is recorded
    }

    /**
     * Whether a later step depends on this event being on disk before it: a tool call that is not
     * idempotent runs right after its {@code tool.called} (a crash then leaves an unknown outcome,
     * never a silent repeat). Model calls and idempotent tool calls may be made again after a
     * crash.
     */
    private boolean dependedOn(AgentEvent event) {
      return event instanceof AgentEvent.ToolCalled called && !called.idempotent();
    }

    /** Adds a decided step to the buffer; the caller holds {@link #buffer}. */
    private void buffer(Redo redo, Recording recording) {
      steps.add(new Step(redo, recording));
      pending = pending.applyAll(recording.events());
    }

    /**
     * Stores what is left in the buffer once the run returned or threw (a run stopped before its
     * next model call leaves its earlier steps there), releasing the lease when the session is no
     * longer runnable; nothing when the drive ends (another node drives the session now, or the
     * store failed).
     */
    void storeRest() {
      synchronized (buffer) {
        if (steps.isEmpty() || phase().endsDrive()) {
          steps.clear();
          return;
        }
        try {
          store(true);
        } catch (RuntimeException e) {
          // the phase says why (lease lost, store failed, fenced); the drive reads it
          log.debug("Storing the rest of run {} of session {} stopped", runId, sessionId, e);
        }
      }
    }

    /**
     * Appends the buffer in one transaction, fenced by the lease; when {@code last}, also releases
     * the lease in it if the session is no longer runnable after it. When the log moved since the
     * buffer was decided, every step is decided again against it, as having happened (a pause stops
     * the run at its next model call, not at one it made): a step refused then (another driver's
     * run fences this one; a message posted before the run's start was stored restarts it) is
     * dropped with the steps after it, which are only model calls and idempotent tool calls (a call
     * that is not idempotent was stored before it ran), and the run stops. The caller holds {@link
     * #buffer}.
     */
    private void store(boolean last) {
      if (steps.isEmpty()) {
        SessionFold latest = sessionLog.latest(sessionId);
        if (latest.version() > stored.version()) {
          stored = latest;
          pending = latest;
        }
        return;
      }
      List<Step> decided = List.copyOf(steps);
      steps.clear();
      long base = stored.version();
      @Nullable StopRun[] refused = {null};
      boolean[] releasing = {false};
      if (last) {
        lease.holdRenewals();
      }
      SessionFold after = stored;
      SessionFold from = stored;
      SessionFold folded = pending; // from with every buffered step applied, as they were decided
      boolean ok = false;
      try {
        after =
            sessionLog.record(
                sessionId,
                lease.token,
                new FoldedLogs.Recorder() {
                  private @Nullable Recording asDecided;

                  @Override
                  public Recording decide(SessionFold state) {
                    refused[0] = null;
                    releasing[0] = false; // stays false when nothing is appended
                    asDecided = null;
                    if (state.version() != base) {
                      return decidedAgain(state, decided, refused);
                    }
                    Recording joined = joined(decided);
                    asDecided = state == from ? joined : null;
                    return joined;
                  }

                  @Override
                  public @Nullable SessionFold folded(SessionFold state, Recording chosen) {
                    // the buffer was folded onto this very state as it was decided: not again
                    return state == from
                            && chosen == asDecided
                            && folded.version() == from.version() + chosen.events().size()
                        ? folded
                        : null;
                  }
                },
                (append, next) -> {
                  releasing[0] = last && !next.runnable();
                  return releasing[0] ? append.releasingLease() : append;
                });
        ok = true;
      } catch (StopRun stop) {
        throw stop;
      } catch (LeaseLostException overtaken) {
        lease.lost = true;
        throw stop(TurnPhase.LEASE_LOST, String.valueOf(overtaken.getMessage()), overtaken);
      } catch (RuntimeException e) {
        storeFailure = e;
        become(TurnPhase.STORE_FAILED);
        throw e;
      } finally {
        if (last) {
          lease.appended(ok && releasing[0]);
        }
      }
      stored = after;
      pending = after;
      if (refused[0] != null) {
        throw refused[0];
      }
    }

    /** The buffered steps as one recording, as they were decided. */
    private Recording joined(List<Step> decided) {
      if (decided.size() == 1) {
        return decided.get(0).recording();
      }
      List<SessionEvent> events = new ArrayList<>();
      List<dev.agentmesh.sessions.spi.RowWrite> rows = new ArrayList<>();
      for (Step step : decided) {
        events.addAll(step.recording().events());
        rows.addAll(step.recording().rows());
      }
      return Recording.runtime(events).withRows(rows);
    }

    /**
     * The buffered steps decided again against {@code state}, up to the first one refused (its stop
     * goes to {@code refused[0]}).
     */
    private Recording decidedAgain(
        SessionFold state, List<Step> decided, @Nullable StopRun[] refused) {
      List<SessionEvent> events = new ArrayList<>();
      List<dev.agentmesh.sessions.spi.RowWrite> rows = new ArrayList<>();
      SessionFold s = state;
      for (Step step : decided) {
        Recording recording;
        try {
          recording = step.redo().decide(s, true);
        } catch (StopRun stop) {
          refused[0] = stop;
          break;
        }
        events.addAll(recording.events());
        rows.addAll(recording.rows());
        s = s.applyAll(recording.events());
      }
      return events.isEmpty() ? Recording.none() : Recording.runtime(events).withRows(rows);
    }

    private void refuseIfStopped(AgentEvent event) {
      if (lease.lost) {
        throw stop(
            TurnPhase.LEASE_LOST,
            "Node '"
                + nodeId
                + "' lost the lease of session '"
                + sessionId
                + "' to another node; "
                + event.type()
                + " of run "
                + event.runId()
                + " is not taken",
            null);
      }
      TurnPhase now = phase();
      if (now == TurnPhase.STORE_FAILED) {
        RuntimeException failure = storeFailure;
        throw new StopRun(
            "Session '"
                + sessionId
                + "' stopped recording run "
                + runId
                + " when the store failed ("
                + (failure == null ? "?" : failure.getClass().getSimpleName())
                + "); "
                + event.type()
                + " of run "
                + event.runId()
                + " is not taken",
            failure);
      }
      if (!now.recording()) {
        throw new StopRun(
            "Session '"
                + sessionId
                + "' stopped recording run "
                + runId
                + "; "
                + event.type()
                + " of run "
                + event.runId()
                + " is not taken");
      }
    }

    /**
     * The events that record {@code event} given the session's latest state, or a stop. Sets {@code
     * after[0]} to the phase the turn takes once they are stored. Decided {@code again} (the event
     * was buffered and the log moved before it was stored), a model call is not refused: it
     * happened.
     */
    private Recording decide(
        SessionFold state,
        AgentEvent event,
        boolean mine,
        Hooks.Suspension gated,
        Optional<Recording> held,
        TurnPhase[] after,
        boolean again) {
      if (!(mine && event instanceof AgentEvent.RunStarted) && !runId.equals(state.currentRun())) {
        throw stop(
            TurnPhase.FENCED,
            "Run "
                + runId
                + " of session '"
                + sessionId
                + "' was overtaken by run "
                + state.currentRun()
                + " of another driver; its "
                + event.type()
                + " is not recorded",
            null);
      }
      String callId = outcomeCallId(event);
      if (callId != null
          && event.runId().equals(state.currentRun())
          && state.outcomeRecorded(callId)) {
        throw stop(
            TurnPhase.FENCED,
            "Tool call '"
                + callId
                + "' of session '"
                + sessionId
                + "' already has an "
                + "outcome in the log (another driver recorded it, or a human resolved it); its "
                + event.type()
                + " from run "
                + event.runId()
                + " is not recorded",
            null);
      }
      if (mine && event instanceof AgentEvent.RunStarted && !state.history().equals(history)) {
        throw stop(
            TurnPhase.RESTART,
            "Session '" + sessionId + "' changed before run " + runId + " started; rerun",
            null);
      }
      // A model call that happened is recorded (decided again, its step was buffered); only the
      // one about to happen is refused.
      if (!again
          && event instanceof AgentEvent.ModelCalled
          && (!state.runnable() || closed.get())) {
        String why =
            "Session '"
                + sessionId
                + "' is "
                + (closed.get() ? "closing" : state.status().id())
                + "; run "
                + event.runId()
                + " stops before calling the model";
        // A child run stops alone (its call stays owed, its siblings' results are still
        // recorded); the turn stops at its own run's next model call.
        throw mine ? stop(TurnPhase.STOPPED_BY_STATE, why, null) : new StopRun(why);
      }
      if (!gated.reasons().isEmpty() && event instanceof AgentEvent.ToolCalled called) {
        List<SessionEvent> suspended = suspended(state, called, gated.reasons());
        if (!suspended.isEmpty()) {
          after[0] = TurnPhase.SUSPENDED;
          // the call is not recorded as started: neither it nor its batch runs
          return gated.recording().after(suspended);
        }
      }
      SessionEvent step = new SessionEvent.AgentStep(event);
      if (mine) {
        List<SessionEvent> questions =
            Forks.questions(
                state, event, tool -> mesh.tool(tool).map(AgentTool::idempotent).orElse(false));
        if (!questions.isEmpty()) {
          after[0] = TurnPhase.ASKED_HUMAN;
          List<SessionEvent> events = new ArrayList<>(questions.size() + 1);
          events.add(step);
          events.addAll(questions);
          return Recording.runtime(events);
        }
      }
      if (mine && event instanceof AgentEvent.OutputProduced produced) {
        SessionFold stepped = state.apply(step); // folded once for both questions
        if (!stepped.active()) {
          if (held.isPresent()) {
            return held.get().after(List.of(step)); // an output gate holds it: no completion
          }
          if (stepped.status() == SessionStatus.WAITING) {
            // a turn asked for with postTo while a named input is awaited: the session waits again
            return Recording.runtime(List.of(step));
          }
          return Recording.runtime(
              List.of(step, new SessionEvent.Completed(event.at(), produced.output())));
        }
      }
      if (mine && event instanceof AgentEvent.RunFailed f) {
        after[0] = TurnPhase.FAILURE_RECORDED;
        List<SessionEvent> events = new ArrayList<>();
        events.add(step);
        events.addAll(
            unknownOutcomes(state.apply(step))); // started calls whose effect is not known
        events.add(new SessionEvent.Failed(event.at(), f.error(), f.message()));
        return Recording.runtime(events);
      }
      return Recording.runtime(List.of(step));
    }

    /**
     * What the output gates record instead of completing, when the output would complete the
     * session now (asked again at the next output when the session changes meanwhile). The caller
     * holds {@link #buffer}.
     */
    private Optional<Recording> askOutputGate(AgentEvent.OutputProduced produced) {
      if (!hooks.hasOutputGates()) {
        return Optional.empty(); // no gate to ask: not worth a fold and a snapshot
      }
      SessionFold after = pending.apply(new SessionEvent.AgentStep(produced));
      if (after.active()) {
        return Optional.empty();
      }
      return hooks.hold(after.snapshot(), produced.agent(), produced.output());
    }

    /**
     * The owed calls of {@code state} that the gate suspends, as {@code tool.suspended} events;
     * empty when every call runs.
     */
    private List<SessionEvent> suspended(
        SessionFold state, AgentEvent.ToolCalled called, Map<String, String> gated) {
      List<SessionEvent> events = new ArrayList<>();
      for (ToolCall call : state.pendingCalls()) {
        String reason = gated.get(call.id());
        if (reason != null) {
          events.add(
              new SessionEvent.CallSuspended(
                  called.at(), runId, call.id(), call.name(), call.arguments(), reason));
        }
      }
      return events;
    }

    private @Nullable String outcomeCallId(AgentEvent event) {
      if (event instanceof AgentEvent.ToolReturned) {
        return ((AgentEvent.ToolReturned) event).callId();
      }
      return event instanceof AgentEvent.ToolFailed
          ? ((AgentEvent.ToolFailed) event).callId()
          : null;
    }

    private void renewLease() {
      if (!lease.renew()) {
        throw stop(
            TurnPhase.LEASE_LOST,
            "Node '"
                + nodeId
                + "' lost the lease of session '"
                + sessionId
                + "' to another node; it stops driving it",
            null);
      }
    }
  }

  /**
   * Decides a step against a state: first as it happens, then {@code again} (the step happened)
   * against a newer state when the log moved before it was stored; throws a {@link StopRun} to
   * refuse it.
   */
  @FunctionalInterface
  private interface Redo {
    Recording decide(SessionFold state, boolean again);
  }

  /** A step of a turn, decided and not yet stored. */
  private record Step(Redo redo, Recording recording) {}
}
