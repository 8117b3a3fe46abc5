package dev.agentmesh.sessions;

import dev.agentmesh.core.AgentEvent;
import dev.agentmesh.core.Transcript;
import dev.agentmesh.core.spi.ChatMessage;
import dev.agentmesh.core.spi.ToolCall;
import dev.agentmesh.sessions.SessionEvent.AgentStep;
import dev.agentmesh.sessions.spi.SessionSummary;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * Session state as a left fold over its events: {@link #apply} one event at a time, in log
 * order, then read a {@link #snapshot()}. The same fold serves the live runtime (applied as
 * events are appended) and replay (applied to a loaded log), so both agree by construction.
 *
 * <p>Messages posted while a turn is open wait in an inbox: the running model never saw them,
 * so they join the transcript when the turn closes (or when a continuing run starts at a clean
 * point), and then another turn answers them. Events of child runs (agents called as tools) are
 * kept in the log but not in the transcript. Not thread-safe; {@link #copy()} before changing a
 * fold others read.
 */
final class SessionFold {

  private record Posted(ChatMessage message, @Nullable String addressedTo) {}

  /** A run of an agent called as a tool: which run called it, and which agent it is. */
  private record ChildRun(String parentRunId, String agent) {}

  private final String id;
  private long version;
  private String agent = "";
  private JsonNode input = JsonNodeFactory.instance.nullNode();
  private @Nullable Origin origin;
  private Instant createdAt = Instant.EPOCH;
  private Instant updatedAt = Instant.EPOCH;
  private final Map<String, ParticipantRole> participants = new TreeMap<>();
  private final List<ChatMessage> transcript = new ArrayList<>();
  private final List<Posted> inbox = new ArrayList<>();
  private final Map<String, String> waits = new TreeMap<>();
  private final Map<String, SessionState.UnknownOutcome> unknown = new LinkedHashMap<>();
  private final Map<String, AgentEvent.ToolCalled> calledWithoutResult = new LinkedHashMap<>();
  private final Map<String, ChildRun> childRuns = new LinkedHashMap<>();
  /** Runs that started a call that is not idempotent, themselves or in a child run. */
  private final Set<String> unsafeRuns = new HashSet<>();
  /** A fork's inherited calls not yet asked about: a run's call repeating one becomes a question. */
  private final List<SessionEvent.Forked.ParentCall> parentCalls = new ArrayList<>();
  /** Calls (by id, the latest call of each id) whose outcome the log holds, or says is unknown. */
  private final Set<String> settled = new HashSet<>();
  private boolean active;
  private boolean turnOpen;
  private @Nullable String turnAgent;
  private @Nullable String currentRun;
  private boolean paused;
  private boolean cancelled;
  private boolean failed;
  private @Nullable JsonNode output;
  private @Nullable String failure;
  private @Nullable String forkedFrom;

  SessionFold(String id) {
    this.id = id;
  }

  private SessionFold(SessionFold o) {
    this.id = o.id;
    this.version = o.version;
    this.agent = o.agent;
    this.input = o.input;
    this.origin = o.origin;
    this.createdAt = o.createdAt;
    this.updatedAt = o.updatedAt;
    this.participants.putAll(o.participants);
    this.transcript.addAll(o.transcript);
    this.inbox.addAll(o.inbox);
    this.waits.putAll(o.waits);
    this.unknown.putAll(o.unknown);
    this.calledWithoutResult.putAll(o.calledWithoutResult);
    this.childRuns.putAll(o.childRuns);
    this.unsafeRuns.addAll(o.unsafeRuns);
    this.parentCalls.addAll(o.parentCalls);
    this.settled.addAll(o.settled);
    this.active = o.active;
    this.turnOpen = o.turnOpen;
    this.turnAgent = o.turnAgent;
    this.currentRun = o.currentRun;
    this.paused = o.paused;
    this.cancelled = o.cancelled;
    this.failed = o.failed;
    this.output = o.output;
    this.failure = o.failure;
    this.forkedFrom = o.forkedFrom;
  }

  /** The state after replaying {@code events} from the start of the log. */
  static SessionFold replay(String id, Iterable<SessionEvent> events) {
    SessionFold fold = new SessionFold(id);
    events.forEach(fold::apply);
    return fold;
  }

  SessionFold copy() {
    return new SessionFold(this);
  }

  String id() {
    return id;
  }

  long version() {
    return version;
  }

  /** Applies the next event of the log; the fold's version grows by one. */
  void apply(SessionEvent event) {
    version++;
    updatedAt = event.at();
    if (event instanceof SessionEvent.Created) {
      created((SessionEvent.Created) event);
    } else if (event instanceof SessionEvent.ParticipantJoined) {
      SessionEvent.ParticipantJoined joined = (SessionEvent.ParticipantJoined) event;
      participants.put(joined.participant(), joined.role());
    } else if (event instanceof SessionEvent.MessagePosted) {
      SessionEvent.MessagePosted posted = (SessionEvent.MessagePosted) event;
      String author = posted.fromAgent() ? "agent:" + posted.author() : posted.author();
      receive(new Posted(ChatMessage.user(posted.text(), author), posted.addressedTo()));
    } else if (event instanceof AgentStep) {
      step(((AgentStep) event).event());
    } else if (event instanceof SessionEvent.WaitingForInput) {
      SessionEvent.WaitingForInput waiting = (SessionEvent.WaitingForInput) event;
      waits.put(waiting.name(), waiting.prompt());
    } else if (event instanceof SessionEvent.InputReceived) {
      SessionEvent.InputReceived received = (SessionEvent.InputReceived) event;
      waits.remove(received.name());
      String value = received.value().isString() ? received.value().asString() : received.value().toString();
      receive(new Posted(ChatMessage.user("Input '" + received.name() + "': " + value, received.by()), null));
    } else {
      control(event);
    }
  }

  private void control(SessionEvent event) {
    if (event instanceof SessionEvent.Paused) {
      paused = true;
    } else if (event instanceof SessionEvent.Resumed) {
      paused = false;
    } else if (event instanceof SessionEvent.Forked) {
      SessionEvent.Forked forked = (SessionEvent.Forked) event;
      forkedFrom = forked.parentId();
      createdAt = event.at();
      parentCalls.addAll(forked.parentCalls());
    } else if (event instanceof SessionEvent.Completed) {
      output = ((SessionEvent.Completed) event).output();
      failed = false;
      failure = null;
    } else if (event instanceof SessionEvent.Failed) {
      SessionEvent.Failed f = (SessionEvent.Failed) event;
      failed = true;
      failure = f.error() + ": " + f.message();
      output = null;
    } else if (event instanceof SessionEvent.Cancelled) {
      cancelled = true;
    } else if (event instanceof SessionEvent.ToolOutcomeUnknown) {
      SessionEvent.ToolOutcomeUnknown u = (SessionEvent.ToolOutcomeUnknown) event;
      unknown.put(u.callId(), new SessionState.UnknownOutcome(u.runId(), u.callId(), u.tool(), u.arguments(),
          u.parentCallId(), u.parentResult()));
      if (u.parentCallId() != null) {
        askedAbout(u.parentCallId(), u.tool(), Forks.canonical(u.arguments()));
      }
      settled.add(u.callId());
    } else if (event instanceof SessionEvent.OutcomeResolved) {
      SessionEvent.OutcomeResolved r = (SessionEvent.OutcomeResolved) event;
      unknown.remove(r.callId());
      settled.add(r.callId());
      calledWithoutResult.remove(r.callId());
      transcript.add(r.result() != null ? Transcript.toolResult(r.callId(), r.tool(), r.result())
          : Transcript.toolFailure(r.callId(), r.tool(), r.failure()));
    }
  }

  /** The inherited call a question was about is no longer matched (the first such, should ids repeat). */
  private void askedAbout(String parentCallId, String tool, String arguments) {
    for (int i = 0; i < parentCalls.size(); i++) {
      SessionEvent.Forked.ParentCall call = parentCalls.get(i);
      if (call.callId().equals(parentCallId) && call.tool().equals(tool) && call.arguments().equals(arguments)) {
        parentCalls.remove(i);
        return;
      }
    }
  }

  private void created(SessionEvent.Created created) {
    agent = created.agent();
    input = created.input();
    origin = created.origin();
    createdAt = created.at();
    participants.putAll(created.participants());
    transcript.add(Transcript.inputMessage(input));
    active = true;
  }

  private void receive(Posted posted) {
    if (turnOpen) {
      inbox.add(posted);
      return;
    }
    active = true;
    if (!pendingCalls().isEmpty()) {
      inbox.add(posted); // a tool call is still unanswered: the message joins after its result
      return;
    }
    transcript.add(posted.message());
    if (posted.addressedTo() != null) {
      turnAgent = posted.addressedTo();
    }
  }

  private void step(AgentEvent event) {
    if (event instanceof AgentEvent.ToolCalled && !((AgentEvent.ToolCalled) event).idempotent()) {
      markUnsafe(event.runId());
    }
    if (childRuns.containsKey(event.runId())) {
      return;
    }
    if (event instanceof AgentEvent.RunStarted) {
      AgentEvent.RunStarted started = (AgentEvent.RunStarted) event;
      if (started.parentRunId() != null) {
        childRuns.put(started.runId(), new ChildRun(started.parentRunId(), started.agent()));
        return;
      }
      turnOpen = true;
      active = true;
      turnAgent = started.agent();
      currentRun = started.runId();
      if (pendingCalls().isEmpty() && inbox.stream().allMatch(p -> p.addressedTo() == null)) {
        inbox.forEach(p -> transcript.add(p.message()));
        inbox.clear();
      }
    } else if (event instanceof AgentEvent.ToolCalled) {
      AgentEvent.ToolCalled called = (AgentEvent.ToolCalled) event;
      calledWithoutResult.put(called.call().id(), called);
      settled.remove(called.call().id());
    } else if (event instanceof AgentEvent.ToolReturned) {
      calledWithoutResult.remove(((AgentEvent.ToolReturned) event).callId());
      settled.add(((AgentEvent.ToolReturned) event).callId());
    } else if (event instanceof AgentEvent.ToolFailed) {
      calledWithoutResult.remove(((AgentEvent.ToolFailed) event).callId());
      settled.add(((AgentEvent.ToolFailed) event).callId());
    }
    transcript.addAll(Transcript.fromEvents(List.of(event)));
    if (event instanceof AgentEvent.RunFailed) {
      answerCallsOfFailedRun((AgentEvent.RunFailed) event);
    }
    if (event instanceof AgentEvent.OutputProduced || event instanceof AgentEvent.RunFailed) {
      closeTurn(event instanceof AgentEvent.OutputProduced);
    }
  }

  /**
   * A failed run leaves its last tool calls without results. Those that may have had an effect
   * that must not be repeated stay pending (the driver records them as unknown outcomes); every
   * other one is answered with a failure, so the transcript stays well-formed for providers
   * (every call answered before the next message) and nothing runs again by itself.
   */
  private void answerCallsOfFailedRun(AgentEvent.RunFailed failed) {
    Set<String> unsafe = new HashSet<>();
    unsafeToRepeat().forEach(called -> unsafe.add(called.call().id()));
    for (ToolCall call : pendingCalls()) {
      if (unsafe.contains(call.id())) {
        continue;
      }
      String what = calledWithoutResult.containsKey(call.id()) ? "returned" : "started";
      transcript.add(Transcript.toolFailure(call.id(), call.name(), "No result: the run failed ("
          + failed.error() + ") before this call " + what + "."));
      settled.add(call.id());
    }
    calledWithoutResult.keySet().retainAll(unsafe);
  }

  private void closeTurn(boolean succeeded) {
    turnOpen = false;
    turnAgent = null;
    active = false;
    List<Posted> waiting = new ArrayList<>(inbox);
    inbox.clear();
    waiting.forEach(this::receive);
    if (!succeeded) {
      active = false;
      turnAgent = null;
    }
  }

  /** Marks the run, and every run above it, as having started a call that is not idempotent. */
  private void markUnsafe(String runId) {
    for (String run = runId; run != null && unsafeRuns.add(run); ) {
      ChildRun child = childRuns.get(run);
      run = child == null ? null : child.parentRunId();
    }
  }

  /**
   * Whether {@code called} asked a child agent whose runs never started a call that is not
   * idempotent (a child stopped by a pause, say): asking it again repeats only safe steps. A
   * call with no child run in the log is not known to be a child agent, so it is not safe.
   */
  private boolean safeChildCall(AgentEvent.ToolCalled called) {
    boolean any = false;
    for (Map.Entry<String, ChildRun> e : childRuns.entrySet()) {
      ChildRun child = e.getValue();
      if (child.parentRunId().equals(called.runId()) && child.agent().equals(called.call().name())) {
        if (unsafeRuns.contains(e.getKey())) {
          return false;
        }
        any = true;
      }
    }
    return any;
  }

  /**
   * The calls that are not idempotent which this fork's parent applied after the fork point and
   * no run of this session has asked about yet; empty for a session that is not a fork.
   */
  List<SessionEvent.Forked.ParentCall> parentCalls() {
    return parentCalls;
  }

  /** Whether a turn is open or due. */
  boolean active() {
    return active;
  }

  /**
   * Tool calls of the last assistant message that have no result yet: the same definition the
   * agent loop uses to decide what a continued run runs first.
   */
  List<ToolCall> pendingCalls() {
    return Transcript.unansweredCalls(transcript);
  }

  /**
   * The pending calls that started but are not idempotent and have no recorded outcome: never
   * repeated silently. A call of a child agent whose runs started nothing unsafe is not among them.
   */
  List<AgentEvent.ToolCalled> unsafeToRepeat() {
    List<AgentEvent.ToolCalled> unsafe = new ArrayList<>();
    for (ToolCall call : pendingCalls()) {
      AgentEvent.ToolCalled called = calledWithoutResult.get(call.id());
      if (called != null && !called.idempotent() && !unknown.containsKey(call.id())
          && !safeChildCall(called)) {
        unsafe.add(called);
      }
    }
    return unsafe;
  }

  /** The conversation the next run continues: the transcript, plus the inbox when it can join. */
  List<ChatMessage> history() {
    List<ChatMessage> history = new ArrayList<>(transcript);
    if (pendingCalls().isEmpty() && inbox.stream().allMatch(p -> p.addressedTo() == null)) {
      inbox.forEach(p -> history.add(p.message()));
    }
    return history;
  }

  /**
   * The run of the latest top-level run start: the only run whose steps (and whose child runs'
   * steps) may still be appended. A driver whose run is no longer current was overtaken by
   * another driver and must stop.
   */
  @Nullable String currentRun() {
    return currentRun;
  }

  /**
   * Whether the log already holds an outcome for the latest top-level tool call {@code callId}:
   * a result, a failure, or an unknown outcome (resolved or not). A second outcome for one call
   * is always refused, so a tool call has at most one outcome in the log.
   */
  boolean outcomeRecorded(String callId) {
    return settled.contains(callId);
  }

  /** Whether a turn is open (started and neither finished nor failed). */
  boolean turnOpen() {
    return turnOpen;
  }

  boolean exists() {
    return version > 0;
  }

  boolean cancelled() {
    return cancelled;
  }

  @Nullable String failureOrNull() {
    return failure;
  }

  boolean inboxEmpty() {
    return inbox.isEmpty();
  }

  Map<String, ParticipantRole> participants() {
    return participants;
  }

  Map<String, String> waits() {
    return waits;
  }

  Map<String, SessionState.UnknownOutcome> unknown() {
    return unknown;
  }

  String agent() {
    return agent;
  }

  JsonNode input() {
    return input;
  }

  String currentAgent() {
    return turnAgent != null ? turnAgent : agent;
  }

  SessionStatus status() {
    if (cancelled) {
      return SessionStatus.CANCELLED;
    }
    if (paused) {
      return SessionStatus.PAUSED;
    }
    if (!unknown.isEmpty() || !waits.isEmpty()) {
      return SessionStatus.WAITING;
    }
    if (active) {
      return SessionStatus.RUNNING;
    }
    return failed ? SessionStatus.FAILED : SessionStatus.COMPLETED;
  }

  boolean runnable() {
    return status() == SessionStatus.RUNNING;
  }

  SessionSummary summary() {
    return SessionSummary.builder(id).agent(agent).status(status().id()).runnable(runnable())
        .origin(origin == null ? "" : origin.key()).participants(participants.keySet())
        .forkedFrom(forkedFrom)
        .createdAt(createdAt).updatedAt(updatedAt).version(version).build();
  }

  SessionState snapshot() {
    Origin started = origin;
    if (started == null) {
      throw new IllegalStateException("Session '" + id + "' has no session.created event to say "
          + "what started it; its log begins at version 1 with another event");
    }
    return new SessionState(id, version, status(), agent, currentAgent(), input, started,
        participants, transcript, waits, List.copyOf(unknown.values()), output, failure,
        forkedFrom, createdAt, updatedAt);
  }
}
