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
 * tool calls may be repeated. While a session is driven its lease is renewed on the scheduler every
 * third of its TTL (and after steps), so a long model or tool call keeps it; a driver that lost it
 * anyway is fenced by the store: every append of the drive carries its lease, and the store refuses
 * it once the lease has passed to another node. A session whose log cannot be decoded is
 * quarantined (one log line) instead of being retried.
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
  private final String nodeId;
  private final Supplier<String> ids;
  private final AtomicBoolean closed;
  private final Hooks hooks;
  private final Map<String, AtomicInteger> queues = new ConcurrentHashMap<>();
  private final Set<Thread> driving = ConcurrentHashMap.newKeySet();
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
      try {
        executor.execute(() -> serve(id, queue));
      } catch (RejectedExecutionException e) {
        queues.remove(id, queue);
        log.warn("Executor refused to drive session {}; a sweep will pick it up", id, e);
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
    Optional<dev.agentmesh.sessions.spi.Lease> acquired;
    try {
      acquired = sessionLog.store().tryAcquireLease(id, nodeId, clock.instant(), leaseTtl);
    } catch (SessionNotFoundException gone) {
      return;
    }
    if (acquired.isEmpty()) {
      return;
    }
    long seen = 0;
    boolean release = true;
    Lease lease = new Lease(acquired.get());
    ScheduledFuture<?> renewal = lease.renewInBackground();
    try {
      while (!closed.get() && !lease.lost) {
        SessionFold state = sessionLog.current(id);
        seen = state.version();
        if (!state.runnable()) {
          break;
        }
        if (!state.unsafeToRepeat().isEmpty()) {
          sessionLog.append(id, lease.token, this::unknownOutcomes);
        } else if (!runTurn(id, state, lease)) {
          break;
        }
      }
    } catch (Error fatal) {
      release = false; // the process is in trouble: leave the lease to expire, as a crash would
      throw fatal;
    } finally {
      if (renewal != null) {
        renewal.cancel(false);
      }
      if (release) {
        lease.release();
      }
    }
    SessionFold after = sessionLog.current(id);
    if (after.version() > seen && after.runnable()) {
      schedule(id);
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
    Optional<String> context;
    try {
      context = turnContext(id, state, agentName, lease);
    } catch (RuntimeException e) {
      log.warn(
          "A turn context of session {} failed before the turn of agent '{}'; the session stays"
              + " runnable and a sweep retries it",
          id,
          agentName,
          e);
      return false;
    }
    if (context == null) {
      return true; // the session changed while the context was recorded: read it again
    }
    Turn turn = new Turn(id, ids.get(), history, lease);
    JsonNode input = agentName.equals(state.agent()) ? state.input() : lastUserText(history);
    RuntimeException failure = null;
    try {
      AgentRequest.Builder request =
          AgentRequest.builder(input).history(history).runId(turn.runId).listener(turn);
      context.ifPresent(request::systemContext);
      agent.get().call(request.build());
    } catch (RuntimeException e) {
      failure = e;
    }
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
   * The turn context text of this turn of {@code agent}: the one recorded for it (a continued
   * turn), or the hooks' text, recorded now; empty when there is none; null when the session
   * changed before it could be recorded (the drive reads it again).
   */
  private @Nullable Optional<String> turnContext(
      String id, SessionFold state, String agent, Lease lease) {
    SessionEvent.ContextAdded recorded = state.turnContext();
    if (recorded != null && recorded.agent().equals(agent)) {
      return Optional.of(recorded.text());
    }
    if (!hooks.hasContext()) {
      return Optional.empty();
    }
    Optional<String> text = hooks.context(state.snapshot(), agent);
    if (text.isEmpty()) {
      return text;
    }
    SessionEvent added = new SessionEvent.ContextAdded(clock.instant(), agent, text.get());
    SessionFold after =
        sessionLog.append(
            id, lease.token, s -> s.version() == state.version() ? List.of(added) : List.of());
    return after.turnContext() == added ? text : null;
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

    Lease(dev.agentmesh.sessions.spi.Lease token) {
      this.sessionId = token.sessionId();
      this.token = token;
      this.renewed = new AtomicReference<>(clock.instant());
    }

    @Nullable ScheduledFuture<?> renewInBackground() {
      long period = Math.max(1, leaseTtl.toMillis() / 3);
      try {
        return scheduler.scheduleWithFixedDelay(
            this::renewQuietly, period, period, TimeUnit.MILLISECONDS);
      } catch (RejectedExecutionException e) {
        log.warn(
            "Scheduler refused to renew the lease of session {}; steps still renew it",
            sessionId,
            e);
        return null;
      }
    }

    private void renewQuietly() {
      try {
        renew();
      } catch (RuntimeException e) {
        log.warn("Renewing the lease of session {} failed; retrying", sessionId, e);
      }
    }

    /**
     * Renews when due; false once the lease is lost to another node. Synchronized with {@link
     * #release()}: a renewal already running when the drive ends must not take the lease back after
     * it was released, or this node would hold a lease nobody drives.
     */
    synchronized boolean renew() {
      Instant last = renewed.get();
      Instant now = clock.instant();
      if (released
          || lost
          || Duration.between(last, now).compareTo(leaseTtl.dividedBy(3)) < 0
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
      return !lost;
    }

    /** Gives the lease back; no renewal takes it again afterwards. */
    synchronized void release() {
      released = true;
      sessionLog.store().releaseLease(sessionId, nodeId);
    }
  }

  /**
   * One agent call in a session: the run's listener, which decides and appends each of its events
   * (and its child runs') before the run's next step, and tells the run to stop by refusing a step
   * with a {@link StopRun}; refused before {@code model.called}, the run stops cleanly. Its one
   * state is a {@link TurnPhase}, moved only by {@link #stop}.
   */
  private final class Turn implements AgentListener {
    final String sessionId;
    final String runId;
    final List<ChatMessage> history;
    private final Lease lease;
    private final AtomicReference<TurnPhase> phase = new AtomicReference<>(TurnPhase.RUNNING);

    /** What failed when the turn is {@link TurnPhase#STORE_FAILED}, for the messages. */
    volatile @Nullable RuntimeException storeFailure;

    Turn(String sessionId, String runId, List<ChatMessage> history, Lease lease) {
      this.sessionId = sessionId;
      this.runId = runId;
      this.history = history;
      this.lease = lease;
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
     * Appends the event before the run's next step. Once this turn has stopped recording (the store
     * failed, the lease was lost, the run was told to stop), every later event of the run and of
     * its child runs, on whatever thread, is refused with a {@link StopRun}, so no step runs
     * unrecorded.
     */
    @Override
    public void onEvent(AgentEvent event) {
      refuseIfStopped(event);
      boolean mine = event.runId().equals(runId);
      // Asked outside the append, so a gate that throws fails the run like a failing listener.
      Hooks.Suspension gated =
          mine && event instanceof AgentEvent.ToolCalled called
              ? askGate(called)
              : Hooks.Suspension.NONE;
      Optional<Recording> held =
          mine && event instanceof AgentEvent.OutputProduced produced
              ? askOutputGate(produced)
              : Optional.empty();
      TurnPhase[] after = {TurnPhase.RUNNING};
      try {
        sessionLog.record(
            sessionId,
            lease.token,
            state -> {
              after[0] = TurnPhase.RUNNING;
              return decide(state, event, mine, gated, held, after);
            });
      } catch (StopRun stop) {
        throw stop;
      } catch (LeaseLostException overtaken) {
        lease.lost = true;
        throw stop(TurnPhase.LEASE_LOST, String.valueOf(overtaken.getMessage()), overtaken);
      } catch (RuntimeException e) {
        storeFailure = e;
        become(TurnPhase.STORE_FAILED);
        throw e;
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
     * after[0]} to the phase the turn takes once they are stored.
     */
    private Recording decide(
        SessionFold state,
        AgentEvent event,
        boolean mine,
        Hooks.Suspension gated,
        Optional<Recording> held,
        TurnPhase[] after) {
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
      if (event instanceof AgentEvent.ModelCalled && (!state.runnable() || closed.get())) {
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
      if (mine
          && event instanceof AgentEvent.OutputProduced produced
          && !state.apply(step).active()) {
        if (held.isPresent()) {
          return held.get().after(List.of(step)); // an output gate holds it: no session.completed
        }
        if (state.apply(step).status() == SessionStatus.WAITING) {
          // a turn asked for with postTo while a named input is awaited: the session waits again
          return Recording.runtime(List.of(step));
        }
        return Recording.runtime(
            List.of(step, new SessionEvent.Completed(event.at(), produced.output())));
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
     * The calls owed at {@code called} (its model response's batch, or what a continued run runs
     * first) whose results the gate says come from outside, by call id with the gate's reason.
     */
    private Hooks.Suspension askGate(AgentEvent.ToolCalled called) {
      SessionFold state = sessionLog.current(sessionId);
      return hooks.suspend(state, called.agent(), state.pendingCalls());
    }

    /**
     * What the output gates record instead of completing, when the output would complete the
     * session now (asked again at the next output when the session changes meanwhile).
     */
    private Optional<Recording> askOutputGate(AgentEvent.OutputProduced produced) {
      SessionFold after = sessionLog.current(sessionId).apply(new SessionEvent.AgentStep(produced));
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
}
