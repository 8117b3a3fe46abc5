package dev.agentmesh.sessions;

import dev.agentmesh.core.Agent;
import dev.agentmesh.core.AgentEvent;
import dev.agentmesh.core.AgentListener;
import dev.agentmesh.core.AgentMeshException;
import dev.agentmesh.core.AgentRequest;
import dev.agentmesh.core.Mesh;
import dev.agentmesh.core.spi.ChatMessage;
import dev.agentmesh.sessions.spi.SessionNotFoundException;
import dev.agentmesh.sessions.spi.SessionStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * Runs agent turns: one serial queue per session in this process, and the session's lease in
 * the store so that one process at a time drives it. A turn appends every agent event (inside
 * the {@link AgentListener}, so before the run's next step) and decides, before running,
 * which pending tool calls may be repeated.
 */
final class Drivers {

  private static final Logger log = LoggerFactory.getLogger(Drivers.class);

  private static final int IDLE = 0;
  private static final int RUNNING = 1;
  private static final int DIRTY = 2;

  private final Mesh mesh;
  private final SessionLog sessionLog;
  private final Executor executor;
  private final Clock clock;
  private final Duration leaseTtl;
  private final String nodeId;
  private final Supplier<String> ids;
  private final AtomicBoolean closed;
  private final Map<String, AtomicInteger> queues = new ConcurrentHashMap<>();

  Drivers(Mesh mesh, SessionLog sessionLog, Executor executor, Clock clock, Duration leaseTtl,
      String nodeId, Supplier<String> ids, AtomicBoolean closed) {
    this.mesh = mesh;
    this.sessionLog = sessionLog;
    this.executor = executor;
    this.clock = clock;
    this.leaseTtl = leaseTtl;
    this.nodeId = nodeId;
    this.ids = ids;
    this.closed = closed;
  }

  /** Asks for the session to be driven; coalesces with a drive already queued or running. */
  void kick(String id) {
    if (closed.get()) {
      return;
    }
    boolean[] submit = {false};
    AtomicInteger queue = queues.compute(id, (k, q) -> {
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

  private void serve(String id, AtomicInteger queue) {
    while (true) {
      queue.set(RUNNING);
      try {
        drive(id);
      } catch (RuntimeException e) {
        log.warn("Driving session {} failed; it stays runnable and a sweep retries it", id, e);
      }
      boolean[] done = {false};
      queues.computeIfPresent(id, (k, q) -> {
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

  private void drive(String id) {
    SessionStore store = sessionLog.store();
    try {
      if (!store.tryAcquireLease(id, nodeId, clock.instant(), leaseTtl)) {
        return;
      }
    } catch (SessionNotFoundException gone) {
      return;
    }
    long seen = 0;
    boolean release = true;
    try {
      while (!closed.get()) {
        SessionFold state = sessionLog.current(id);
        seen = state.version();
        if (!state.runnable()) {
          break;
        }
        if (!state.unsafeToRepeat().isEmpty()) {
          sessionLog.append(id, this::unknownOutcomes);
        } else if (!runTurn(id, state)) {
          break;
        }
      }
    } catch (Error fatal) {
      release = false; // the process is in trouble: leave the lease to expire, as a crash would
      throw fatal;
    } finally {
      if (release) {
        store.releaseLease(id, nodeId);
      }
    }
    SessionFold after = sessionLog.current(id);
    if (after.version() > seen && after.runnable()) {
      kick(id);
    }
  }

  private List<SessionEvent> unknownOutcomes(SessionFold state) {
    List<SessionEvent> events = new ArrayList<>();
    Instant now = clock.instant();
    for (AgentEvent.ToolCalled called : state.unsafeToRepeat()) {
      events.add(new SessionEvent.ToolOutcomeUnknown(now, called.runId(), called.call().id(),
          called.call().name(), called.call().arguments()));
    }
    return events;
  }

  /** Runs one agent call; false when driving should stop (store failure, lease lost, close). */
  private boolean runTurn(String id, SessionFold state) {
    String agentName = state.currentAgent();
    Optional<Agent> agent = mesh.findAgent(agentName);
    List<ChatMessage> history = state.history();
    if (agent.isEmpty()) {
      fail(id, "NoSuchElementException", "No agent named '" + agentName + "' in this mesh; the "
          + "session needs it. Register the agent in the Mesh and post again");
      return true;
    }
    Turn turn = new Turn(id, ids.get(), history);
    JsonNode input = agentName.equals(state.agent()) ? state.input() : lastUserText(history);
    try {
      agent.get().call(AgentRequest.builder(input).history(history).runId(turn.runId)
          .listener(turn).stopWhen(turn::stopRequested).build());
      return true;
    } catch (RuntimeException e) {
      if (turn.restart || turn.stopped) {
        return true;
      }
      if (turn.broken != null || turn.leaseLost) {
        log.warn("Session {} stopped: {}", id, turn.leaseLost ? "its lease was lost" : turn.broken);
        return false;
      }
      if (!turn.failureRecorded) {
        fail(id, e.getClass().getSimpleName(), String.valueOf(e.getMessage()));
      }
      return true;
    }
  }

  private void fail(String id, String error, String message) {
    sessionLog.append(id, s -> s.runnable()
        ? List.of(new SessionEvent.Failed(clock.instant(), error, Texts.clip(message, 1000)))
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

  /** Thrown from the listener to stop a run without recording the step it was about to take. */
  static final class StopRun extends AgentMeshException {
    private static final long serialVersionUID = 1L;

    StopRun(String message) {
      super(message);
    }

    StopRun(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** One agent call in a session: appends its events and answers whether it should stop. */
  private final class Turn implements AgentListener {
    final String sessionId;
    final String runId;
    final List<ChatMessage> history;
    volatile boolean restart;
    volatile boolean stopped;
    volatile boolean leaseLost;
    volatile boolean failureRecorded;
    volatile @Nullable RuntimeException broken;
    private Instant renewed;

    Turn(String sessionId, String runId, List<ChatMessage> history) {
      this.sessionId = sessionId;
      this.runId = runId;
      this.history = history;
      this.renewed = clock.instant();
    }

    boolean stopRequested() {
      if (closed.get() || broken != null || leaseLost) {
        return true;
      }
      SessionFold cached = sessionLog.cached(sessionId);
      return cached != null && !cached.runnable();
    }

    /**
     * Appends the event before the run's next step. Once this turn has stopped recording (the
     * store failed, the lease was lost, the run was told to stop), every later event of the run
     * and of its child runs, on whatever thread, is refused with a {@link StopRun}, so no step
     * runs unrecorded.
     */
    @Override
    public void onEvent(AgentEvent event) {
      refuseIfStopped(event);
      boolean mine = event.runId().equals(runId);
      try {
        sessionLog.append(sessionId, state -> decide(state, event, mine));
      } catch (StopRun stop) {
        throw stop;
      } catch (RuntimeException e) {
        broken = e;
        throw e;
      }
      renewLease();
    }

    private void refuseIfStopped(AgentEvent event) {
      RuntimeException failure = broken;
      if (failure != null) {
        throw new StopRun("Session '" + sessionId + "' stopped recording run " + runId
            + " when the store failed (" + failure.getClass().getSimpleName() + "); "
            + event.type() + " of run " + event.runId() + " is not taken", failure);
      }
      if (restart || stopped || leaseLost) {
        throw new StopRun("Session '" + sessionId + "' stopped recording run " + runId + "; "
            + event.type() + " of run " + event.runId() + " is not taken");
      }
    }

    private List<SessionEvent> decide(SessionFold state, AgentEvent event, boolean mine) {
      if (mine && event instanceof AgentEvent.RunStarted && !state.history().equals(history)) {
        restart = true;
        throw new StopRun("Session '" + sessionId + "' changed before run " + runId + " started; rerun");
      }
      if (mine && event instanceof AgentEvent.ModelCalled && (!state.runnable() || closed.get())) {
        stopped = true;
        throw new StopRun("Session '" + sessionId + "' is " + state.status().id() + "; run " + runId
            + " stops before calling the model");
      }
      SessionEvent step = new SessionEvent.AgentStep(event);
      if (mine && event instanceof AgentEvent.OutputProduced) {
        SessionFold after = state.copy();
        after.apply(step);
        if (!after.active()) {
          return List.of(step, new SessionEvent.Completed(event.at(), ((AgentEvent.OutputProduced) event).output()));
        }
      }
      if (mine && event instanceof AgentEvent.RunFailed) {
        AgentEvent.RunFailed f = (AgentEvent.RunFailed) event;
        failureRecorded = true;
        SessionFold after = state.copy();
        after.apply(step);
        List<SessionEvent> events = new ArrayList<>();
        events.add(step);
        events.addAll(unknownOutcomes(after)); // started calls whose effect is not known
        events.add(new SessionEvent.Failed(event.at(), f.error(), f.message()));
        return events;
      }
      return List.of(step);
    }

    private void renewLease() {
      Instant now = clock.instant();
      if (Duration.between(renewed, now).compareTo(leaseTtl.dividedBy(3)) < 0) {
        return;
      }
      renewed = now;
      if (!sessionLog.store().tryAcquireLease(sessionId, nodeId, now, leaseTtl)) {
        leaseLost = true;
        throw new StopRun("Node '" + nodeId + "' lost the lease of session '" + sessionId
            + "' to another node; it stops driving it");
      }
    }
  }
}
